import { useT } from '../i18n.tsx';
import { Btn } from '../ui.tsx';

/** A span of the day on some weekdays: opening hours, a counter's planned break. */
export interface WeeklySpan {
  /** ISO weekdays 1 (Monday) … 7 (Sunday). */
  days: number[];
  /** 'HH:MM'. */
  from: string;
  /** 'HH:MM'. */
  to: string;
}

const WEEK = [1, 2, 3, 4, 5, 6, 7];

/**
 * Rows of weekdays and a from–to time, added and removed by the admin: the one editor behind the
 * opening hours and the counters' planned breaks. The caller names the fields and maps its own shape.
 */
export function WeeklySpansEditor({
  spans,
  onChange,
  legend,
  hint,
  fromLabel,
  toLabel,
  addLabel,
  newSpan,
  max,
  error,
  testId,
}: {
  spans: WeeklySpan[];
  onChange: (spans: WeeklySpan[]) => void;
  legend: string;
  /** Shown above the rows (always, or only while there are none). */
  hint: { text: string; always: boolean };
  fromLabel: string;
  toLabel: string;
  addLabel: string;
  newSpan: WeeklySpan;
  max?: number;
  error?: string | undefined;
  testId?: string;
}) {
  const { t } = useT();
  const patch = (i: number, p: Partial<WeeklySpan>) =>
    onChange(spans.map((s, j) => (j === i ? { ...s, ...p } : s)));
  const time = (i: number, key: 'from' | 'to', label: string) => (
    <input
      className="input-time"
      inputMode="numeric"
      maxLength={5}
      placeholder="HH:MM"
      aria-label={label}
      value={spans[i]![key]}
      onChange={(e) => patch(i, { [key]: e.target.value.trim() })}
    />
  );
  return (
    <fieldset className={`hours field-wide${error ? ' field-invalid' : ''}`} data-testid={testId}>
      <legend>{legend}</legend>
      {hint.always || spans.length === 0 ? <p className="muted small">{hint.text}</p> : null}
      {spans.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their place
        <div className="hours-row" key={i} data-testid={testId ? `${testId}-row` : undefined}>
          <span className="day-boxes">
            {WEEK.map((day) => (
              <label key={day} className="day">
                <input
                  type="checkbox"
                  checked={s.days.includes(day)}
                  onChange={(e) =>
                    patch(i, {
                      days: e.target.checked
                        ? [...s.days, day].sort((a, b) => a - b)
                        : s.days.filter((x) => x !== day),
                    })
                  }
                />
                {t(`day.${day}` as 'day.1')}
              </label>
            ))}
          </span>
          {time(i, 'from', fromLabel)}
          <span>–</span>
          {time(i, 'to', toLabel)}
          <Btn variant="quiet" onClick={() => onChange(spans.filter((_, j) => j !== i))}>
            {t('remove')}
          </Btn>
        </div>
      ))}
      {max === undefined || spans.length < max ? (
        <Btn variant="quiet" onClick={() => onChange([...spans, newSpan])}>
          {addLabel}
        </Btn>
      ) : null}
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
