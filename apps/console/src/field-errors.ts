import type { HubError } from './hub.ts';

/**
 * Which form field a hub refusal is about, so the message is shown next to that field. The hub says
 * it in words (a domain `INVALID_CONFIG` with its reason, or a schema error with the path of the bad
 * value in `detail`); the rules match the English reason or the path.
 */
export interface FieldRule {
  field: string;
  /** Matches the English text of a domain refusal's reason. */
  en?: RegExp;
  /** Matches the path of a schema error ("command.data.service.prefix"). */
  path?: RegExp;
  /** The error's code, for a refusal that names neither a reason nor a path (`UNKNOWN_COUNTER`). */
  code?: string;
}

export function fieldOfError(error: HubError, rules: readonly FieldRule[]): string | null {
  const byCode = rules.find((r) => r.code === error.code);
  if (byCode) return byCode.field;
  if (error.kind === 'domain') {
    const reason = error.params?.reason;
    const en = typeof reason === 'object' && reason !== null ? reason.en : error.message.en;
    return rules.find((r) => r.en?.test(en))?.field ?? null;
  }
  if (error.kind === 'input' && 'detail' in error && error.detail) {
    const paths = [...error.detail.matchAll(/→ at ([\w.[\]]+)/g)].map((m) => m[1]!);
    for (const p of paths) {
      const rule = rules.find((r) => r.path?.test(p));
      if (rule) return rule.field;
    }
  }
  return null;
}

/** The words to show: the hub's message, with the schema's own explanation when it has one. */
export function errorText(error: HubError, lang: 'zh' | 'en'): string {
  const detail = error.kind === 'domain' ? undefined : error.detail;
  const first = detail?.split('\n')[0]?.replace(/^✖\s*/, '');
  if (error.kind === 'input' && first && lang === 'zh' && first !== error.message.en)
    return `${error.message.zh}：${first}`;
  return error.message[lang];
}
