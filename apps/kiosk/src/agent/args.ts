import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_UI_PORT } from './paths.ts';

export interface KioskCliOptions {
  hubUrl: string | null;
  pairingCode: string | null;
  dataDir: string;
  port: number;
  host: string;
  name: string | null;
  logLevel: string;
}

export const USAGE = `nextup-kiosk: the kiosk agent (serves the touch UI on localhost)

  --hub URL            the hub to pair with, e.g. http://192.168.1.10:8300 (with --pairing-code)
  --pairing-code CODE  the 6-digit code an admin created on the hub
  --data-dir DIR       where the credentials are kept (default ${DEFAULT_DATA_DIR})
  --port N             the UI's local port (default ${DEFAULT_UI_PORT}; 0 = any free port)
  --host ADDR          the UI's interface (default 127.0.0.1)
  --name NAME          the name the kiosk pairs under (default "Kiosk <hostname>")
  --log-level LEVEL    fatal, error, warn, info, debug, trace or silent (default info)

Without --hub/--pairing-code and no saved credentials, the UI shows the pairing screen.`;

/** Parses the command line; throws a TypeError that names the bad value. */
export function parseKioskArgs(argv: string[]): KioskCliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      hub: { type: 'string' },
      'pairing-code': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      name: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const port = values.port === undefined ? DEFAULT_UI_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`--port must be 0–65535; got ${JSON.stringify(values.port)}`);
  const code = values['pairing-code'] ?? null;
  if (code !== null && !/^\d{6}$/.test(code))
    throw new TypeError(`--pairing-code must be 6 digits; got ${JSON.stringify(code)}`);
  if ((code === null) !== (values.hub === undefined))
    throw new TypeError('--hub and --pairing-code go together');
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevel = values['log-level'] ?? 'info';
  if (!levels.includes(logLevel))
    throw new TypeError(`--log-level must be one of ${levels.join(', ')}; got ${JSON.stringify(logLevel)}`);
  return {
    hubUrl: values.hub ?? null,
    pairingCode: code,
    dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    port,
    host: values.host ?? '127.0.0.1',
    name: values.name ?? null,
    logLevel,
  };
}

const FLAGS_WITH_VALUE = [
  '--hub',
  '--pairing-code',
  '--data-dir',
  '--port',
  '--host',
  '--name',
  '--log-level',
];

/**
 * The agent's own options out of a longer command line (the Electron shell's, which has Electron's
 * and Chromium's switches too): `--flag value` and `--flag=value` for the flags above.
 */
export function pickKioskArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const flag = a.split('=')[0]!;
    if (!FLAGS_WITH_VALUE.includes(flag)) continue;
    out.push(a);
    if (!a.includes('=') && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}
