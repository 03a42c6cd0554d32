import { type AnySchema, type NumberBounds, numberBoundsAt } from '@nextup/protocol';
import type { FieldRule } from '../field-errors.ts';
import type { StringKey } from '../i18n.tsx';

/** What a field's message is chosen by: where the value is wrong and how (`too_small`, `invalid_format`…). */
export interface FieldIssue {
  field: string;
  code: string;
  /** Where in the request the schema found it, e.g. `['data', 'service', 'expectedMinutes']`. */
  path: readonly PropertyKey[];
  /** For `invalid_type`: what the schema wanted (`number`, `int`…). */
  expected?: string | undefined;
  /** The schema's bounds on the number at `path`, when a number is there. */
  bounds: NumberBounds | null;
}

/** Which form field a schema issue's path is about, or null for none of the form's fields. */
export type FieldOfPath = (path: readonly PropertyKey[]) => string | null;

/** The request's top-level key is the field (the staff forms: `username`, `password`…). */
export const topLevelField: FieldOfPath = (path) => (path.length > 0 ? String(path[0]) : null);

/**
 * The field of the form's first rule whose `path` matches the issue's path written with dots
 * (`data.service.prefix`): the same rules that place the hub's refusals (`field-errors.ts`).
 */
export function fieldByRules(rules: readonly FieldRule[]): FieldOfPath {
  return (path) => {
    const dotted = path.map(String).join('.');
    return rules.find((r) => r.path?.test(dotted))?.field ?? null;
  };
}

/**
 * Checks a form's request with the protocol's own request schema (the rules the hub applies), so a
 * form never re-implements them, and gives each field the form's message for its first problem.
 * `words` returns that message (the text, or a message key with its parameters), or null to leave the
 * problem to the hub's answer (shown beside the field by `field-errors.ts`); an issue `fieldOf`
 * places on no field is left to the hub too.
 */
export function fieldErrorsOf<W = string>(
  schema: AnySchema,
  request: unknown,
  words: (issue: FieldIssue) => W | null,
  fieldOf: FieldOfPath = topLevelField,
): Record<string, W> {
  const parsed = schema.safeParse(request);
  const errors: Record<string, W> = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (field === null || field in errors) continue;
    const text = words({
      field,
      code: issue.code,
      path: issue.path,
      expected: 'expected' in issue ? String(issue.expected) : undefined,
      bounds: numberBoundsAt(schema, issue.path),
    });
    if (text !== null) errors[field] = text;
  }
  return errors;
}

/** A message key with its parameters, as the console's `t` takes them. */
export type Words = { key: StringKey; params?: Record<string, string | number> };

/**
 * The words for a number outside the schema's bounds, with those bounds: "a whole number from 5 to
 * 600", "from 0 to 100000", "more than 0, at most 240". Null for any other issue.
 */
export function rangeWords(issue: FieldIssue): Words | null {
  const b = issue.bounds;
  if ((issue.code !== 'too_small' && issue.code !== 'too_big') || !b || b.min === null || b.max === null)
    return null;
  if (b.integer)
    return {
      key: 'admin.devices.err.range',
      params: {
        min: b.minExclusive ? Math.floor(b.min) + 1 : b.min,
        max: b.maxExclusive ? Math.ceil(b.max) - 1 : b.max,
      },
    };
  return {
    key: b.minExclusive ? 'admin.err.rangeAbove' : 'admin.err.range',
    params: { min: b.min, max: b.max },
  };
}

/**
 * The usual words for a number the schema refuses: not a number, not a whole number, or outside its
 * bounds (`rangeWords`). Null for any other issue. `t` is the page's translator.
 */
export function numberWords(
  t: (key: StringKey, params?: Record<string, string | number>) => string,
): (issue: FieldIssue) => string | null {
  return (issue) => {
    if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int'))
      return t(issue.expected === 'int' ? 'admin.err.wholeNumber' : 'admin.err.number');
    const range = rangeWords(issue);
    return range ? t(range.key, range.params) : null;
  };
}
