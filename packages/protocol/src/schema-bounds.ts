import { z } from 'zod';

/**
 * The bounds a schema puts on a number, so that a form can say "from 5 to 600" with the schema's own
 * limits when the schema refuses a value (a zod issue names only the bound that was crossed).
 */
export interface NumberBounds {
  /** The least value, or null for none. */
  min: number | null;
  /** Whether `min` itself is refused (`positive()`: more than 0). */
  minExclusive: boolean;
  /** The greatest value, or null for none. */
  max: number | null;
  maxExclusive: boolean;
  /** Whether only whole numbers pass. */
  integer: boolean;
}

/**
 * The bounds of the number at `path` in what `schema` parses (a zod issue's path), or null when no
 * number is there. Walks objects, arrays, records, nullable/optional/default wrappers, preprocessing
 * pipes and unions (the first option that has the path: a command's `data.service.expectedMinutes`).
 */
export function numberBoundsAt(schema: z.ZodType, path: readonly PropertyKey[]): NumberBounds | null {
  const s: z.ZodType = schema;
  if (s instanceof z.ZodNullable || s instanceof z.ZodOptional || s instanceof z.ZodDefault)
    return numberBoundsAt(s.unwrap() as z.ZodType, path);
  if (s instanceof z.ZodPipe) return numberBoundsAt(s.out as z.ZodType, path);
  if (s instanceof z.ZodUnion) {
    for (const option of s.options as readonly z.ZodType[]) {
      const found = numberBoundsAt(option, path);
      if (found) return found;
    }
    return null;
  }
  const [head, ...rest] = path;
  if (head === undefined) return s instanceof z.ZodNumber ? boundsOf(s) : null;
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    return typeof head === 'string' && Object.hasOwn(shape, head) ? numberBoundsAt(shape[head]!, rest) : null;
  }
  if (s instanceof z.ZodArray && typeof head === 'number')
    return numberBoundsAt(s.element as z.ZodType, rest);
  if (s instanceof z.ZodRecord) return numberBoundsAt(s.valueType as z.ZodType, rest);
  return null;
}

function boundsOf(n: z.ZodNumber): NumberBounds {
  // zod's public reading of a number's checks; a bound the number itself fails is exclusive
  // (`positive()`: more than 0). (`z.toJSONSchema` says the same but would put its generator into
  // every console bundle.)
  const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);
  const min = finite(n.minValue);
  const max = finite(n.maxValue);
  return {
    min,
    minExclusive: min !== null && !n.safeParse(min).success,
    max,
    maxExclusive: max !== null && !n.safeParse(max).success,
    integer: n.isInt,
  };
}
