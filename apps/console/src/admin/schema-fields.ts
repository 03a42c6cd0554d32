import type { AnySchema } from '@nextup/protocol';

/** What a field's message is chosen by: where the value is wrong and how (`too_small`, `invalid_format`…). */
export interface FieldIssue {
  field: string;
  code: string;
}

/**
 * Checks a form's request with the protocol's own request schema (the rules the hub applies), so a
 * form never re-implements them, and gives each field the form's message for its first problem.
 * `words` returns that message, or null to leave the problem to the hub's answer (shown beside the
 * field by `field-errors.ts`).
 */
export function fieldErrorsOf(
  schema: AnySchema,
  request: unknown,
  words: (issue: FieldIssue) => string | null,
): Record<string, string> {
  const parsed = schema.safeParse(request);
  const errors: Record<string, string> = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field in errors) continue;
    const text = words({ field, code: issue.code });
    if (text !== null) errors[field] = text;
  }
  return errors;
}
