import type { HealthCode, HealthComponent } from '@nextup/protocol';
import { PrinterError } from './errors.ts';
import { type PrinterStatus, statusProblem } from './status.ts';

/** The `detail` field's limit in the protocol (shortText). */
const DETAIL_MAX = 64;

/**
 * The kiosk printer's line in the device health the kiosk reports to the hub. Pure: give it the
 * latest status (or the error the last read or print ended with), the time, and the previous line
 * so that `since` stays when the code has not changed.
 */
export function printerHealth(
  input: PrinterStatus | PrinterError,
  now: number,
  previous: HealthComponent | null = null,
): HealthComponent {
  const { code, level, detail } = input instanceof PrinterError ? fromError(input) : fromStatus(input);
  const since = previous && previous.component === 'printer' && previous.code === code ? previous.since : now;
  return {
    component: 'printer',
    address: null,
    level,
    code,
    detail: detail === null ? null : detail.slice(0, DETAIL_MAX),
    since,
  };
}

type Line = { code: HealthCode; level: HealthComponent['level']; detail: string | null };

function fromStatus(s: PrinterStatus): Line {
  const problem = statusProblem(s);
  switch (problem) {
    case 'COVER_OPEN':
      return { code: 'COVER_OPEN', level: 'error', detail: 'cover open' };
    case 'PAPER_OUT':
      return { code: 'PAPER_OUT', level: 'error', detail: 'paper roll empty' };
    case 'PRINTER_ERROR':
      return { code: 'ERROR', level: 'error', detail: `printer error: ${s.error}` };
    case 'OFFLINE':
      return { code: 'OFFLINE', level: 'error', detail: 'printer reports offline' };
    case null:
      return s.paperNearEnd
        ? { code: 'PAPER_NEAR_END', level: 'warning', detail: 'paper roll nearly empty' }
        : { code: 'OK', level: 'ok', detail: null };
    default: {
      const _: never = problem;
      return _;
    }
  }
}

function fromError(e: PrinterError): Line {
  const detail = e.message;
  switch (e.code) {
    case 'PAPER_OUT':
      return { code: 'PAPER_OUT', level: 'error', detail };
    case 'COVER_OPEN':
      return { code: 'COVER_OPEN', level: 'error', detail };
    case 'TIMEOUT':
      return { code: 'TIMEOUT', level: 'error', detail };
    case 'OFFLINE':
    case 'CONNECT_FAILED':
    case 'DISCONNECTED':
    case 'BUSY':
      return { code: 'OFFLINE', level: 'error', detail };
    case 'NO_STATUS':
      // Prints, but nobody can tell whether paper is in: worth a look, not an outage.
      return { code: 'OK', level: 'warning', detail };
    case 'PRINTER_ERROR':
    case 'PERMISSION_DENIED':
    case 'BAD_URL':
      return { code: 'ERROR', level: 'error', detail };
    default: {
      const _: never = e.code;
      return _;
    }
  }
}
