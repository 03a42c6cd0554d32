import { parseArgs } from 'node:util';
import type { DisplayAgentOptions } from './display-agent.ts';

export const DISPLAY_USAGE = `nextup-display [--hub URL] [--pairing-code 123456] [--name NAME] [--data-dir DIR]
               [--port 8400] [--host 127.0.0.1] [--bus-port /dev/ttyUSB0] [--audio screen|aplay]
               [--log-level info]

A blank box shows the pairing screen (or pairs at once with --hub and --pairing-code); everything
else (the bus, the boards, the voice) comes from the hub. --bus-port overrides the settings' bus port.`;

export interface DisplayArgs {
  options: Omit<DisplayAgentOptions, 'logger'>;
  logLevel: string;
}

const SPEC = {
  hub: { type: 'string' },
  'pairing-code': { type: 'string' },
  name: { type: 'string' },
  'data-dir': { type: 'string' },
  port: { type: 'string', default: '8400' },
  host: { type: 'string', default: '127.0.0.1' },
  'bus-port': { type: 'string' },
  audio: { type: 'string', default: 'screen' },
  'log-level': { type: 'string', default: 'info' },
  help: { type: 'boolean', default: false },
} as const;

/** The arguments this agent knows, out of a longer list (Electron adds its own switches). */
export function pickDisplayArgs(argv: readonly string[]): string[] {
  const known = new Set(Object.keys(SPEC).map((k) => `--${k}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.split('=')[0]!;
    if (!known.has(name)) continue;
    out.push(a);
    const spec = SPEC[name.slice(2) as keyof typeof SPEC];
    if (!a.includes('=') && spec.type === 'string' && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}

/** Parses the command line; throws a TypeError naming the bad value. 'help' for --help. */
export function parseDisplayArgs(argv: readonly string[]): DisplayArgs | 'help' {
  const { values } = parseArgs({ args: [...argv], options: SPEC, strict: true });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new TypeError(`--port must be 0–65535, got ${values.port}`);
  if (values.audio !== 'screen' && values.audio !== 'aplay')
    throw new TypeError(`--audio must be screen or aplay, got ${values.audio}`);
  if (values['pairing-code'] !== undefined && !/^\d{6}$/.test(values['pairing-code']))
    throw new TypeError(`--pairing-code must be 6 digits, got ${values['pairing-code']}`);
  return {
    logLevel: values['log-level'] ?? 'info',
    options: {
      port,
      host: values.host ?? '127.0.0.1',
      audio: values.audio === 'aplay' ? { command: ['aplay', '-q', '-'] } : 'screen',
      ...(values.hub ? { hubUrl: values.hub } : {}),
      ...(values['pairing-code'] ? { pairingCode: values['pairing-code'] } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(values['bus-port'] ? { bus: { port: values['bus-port'] } } : {}),
    },
  };
}
