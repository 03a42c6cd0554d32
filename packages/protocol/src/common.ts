import { ID_PATTERN, isId, isPlainText } from '@nextup/core';
import { z } from 'zod';

// In a browser, zod's faster parsers are compiled with `new Function`, which the hub's
// Content-Security-Policy for the consoles refuses (and reports as a violation): browsers parse
// without them. Set here, before any schema of this package is built, since zod decides when a
// schema is made.
if ((globalThis as { document?: unknown }).document !== undefined) z.config({ jitless: true });

/**
 * Protocol version. Bump on an incompatible change; every envelope carries it, and the hub answers a
 * different version with `UNSUPPORTED_VERSION` rather than guessing.
 */
export const PROTOCOL_VERSION = 1 as const;

/** Upper bounds that every edge enforces before parsing (bytes of the raw message). */
export const LIMITS = {
  /** An HTTP request body or a WebSocket frame from a client. */
  maxMessageBytes: 64 * 1024,
  /** A short label: ids, names, reasons. */
  shortText: 64,
  /** A longer text: hints, notices. */
  longText: 300,
  /** Events in one pushed batch. */
  maxBatch: 1000,
} as const;

export const shortText = z.string().max(LIMITS.shortText);
export const longText = z.string().max(LIMITS.longText);
export const nonEmptyShort = shortText.min(1);
/**
 * An id, wherever it comes from (a request, a keypad, a log): 1–64 letters, digits and `_ . : -`, and
 * not `__proto__` (`isId` in `@nextup/core`). Names of `Object.prototype` members such as
 * `constructor` are ids like any other: every lookup by id is an own-property lookup. Ids the hub
 * makes are longer and random (ticket ids are 22 base64url characters, they name the follow page).
 */
export const id = z
  .string()
  .min(1)
  .max(LIMITS.shortText)
  .regex(ID_PATTERN, 'letters, digits and _ . : - only')
  .refine(isId, '__proto__ is not an id');

/**
 * A record keyed by ids (tickets by ticket id, counters by counter id…). zod skips a `__proto__` key
 * without a word; since `__proto__` is no id, a record holding one is refused instead of quietly
 * arriving shorter than it was sent.
 */
export const idRecord = <V extends z.ZodType>(value: V) =>
  z.preprocess(
    (input, ctx) => {
      if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__'))
        ctx.addIssue({ code: 'custom', message: '__proto__ is not an id', input });
      return input;
    },
    z.record(id, value),
  );
export const epochMs = z.number().int().nonnegative();
export const seq = z.number().int().nonnegative();
export const bilingual = z.object({ zh: longText, en: longText });

/**
 * Text a person types into a request (a name, a reason, a notice): no control characters and no
 * broken UTF-16 (`isPlainText`; a NUL or a lone surrogate cannot even reach the central store). For
 * requests only: what is already in the log and the state is read with the plain text schemas, so
 * that nothing once accepted can stop a subscriber.
 */
export const label = (max: number = LIMITS.shortText) =>
  z.string().max(max).refine(isPlainText, 'no control characters or broken Unicode');
export const bilingualLabel = z.object({ zh: label(LIMITS.longText), en: label(LIMITS.longText) });
export const lang = z.enum(['zh', 'en']);

/** A parse that never throws: the value, or a readable explanation of what is wrong with the input. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Any of the protocol's schemas, for packages that parse with them without depending on zod. */
export type AnySchema = z.ZodType;
/** What a schema parses to. */
export type SchemaOutput<S extends z.ZodType> = z.output<S>;

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: z.prettifyError(r.error) };
}

/**
 * Parses raw text (an HTTP body, a WebSocket frame): size first, then JSON, then the schema, each with
 * its own clear error.
 */
export function parseRaw<S extends z.ZodType>(
  schema: S,
  raw: string | Uint8Array,
): Parsed<z.output<S>> & { code?: string } {
  // Runs in browsers too (no Buffer). A string longer than the limit in UTF-16 units is over it in bytes.
  const bytes =
    typeof raw !== 'string'
      ? raw.byteLength
      : raw.length > LIMITS.maxMessageBytes
        ? raw.length
        : new TextEncoder().encode(raw).byteLength;
  if (bytes > LIMITS.maxMessageBytes)
    return {
      ok: false,
      code: 'MESSAGE_TOO_LARGE',
      error: `message is ${bytes} bytes; the limit is ${LIMITS.maxMessageBytes}`,
    };
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
  } catch (e) {
    return { ok: false, code: 'MALFORMED_JSON', error: `not valid JSON: ${(e as Error).message}` };
  }
  const parsed = parseWith(schema, json);
  return parsed.ok ? parsed : { ...parsed, code: 'INVALID_MESSAGE' };
}

/** Compile-time check that a schema's output type and a domain type are the same. */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export function assertType<_T extends true>(): void {}
