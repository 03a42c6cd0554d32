import { PrinterError, type PrinterStatus, statusProblem } from '@nextup/printer';
import type { HealthComponent } from '@nextup/protocol';

export type HealthReason = NonNullable<HealthComponent['reason']>;

/**
 * What the printer's health code alone does not say, as a code with values the consoles put into
 * words in their own language (`health.reason.*` in the console's strings). The device's `detail`
 * keeps its technical text for IT. Pure.
 */
export function printerReason(input: PrinterStatus | PrinterError, url: string | null): HealthReason | null {
  const at: Record<string, string> = url ? { url: url.slice(0, 64) } : {};
  if (input instanceof PrinterError) {
    switch (input.code) {
      case 'PAPER_OUT':
      case 'COVER_OPEN':
        // The code says it all.
        return null;
      case 'CONNECT_FAILED':
        return { code: 'connectFailed', params: at };
      case 'TIMEOUT':
        return { code: 'noAnswer', params: at };
      case 'OFFLINE':
        return { code: 'printerOffline', params: {} };
      case 'DISCONNECTED':
        return { code: 'disconnected', params: at };
      case 'BUSY':
        return { code: 'portBusy', params: at };
      case 'NO_STATUS':
        return { code: 'noStatus', params: {} };
      case 'PRINTER_ERROR':
        return { code: 'printerError', params: { kind: 'unknown' } };
      case 'PERMISSION_DENIED':
        return { code: 'permissionDenied', params: at };
      case 'BAD_URL':
        return { code: 'badUrl', params: at };
      default: {
        const _: never = input.code;
        return _;
      }
    }
  }
  switch (statusProblem(input)) {
    case 'PRINTER_ERROR':
      return { code: 'printerError', params: { kind: input.error ?? 'unknown' } };
    case 'OFFLINE':
      return { code: 'printerOffline', params: {} };
    default:
      // Paper out, cover open, paper low, fine: the code says it all.
      return null;
  }
}

/** No printer set up for this kiosk yet (the admin sets its URL on the hub). */
export const NO_PRINTER: HealthReason = { code: 'noPrinter', params: {} };

/** Customers hold a number but no paper: staff should know who. */
export function notPrinted(numbers: readonly string[]): HealthReason {
  return { code: 'notPrinted', params: { numbers: numbers.join(' ').slice(0, 64) } };
}
