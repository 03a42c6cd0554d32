import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the hub keeps its data by default: a `data` folder next to the hub. */
export const DEFAULT_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'data');
/** The hub's fixed default port. */
export const DEFAULT_PORT = 8300;

const configSchema = z.strictObject({
  /** TCP port. Default 8300. */
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
  /** Interface to listen on. Default all (0.0.0.0): devices and phones reach it over the LAN. */
  host: z.string().default('0.0.0.0'),
  /** Folder for the SQLite file and snapshots. Default apps/hub/data. */
  dataDir: z.string().default(DEFAULT_DATA_DIR),
  /** The address phones use (QR codes); default http://<first LAN IPv4>:<port>. */
  publicUrl: z.string().url().nullable().default(null),
  /** Start the hub's clock at this instant (ISO 8601) and run from there: demos outside opening hours. */
  timeOrigin: z.string().datetime({ offset: true }).nullable().default(null),
  /** With `timeOrigin`: how many hub seconds pass per real second (demo fast-forward). Default 1. */
  timeRate: z.number().positive().max(3600).default(1),
  /** pino level: fatal, error, warn, info, debug, trace, silent. Default info. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Also write the first-run setup token to this file (for automation). Default none. */
  setupTokenFile: z.string().nullable().default(null),
  /** Session lifetime, hours. Default 12. */
  sessionHours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /** Pairing-code lifetime, minutes. Default 10. */
  pairingCodeMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(10),
  /** Snapshot every N events. Default 500. */
  snapshotEvery: z.number().int().min(10).default(500),
  /** Secure flag on the session cookie (when served over HTTPS). Default false. */
  secureCookies: z.boolean().default(false),
  /**
   * PostgreSQL URL of the bank's central store (`postgres://user:password@host:5432/db`). With
   * `branchId` set too, the hub ships its event log there in the background. Default none: off.
   */
  centralUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// URL')
    .nullable()
    .default(null),
  /** This branch's id in the central store (letters, digits, _ . : -; at most 64). Default none: off. */
  branchId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1–64 letters, digits, _ . : -')
    .nullable()
    .default(null),
});

export type HubConfig = z.output<typeof configSchema>;

const ENV: Record<string, keyof HubConfig> = {
  NEXTUP_HUB_PORT: 'port',
  NEXTUP_HUB_HOST: 'host',
  NEXTUP_DATA_DIR: 'dataDir',
  NEXTUP_PUBLIC_URL: 'publicUrl',
  NEXTUP_TIME_ORIGIN: 'timeOrigin',
  NEXTUP_TIME_RATE: 'timeRate',
  NEXTUP_LOG_LEVEL: 'logLevel',
  NEXTUP_SETUP_TOKEN_FILE: 'setupTokenFile',
  NEXTUP_CENTRAL_URL: 'centralUrl',
  NEXTUP_BRANCH_ID: 'branchId',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The hub's configuration: embedded defaults, then a JSON file (`--config FILE`, or `hub.json` in
 * the data folder if present), then environment variables (NEXTUP_HUB_PORT…), then command-line
 * flags (`--port 8300 --data-dir ./data …`). Errors name the setting and what is wrong.
 */
export function loadHubConfig(argv: string[] = [], env: NodeJS.ProcessEnv = process.env): HubConfig {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ConfigError(`unexpected argument ${JSON.stringify(a)}`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const v = inline ?? argv[++i];
    if (v === undefined) throw new ConfigError(`--${k} needs a value`);
    flags[k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  const raw: Record<string, unknown> = {};
  const dataDirGuess = flags.dataDir ?? env.NEXTUP_DATA_DIR ?? DEFAULT_DATA_DIR;
  const file =
    flags.config ?? (existsSync(join(dataDirGuess, 'hub.json')) ? join(dataDirGuess, 'hub.json') : null);
  delete flags.config;
  if (file) {
    try {
      Object.assign(raw, JSON.parse(readFileSync(file, 'utf8')));
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
  }
  for (const [name, key] of Object.entries(ENV)) if (env[name] !== undefined) raw[key] = env[name];
  Object.assign(raw, flags);
  for (const key of ['port', 'sessionHours', 'pairingCodeMinutes', 'snapshotEvery', 'timeRate'] as const)
    if (typeof raw[key] === 'string') raw[key] = Number(raw[key]);
  if (typeof raw.secureCookies === 'string') raw.secureCookies = raw.secureCookies === 'true';
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`invalid hub configuration:\n${z.prettifyError(parsed.error)}`);
  if ((parsed.data.centralUrl === null) !== (parsed.data.branchId === null))
    throw new ConfigError(
      'centralUrl (NEXTUP_CENTRAL_URL) and branchId (NEXTUP_BRANCH_ID) go together: set both or neither',
    );
  return parsed.data;
}

/** The first non-internal IPv4 address, for the default public URL; localhost when there is none. */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}
