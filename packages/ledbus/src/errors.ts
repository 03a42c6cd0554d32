import { DeviceError, type DeviceErrorWords, type DeviceFamily } from '@nextup/protocol';

/**
 * LED bus failures: the bus's member of the `DeviceError` family (`@nextup/protocol`). They carry a
 * code; the edges (CLI, display agent, admin console) turn it into words with `describeDeviceError`.
 */
export type LedBusErrorCode =
  /** No valid reply after every retry. */
  | 'TIMEOUT'
  /** The device refused the request (NAK); `nak` says why. */
  | 'NAK'
  /** The dialect cannot express this request (e.g. keypad poll on a line-protocol board). */
  | 'UNSUPPORTED'
  /** The serial port does not exist. */
  | 'PORT_MISSING'
  /** No permission to open the serial port (not in the dialout group). */
  | 'PERMISSION_DENIED'
  /** Another program holds the port. */
  | 'PORT_BUSY'
  /** The port closed or failed while in use. */
  | 'OFFLINE';

const WORDS: DeviceErrorWords<LedBusErrorCode> = {
  TIMEOUT: {
    zh: '设备无应答：请检查地址、波特率、RS-485 A/B 接线和设备电源',
    en: 'no answer: check the address, baud rate, RS-485 A/B wiring and the device power',
  },
  NAK: { zh: '设备拒绝了请求', en: 'the device refused the request' },
  UNSUPPORTED: { zh: '该协议方言不支持此操作', en: 'this dialect cannot do that' },
  PORT_MISSING: {
    zh: '串口不存在：请检查 USB 转 RS-485 适配器是否插好（ls /dev/ttyUSB*）',
    en: 'no such serial port: is the USB RS-485 adapter plugged in? (ls /dev/ttyUSB*)',
  },
  PERMISSION_DENIED: {
    zh: '没有串口权限：请执行 sudo usermod -aG dialout $USER 后重新登录',
    en: 'permission denied on the serial port: run sudo usermod -aG dialout $USER and log in again',
  },
  PORT_BUSY: { zh: '串口被其他程序占用', en: 'another program is using the serial port' },
  OFFLINE: { zh: '串口已断开', en: 'the serial port closed' },
};

const LEDBUS: DeviceFamily<LedBusErrorCode, 'ledbus'> = { device: 'ledbus', words: WORDS };

export class LedBusError extends DeviceError<LedBusErrorCode, 'ledbus'> {
  /** The bus address that failed; null for the port or the bus as a whole. */
  readonly address: number | null;
  /** Why the device refused (a NAK reason or what it answered instead), for code NAK. */
  readonly nak: string | undefined;
  constructor(
    code: LedBusErrorCode,
    message: string,
    opts: { address?: number | null; nak?: string; cause?: unknown } = {},
  ) {
    super(LEDBUS, code, message, { cause: opts.cause });
    this.address = opts.address ?? null;
    this.nak = opts.nak;
  }

  /** Names the address and the refusal, if there are any. */
  override placeWords(words: string, lang: 'zh' | 'en'): string {
    const where =
      this.address === null ? '' : lang === 'zh' ? `（地址 ${this.address}）` : ` (address ${this.address})`;
    const nak = this.nak ? ` [${this.nak}]` : '';
    return `${words}${where}${nak}`;
  }
}
