/**
 * The virtual printer as a program:
 *
 *   tsx packages/printer-twin/src/main.ts [--port 9100] [--host 127.0.0.1] [--http 9101] [--pty]
 *                                            [--width 80|58] [--chinese-default] [--json]
 *
 * Prints where it listens, then each ticket's text as it is cut (with --json: one JSON object a
 * line, `{"event":"listening",…}` then `{"event":"ticket",…}`, for programs such as the benchmark).
 * Stops on SIGINT/SIGTERM or when stdin closes with --json.
 */
import { parseArgs } from 'node:util';
import { VirtualPrinter } from './printer.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    http: { type: 'string' },
    pty: { type: 'boolean', default: false },
    width: { type: 'string', default: '80' },
    'chinese-default': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const width = Number(values.width);
if (width !== 80 && width !== 58) {
  process.stderr.write(`--width must be 80 or 58; got ${values.width}\n`);
  process.exit(2);
}
const json = values.json;
const out = (obj: object, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(obj)}\n` : `${text}\n`);

const vp = new VirtualPrinter({ paperWidth: width, chineseDefault: values['chinese-default'] });
const port = await vp.listen({ port: Number(values.port), host: values.host });
const http =
  values.http === undefined ? null : await vp.listenHttp({ port: Number(values.http), host: values.host });
const pty = values.pty ? await vp.openPty() : null;
out(
  { event: 'listening', tcp: port, http, pty, host: values.host },
  [
    `virtual printer (${width} mm) listening on tcp://${values.host}:${port}`,
    http === null ? null : `  tickets and status: http://${values.host}:${http}/`,
    pty === null ? null : `  serial: serial:${pty}?baud=19200&flow=none`,
  ]
    .filter(Boolean)
    .join('\n'),
);

vp.onTicket((t) => {
  const mm = (t.heightDots / 8).toFixed(0);
  const flags = [t.interrupted ? `INTERRUPTED (${t.interrupted.reason})` : null, t.cut ? null : 'not cut']
    .filter(Boolean)
    .join(', ');
  out(
    {
      event: 'ticket',
      id: t.id,
      via: t.via,
      bytes: t.bytes,
      heightDots: t.heightDots,
      text: t.text,
      qr: t.qr,
      issues: t.issues,
      interrupted: t.interrupted,
    },
    `── ticket #${t.id} via ${t.via}, ${t.bytes} bytes, ${mm} mm${flags ? `, ${flags}` : ''} ──\n${t.text}\n${t.issues
      .map((i) => `  ! byte ${i.offset}: ${i.reason}`)
      .join('\n')}`.trimEnd(),
  );
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await vp.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (json) process.stdin.on('end', stop).resume();
