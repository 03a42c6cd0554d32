import pino from 'pino';

/** The structured logger the hub's parts take; pino's fits. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** JSON lines on stdout (pino). `level` default 'info'. */
export function createLogger(level = 'info'): pino.Logger {
  return pino({ level, base: { app: 'nextup-hub' }, timestamp: pino.stdTimeFunctions.isoTime });
}
