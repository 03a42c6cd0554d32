import { SerialPort } from 'serialport';

/**
 * Boards and keypads written from hardware/led-bus.md alone, as a vendor would write firmware: their
 * own CRC, escaping, receiver and command handling, importing nothing from this package. They run on
 * one end of a pty pair while our BusMaster drives the other, so the conformance tests check that
 * the master does what the document says, and that the document is enough to build a device.
 *
 * Every byte in and out is logged with a timestamp taken on the device side (performance.now()), so
 * timing rules (the master's quiet time, reply windows) are measured where a device would see them.
 */

// ── §2 framing, from the document ────────────────────────────────────────────────────────────────

/** CRC-16/MODBUS, bit by bit as §2 describes it: reflected 0xA001, start 0xFFFF, no final XOR. */
export function docCrc(bytes: ArrayLike<number>): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** A frame as bytes on the wire: STX, escaped ADDR SEQ CMD LEN PAYLOAD CRC_LO CRC_HI, ETX. */
export function docFrame(addr: number, seq: number, cmd: number, payload: ArrayLike<number> = []): Buffer {
  const body = [addr, seq, cmd, payload.length, ...Array.from(payload)];
  const crc = docCrc(body);
  body.push(crc & 0xff, crc >> 8);
  const wire = [0x02];
  for (const b of body) {
    if (b === 0x02 || b === 0x03 || b === 0x10) wire.push(0x10, b ^ 0x20);
    else wire.push(b);
  }
  wire.push(0x03);
  return Buffer.from(wire);
}

export interface DocFrame {
  addr: number;
  seq: number;
  cmd: number;
  payload: number[];
  crc: number;
}

/** §2 "Receiving", rule by rule. `onFrame` gets good frames; `onBad` what was thrown away and why. */
export class DocReceiver {
  private body: number[] = [];
  private inFrame = false;
  private esc = false;
  constructor(
    private readonly onFrame: (f: DocFrame) => void,
    private readonly onBad: (why: string, body: number[]) => void = () => {},
  ) {}

  push(chunk: ArrayLike<number>) {
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i]!);
  }

  private byte(b: number) {
    // Rule 2: 02 starts a frame wherever it comes, even right after 10.
    if (b === 0x02) {
      if (this.inFrame) this.onBad('cut off by 02', this.body);
      this.inFrame = true;
      this.esc = false;
      this.body = [];
      return;
    }
    // Rule 1: outside a frame only 02 counts.
    if (!this.inFrame) return;
    // Rule 3: 03 ends the frame, even right after 10 (then the frame is bad).
    if (b === 0x03) {
      this.inFrame = false;
      if (this.esc) return this.onBad('10 before 03', this.body);
      return this.finish();
    }
    if (this.esc) {
      this.esc = false;
      if (b !== 0x22 && b !== 0x23 && b !== 0x30) {
        this.inFrame = false;
        return this.onBad(`bad escape 10 ${b.toString(16)}`, this.body);
      }
      b ^= 0x20;
    } else if (b === 0x10) {
      this.esc = true;
      return;
    }
    this.body.push(b);
    if (this.body.length > 261) {
      this.inFrame = false;
      this.onBad('too long', this.body);
    }
  }

  private finish() {
    const b = this.body;
    // Rule 4: at least 6 bytes, LEN = length − 6, CRC over everything before the CRC.
    if (b.length < 6 || b[3] !== b.length - 6) return this.onBad('bad length', b);
    const crc = b[b.length - 2]! | (b[b.length - 1]! << 8);
    if (crc !== docCrc(b.slice(0, -2))) return this.onBad('bad crc', b);
    this.onFrame({ addr: b[0]!, seq: b[1]!, cmd: b[2]!, payload: b.slice(4, -2), crc });
  }
}

// ── the devices ──────────────────────────────────────────────────────────────────────────────────

const ACK = 0x06;
const NAK = 0x15;

export interface DocBoardSpec {
  address: number;
  /** TYPE byte: 01 main board, 02 counter board (default); anything else for an unknown type. */
  type?: number;
  columns?: number;
  rows?: number;
}

/** What the device log holds: requests as the device received them and replies as it sent them. */
export type DocLogEntry =
  | { dir: 'rx'; t: number; frame: DocFrame; acted: boolean }
  | { dir: 'tx'; t: number; addr: number; seq: number; cmd: number }
  | { dir: 'bad'; t: number; why: string };

interface Memory {
  seq: number;
  crc: number;
  cmd: number;
  reply: Buffer;
}

/** One board of §5: areas, effects, brightness, the POWER_UP flag of §5.2 and the repeat rule of §4. */
export class DocBoard {
  readonly address: number;
  readonly type: number;
  readonly columns: number;
  readonly rows: number;
  /** Area → text; area 0 is the whole board. Empty = dark. */
  areas = new Map<number, { text: string; effect: number; param: number }>();
  /** 100 % at power-up (the board's own default). */
  brightness = 100;
  flags = 0x01;
  /** Acted-on requests (a repeat is not counted). */
  acted: DocFrame[] = [];
  /** Test knobs: reply this late; damage the next n replies; answer NAK BUSY n times; stay silent. */
  replyDelayMs = 0;
  garbleNext = 0;
  busyNext = 0;
  silent = false;
  memory: Memory | null = null;
  broadcastMemory: { seq: number; crc: number } | null = null;

  constructor(spec: DocBoardSpec) {
    this.address = spec.address;
    this.type = spec.type ?? 0x02;
    this.columns = spec.columns ?? (this.type === 0x01 ? 64 : 16);
    this.rows = spec.rows ?? (this.type === 0x01 ? 4 : 1);
  }

  /** Power lost and back: dark, default brightness, no memory, POWER_UP set. */
  powerCycle() {
    this.areas.clear();
    this.brightness = 100;
    this.flags |= 0x01;
    this.memory = null;
    this.broadcastMemory = null;
  }

  text(area = 0): string | null {
    return this.areas.get(area)?.text ?? null;
  }

  /** Carries out a request; returns [reply CMD, payload] or null for "do not remember" NAKs. */
  handle(f: DocFrame): { cmd: number; payload: number[]; remember: boolean } {
    const p = f.payload;
    const nak = (reason: number) => ({ cmd: NAK, payload: [reason], remember: reason !== 0x04 });
    if (this.busyNext > 0 && f.cmd !== 0x01) {
      this.busyNext -= 1;
      return nak(0x04); // §4: a BUSY request is not remembered, so the repeat is carried out
    }
    switch (f.cmd) {
      case 0x01: {
        if (p.length > 1) return nak(0x03);
        const reply = [this.type, 1, 0, this.columns, this.rows, this.flags];
        // Read and clear: the reply shows the flags as they were, then the asked bits are cleared.
        if (p.length === 1) this.flags &= ~p[0]!;
        return { cmd: ACK, payload: reply, remember: true };
      }
      case 0x10: {
        if (p.length < 3 || p[0]! > this.rows || p[1]! > 2) return nak(0x03);
        const text = new TextDecoder('gb18030').decode(Uint8Array.from(p.slice(3)));
        // §5.1: the whole area replaces every line; a line replaces a whole-board text.
        if (p[0] === 0) this.areas.clear();
        else this.areas.delete(0);
        this.areas.set(p[0]!, { text, effect: p[1]!, param: p[2]! });
        return { cmd: ACK, payload: [], remember: true };
      }
      case 0x11:
        if (p.length !== 1 || p[0]! > this.rows) return nak(0x03);
        if (p[0] === 0) this.areas.clear();
        else this.areas.delete(p[0]!);
        return { cmd: ACK, payload: [], remember: true };
      case 0x12:
        if (p.length !== 1 || p[0]! > 100) return nak(0x03);
        this.brightness = p[0]!;
        return { cmd: ACK, payload: [], remember: true };
      default:
        return nak(0x02);
    }
  }
}

/** A keypad of §7: SESSION from "non-volatile memory", events numbered N, queue of 8. */
export class DocKeypad {
  readonly address: number;
  session: number;
  private nextN = 1;
  /** Numbers issued in this session, newest last (to ignore an ACK for one never issued, §7). */
  private issued = 0;
  queue: { n: number; key: number }[] = [];
  silent = false;
  replyDelayMs = 0;
  garbleNext = 0;
  busyNext = 0;
  flags = 0x01;
  memory: Memory | null = null;
  broadcastMemory: { seq: number; crc: number } | null = null;
  acted: DocFrame[] = [];

  constructor(address: number, session = 0x5a) {
    this.address = address;
    this.session = session;
  }

  press(key: number) {
    if (this.queue.length >= 8) return false;
    this.queue.push({ n: this.nextN, key });
    this.issued += 1;
    this.nextN = (this.nextN + 1) & 0xff;
    return true;
  }

  /** Restart. `session` is what it picks: §7 says it must differ from the last; a test may break that. */
  restart(session: number) {
    this.session = session;
    this.nextN = 1;
    this.issued = 0;
    this.queue = [];
    this.memory = null;
    this.flags |= 0x01;
  }

  handle(f: DocFrame): { cmd: number; payload: number[]; remember: boolean } {
    const p = f.payload;
    if (f.cmd === 0x01) {
      const reply = [0x03, 1, 0, 0, 0, this.flags];
      if (p.length === 1) this.flags &= ~p[0]!;
      return { cmd: ACK, payload: reply, remember: true };
    }
    if (f.cmd !== 0x20) return { cmd: NAK, payload: [0x02], remember: true };
    if (p.length !== 2) return { cmd: NAK, payload: [0x03], remember: true };
    const [session, ack] = p as [number, number];
    const newest = (this.nextN - 1) & 0xff;
    // An ACK ahead of the newest number issued in this session was not for this session (§7).
    const ackAhead = this.issued === 0 || (((ack - newest) & 0xff) >= 1 && ((ack - newest) & 0xff) <= 127);
    if (session === this.session && !ackAhead)
      this.queue = this.queue.filter((e) => ((ack - e.n) & 0xff) >= 128);
    const events = this.queue.slice(0, 8);
    return {
      cmd: ACK,
      payload: [this.session, events.length, ...events.flatMap((e) => [e.n, e.key])],
      remember: true,
    };
  }
}

export type DocDevice = DocBoard | DocKeypad;

/**
 * The device end of the line: every device on it hears every frame, acts on its own address and on
 * broadcasts, and answers per §6. Opened on one end of a pty pair.
 */
export class DocBus {
  readonly log: DocLogEntry[] = [];
  /** Line effects: the adapter hears the master's own request; junk before a reply; noise after it. */
  echo = false;
  replyPrefix: Buffer | null = null;
  noiseAfterReply: Buffer | null = null;
  readonly devices = new Map<number, DocDevice>();
  private readonly port: SerialPort;
  private readonly receiver: DocReceiver;
  private timers = new Set<NodeJS.Timeout>();

  private constructor(port: SerialPort, devices: DocDevice[]) {
    this.port = port;
    for (const d of devices) this.devices.set(d.address, d);
    this.receiver = new DocReceiver(
      (f) => this.onFrame(f),
      (why) => this.log.push({ dir: 'bad', t: performance.now(), why }),
    );
    port.on('data', (chunk: Buffer) => {
      this.rxAt = performance.now();
      if (this.echo) port.write(chunk);
      this.receiver.push(chunk);
    });
  }

  private rxAt = 0;

  static async open(path: string, devices: DocDevice[]): Promise<DocBus> {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return new DocBus(port, devices);
  }

  board(address: number): DocBoard {
    const d = this.devices.get(address);
    if (!(d instanceof DocBoard)) throw new Error(`no board at ${address}`);
    return d;
  }

  keypad(address: number): DocKeypad {
    const d = this.devices.get(address);
    if (!(d instanceof DocKeypad)) throw new Error(`no keypad at ${address}`);
    return d;
  }

  /** Requests as received (acted on or not), for one address or all. */
  requests(address?: number): Extract<DocLogEntry, { dir: 'rx' }>[] {
    return this.log.filter(
      (e): e is Extract<DocLogEntry, { dir: 'rx' }> =>
        e.dir === 'rx' && (address === undefined || e.frame.addr === address),
    );
  }

  /** Writes raw bytes onto the line as if a device sent them (a stray reply, noise). */
  inject(bytes: Buffer) {
    this.port.write(bytes);
  }

  async close() {
    for (const t of this.timers) clearTimeout(t);
    await new Promise<void>((r) => (this.port.isOpen ? this.port.close(() => r()) : r()));
  }

  private onFrame(f: DocFrame) {
    const t = this.rxAt;
    // §6: replies (ACK/NAK) are never requests, whatever their ADDR: ignore them, remember nothing.
    if (f.cmd === ACK || f.cmd === NAK) {
      this.log.push({ dir: 'rx', t, frame: f, acted: false });
      return;
    }
    if (f.addr === 0) {
      let acted = false;
      for (const d of this.devices.values()) {
        if (d.silent) continue;
        const m = d.broadcastMemory;
        if (m && m.seq === f.seq && m.crc === f.crc) continue;
        d.broadcastMemory = { seq: f.seq, crc: f.crc };
        if (d instanceof DocBoard) {
          d.handle(f);
          d.acted.push(f);
          acted = true;
        }
      }
      this.log.push({ dir: 'rx', t, frame: f, acted });
      return;
    }
    const d = this.devices.get(f.addr);
    if (!d || d.silent) {
      this.log.push({ dir: 'rx', t, frame: f, acted: false });
      return;
    }
    const m = d.memory;
    if (m && m.seq === f.seq && m.crc === f.crc) {
      // §4: a repeat. Do not act again; send the same reply again.
      this.log.push({ dir: 'rx', t, frame: f, acted: false });
      this.reply(d, m.reply, f, m.cmd);
      return;
    }
    this.log.push({ dir: 'rx', t, frame: f, acted: true });
    d.acted.push(f);
    d.broadcastMemory = null; // §4: what it shows may have changed; the same broadcast again is new
    const r = d.handle(f);
    const bytes = docFrame(d.address, f.seq, r.cmd, r.payload);
    if (r.remember) d.memory = { seq: f.seq, crc: f.crc, cmd: r.cmd, reply: bytes };
    this.reply(d, bytes, f, r.cmd);
  }

  private reply(d: DocDevice, bytes: Buffer, f: DocFrame, cmd: number) {
    let out = bytes;
    if (d.garbleNext > 0) {
      d.garbleNext -= 1;
      out = Buffer.from(bytes);
      out[out.length - 2] = out[out.length - 2]! ^ 0x40; // a CRC byte hit by noise
    }
    const send = () => {
      // Stamped as the bytes go: on a pty they arrive at once, so this is when the reply ended.
      this.log.push({ dir: 'tx', t: performance.now(), addr: d.address, seq: f.seq, cmd });
      this.port.write(this.replyPrefix ? Buffer.concat([this.replyPrefix, out]) : out);
      const noise = this.noiseAfterReply;
      if (noise) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.log.push({ dir: 'tx', t: performance.now(), addr: -1, seq: -1, cmd: -1 });
          this.port.write(noise);
        }, 1);
        this.timers.add(timer);
      }
    };
    if (d.replyDelayMs <= 0) send();
    else {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        send();
      }, d.replyDelayMs);
      this.timers.add(timer);
    }
  }
}
