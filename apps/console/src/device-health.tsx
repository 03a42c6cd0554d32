import type { HealthComponent } from '@nextup/protocol';
import { hhmm, minutesSince } from './format.ts';
import { isStringKey as known, type StringKey, useT } from './i18n.tsx';
import { Badge } from './ui.tsx';

type Reason = NonNullable<HealthComponent['reason']>;
type T = (key: StringKey, params?: Record<string, string | number>) => string;

/**
 * A device's reason (`notPrinted` with `{ numbers }`) in the reader's language, or null when this
 * console does not know the code (a newer device): then the device's own `detail` is all there is.
 */
export function reasonText(reason: Reason | null | undefined, t: T): string | null {
  if (!reason) return null;
  const key = `health.reason.${reason.code}`;
  if (!known(key)) return null;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(reason.params)) {
    const word = `printer.error.${value}`;
    params[name] = name === 'kind' && known(word) ? t(word) : value;
  }
  return t(key, params);
}

/**
 * One component's health in words: the code ("缺纸"), which part ("打印机", "LED 屏 #3"), since when
 * on the hub's clock, and what more the device said, in the reader's language. A device's own
 * technical text (English) is shown as such in English, and folded away under "设备原文" in Chinese.
 */
export function HealthLine({ c, tz, now }: { c: HealthComponent; tz: string; now: number }) {
  const { t, lang } = useT();
  const tone = c.level === 'ok' ? 'green' : c.level === 'warning' ? 'amber' : 'red';
  const reason = reasonText(c.reason, t);
  return (
    <li className={`health-${c.level}`} data-component={c.component} data-code={c.code}>
      <Badge tone={tone}>{t(`health.${c.code}` as StringKey)}</Badge>{' '}
      {t(`component.${c.component}` as StringKey)}
      {c.address !== null ? ` #${c.address}` : ''}
      {c.level !== 'ok' ? (
        <span className="muted small">
          {' '}
          · {t('health.since', { time: hhmm(c.since, tz), minutes: minutesSince(c.since, now) })}
        </span>
      ) : null}
      {reason ? (
        <span className="health-reason" title={c.detail ?? undefined}>
          {' '}
          · {reason}
        </span>
      ) : c.detail && lang === 'en' ? (
        <span className="muted small"> · {c.detail}</span>
      ) : c.detail ? (
        <details className="device-text">
          <summary>{t('health.deviceText')}</summary>
          <span lang="en">{c.detail}</span>
        </details>
      ) : null}
    </li>
  );
}
