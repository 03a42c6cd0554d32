import type { CounterBreak, CounterConfig } from '@nextup/core';
import { type ClientCommand, clientCommand } from '@nextup/protocol';
import { type FormEvent, useState } from 'react';
import type { FieldRule } from '../field-errors.ts';
import { useT } from '../i18n.tsx';
import { Btn, Field, useLive } from '../ui.tsx';
import { command, FormStatus, useFormErrors } from './admin.tsx';
import { type FieldIssue, fieldByRules, fieldErrorsOf, rangeWords } from './schema-fields.ts';
import { type WeeklySpan, WeeklySpansEditor } from './weekly-spans.tsx';

const RULES: FieldRule[] = [
  { field: 'id', en: /counter id/i, path: /counter\.id$/ },
  { field: 'number', en: /counter number/i, path: /\.number$/ },
  { field: 'nameZh', path: /name\.zh$/ },
  { field: 'nameEn', path: /name\.en$/ },
  { field: 'services', en: /service/i, path: /services/ },
  { field: 'ledAddress', en: /LED|bus address|different addresses/i, path: /ledAddress$/ },
  { field: 'keypadAddress', en: /keypad/i, path: /keypadAddress$/ },
  { field: 'breaks', en: /break/i, path: /breaks/ },
];

const WEEK = [1, 2, 3, 4, 5, 6, 7];

interface Draft {
  isNew: boolean;
  id: string;
  number: string;
  nameZh: string;
  nameEn: string;
  services: string[];
  ledAddress: string;
  keypadAddress: string;
  /** Planned breaks as the form edits them: every weekday ticked means every day. */
  breaks: WeeklySpan[];
}

function draftOf(c: CounterConfig | null, nextNumber: number): Draft {
  return {
    isNew: c === null,
    id: c?.id ?? `c${nextNumber}`,
    number: String(c?.number ?? nextNumber),
    nameZh: c?.name.zh ?? `${nextNumber}号窗口`,
    nameEn: c?.name.en ?? `Counter ${nextNumber}`,
    services: c?.services ?? [],
    ledAddress: c?.ledAddress == null ? '' : String(c.ledAddress),
    keypadAddress: c?.keypadAddress == null ? '' : String(c.keypadAddress),
    breaks: (c?.breaks ?? []).map((b) => ({ days: b.days ?? WEEK, from: b.start, to: b.end })),
  };
}

/** The breaks as the counter's configuration holds them (no `days` = every day). */
function breaksOf(list: readonly WeeklySpan[]): CounterBreak[] {
  return list.map((b) =>
    b.days.length === 7 ? { start: b.from, end: b.to } : { start: b.from, end: b.to, days: b.days },
  );
}

/** "12:00–13:00", with the weekdays when not every day. */
function breakText(b: CounterBreak, t: (k: 'day.1') => string): string {
  const days =
    b.days && b.days.length < 7 ? ` (${b.days.map((d) => t(`day.${d}` as 'day.1')).join(' ')})` : '';
  return `${b.start}–${b.end}${days}`;
}

export function CountersAdmin() {
  const { t, b } = useT();
  const { view } = useLive();
  const [editing, setEditing] = useState<Draft | null>(null);
  const state = view?.state;
  if (!state) return null;
  const next = Math.max(0, ...Object.values(state.config.counters).map((c) => c.number)) + 1;
  return (
    <div className="admin-split">
      <section className="panel">
        <div className="section-head">
          <h1>{t('admin.counters.title')}</h1>
          <Btn variant="primary" onClick={() => setEditing(draftOf(null, next))}>
            {t('admin.counters.add')}
          </Btn>
        </div>
        <table className="table">
          <thead>
            <tr>
              <th className="num">{t('admin.counters.number')}</th>
              <th>{t('admin.counters.name')}</th>
              <th>{t('admin.counters.services')}</th>
              <th className="num">{t('admin.counters.led')}</th>
              <th className="num">{t('admin.counters.keypad')}</th>
              <th>{t('admin.counters.breaks')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.config.counterOrder.map((id) => {
              const c = state.config.counters[id]!;
              return (
                <tr key={id}>
                  <td className="num">{c.number}</td>
                  <td>{b(c.name)}</td>
                  <td>{c.services.map((s) => state.config.services[s]?.prefix ?? s).join(' › ')}</td>
                  <td className="num">{c.ledAddress ?? '—'}</td>
                  <td className="num">{c.keypadAddress ?? '—'}</td>
                  <td data-testid="counter-breaks">
                    {(c.breaks ?? []).map((x) => breakText(x, t)).join('，') || '—'}
                  </td>
                  <td>
                    <Btn variant="quiet" onClick={() => setEditing(draftOf(c, next))}>
                      {t('edit')}
                    </Btn>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {editing ? <CounterForm key={editing.id} initial={editing} onDone={() => setEditing(null)} /> : null}
    </div>
  );
}

function CounterForm({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { t, b, lang } = useT();
  const { view } = useLive();
  const [d, setD] = useState(initial);
  const [adding, setAdding] = useState('');
  const errors = useFormErrors(RULES);
  const state = view!.state;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const addr = (s: string) => (s.trim() === '' ? null : Number(s));

  /** The schema's problems in the form's words; null leaves one to the hub's answer. */
  const words = (issue: FieldIssue): string | null => {
    if (issue.code === 'invalid_type') return t('admin.err.wholeNumber');
    if (issue.field === 'id' && issue.code === 'too_small') return t('admin.err.required');
    if (issue.field === 'services' && issue.code === 'too_small') return t('admin.counters.needService');
    const range = rangeWords(issue);
    return range ? t(range.key, range.params) : null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const counter: CounterConfig = {
      id: d.id.trim(),
      number: Number(d.number),
      name: { zh: d.nameZh.trim(), en: d.nameEn.trim() },
      services: d.services,
      ledAddress: addr(d.ledAddress),
      keypadAddress: addr(d.keypadAddress),
      breaks: breaksOf(d.breaks),
    };
    const upsert: ClientCommand = { type: 'UpsertCounter', data: { counter } };
    // The hub's command schema says what is valid; a break needs a day by the hub's rules only.
    const local = fieldErrorsOf(clientCommand, upsert, words, fieldByRules(RULES));
    if (d.breaks.some((x) => x.days.length === 0)) local.breaks = t('admin.counters.breakNeedsDay');
    if (!errors.local(local)) return;
    const ok = await errors.run(command(upsert), t('admin.saved'));
    if (ok) setD((x) => ({ ...x, isNew: false }));
  };
  const remove = async () => {
    if (!window.confirm(t('admin.counters.confirmRemove', { name: lang === 'zh' ? d.nameZh : d.nameEn })))
      return;
    const ok = await errors.run(
      command({ type: 'RemoveCounter', data: { counterId: d.id } }),
      t('admin.removed'),
    );
    if (ok) onDone();
  };
  const move = (i: number, by: number) => {
    const list = [...d.services];
    const [x] = list.splice(i, 1);
    list.splice(i + by, 0, x!);
    set('services', list);
  };
  const input = (
    k: 'id' | 'number' | 'nameZh' | 'nameEn' | 'ledAddress' | 'keypadAddress',
    label: string,
    extra: Record<string, unknown> = {},
  ) => (
    <Field label={label} error={errors.fields[k]}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={k}
          value={d[k]}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => set(k, e.target.value)}
          {...extra}
        />
      )}
    </Field>
  );
  return (
    <section className="panel form-panel">
      <h2>
        {d.isNew
          ? t('admin.counters.new')
          : t('admin.counters.edit', { name: lang === 'zh' ? d.nameZh : d.nameEn })}
      </h2>
      <form onSubmit={submit} className="form-grid" noValidate>
        {input('id', t('admin.counters.id'), { readOnly: !d.isNew })}
        {input('number', t('admin.counters.number'), { inputMode: 'numeric' })}
        {input('nameZh', t('admin.services.nameZh'))}
        {input('nameEn', t('admin.services.nameEn'))}
        <fieldset className={`field-wide service-order${errors.fields.services ? ' field-invalid' : ''}`}>
          <legend>{t('admin.counters.servicesOrder')}</legend>
          <ol>
            {d.services.map((sid, i) => (
              <li key={sid}>
                <span>
                  {state.config.services[sid]?.prefix} · {b(state.config.services[sid]?.name)}
                </span>
                <Btn
                  variant="quiet"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('admin.up')}
                >
                  ↑
                </Btn>
                <Btn
                  variant="quiet"
                  disabled={i === d.services.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('admin.down')}
                >
                  ↓
                </Btn>
                <Btn
                  variant="quiet"
                  onClick={() =>
                    set(
                      'services',
                      d.services.filter((x) => x !== sid),
                    )
                  }
                >
                  {t('remove')}
                </Btn>
              </li>
            ))}
          </ol>
          <div className="inline-field">
            <select
              aria-label={t('admin.counters.addService')}
              value={adding}
              onChange={(e) => setAdding(e.target.value)}
            >
              <option value="">{t('admin.counters.addService')}</option>
              {state.config.serviceOrder
                .filter((sid) => !d.services.includes(sid))
                .map((sid) => (
                  <option key={sid} value={sid}>
                    {state.config.services[sid]!.prefix} · {b(state.config.services[sid]!.name)}
                  </option>
                ))}
            </select>
            <Btn
              disabled={!adding}
              onClick={() => {
                set('services', [...d.services, adding]);
                setAdding('');
              }}
            >
              {t('add')}
            </Btn>
          </div>
          {errors.fields.services ? (
            <div className="field-error" role="alert">
              {errors.fields.services}
            </div>
          ) : null}
        </fieldset>
        {input('ledAddress', t('admin.counters.led'), { inputMode: 'numeric' })}
        {input('keypadAddress', t('admin.counters.keypad'), { inputMode: 'numeric' })}
        <BreaksEditor breaks={d.breaks} onChange={(v) => set('breaks', v)} error={errors.fields.breaks} />
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
          <Btn variant="quiet" onClick={onDone}>
            {t('close')}
          </Btn>
          {!d.isNew ? (
            <Btn variant="danger" onClick={() => void remove()}>
              {t('remove')}
            </Btn>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/**
 * The counter's planned breaks (lunch 12:00–13:00): the wait estimate expects the counter away then
 * and tells waiting customers when it is back.
 */
function BreaksEditor({
  breaks,
  onChange,
  error,
}: {
  breaks: WeeklySpan[];
  onChange: (b: WeeklySpan[]) => void;
  error?: string | undefined;
}) {
  const { t } = useT();
  return (
    <WeeklySpansEditor
      spans={breaks}
      onChange={onChange}
      legend={t('admin.counters.breaks')}
      hint={{ text: t('admin.counters.breaksHint'), always: true }}
      fromLabel={t('admin.counters.breakStart')}
      toLabel={t('admin.counters.breakEnd')}
      addLabel={t('admin.counters.breakAdd')}
      newSpan={{ days: WEEK, from: '12:00', to: '13:00' }}
      max={8}
      error={error}
      testId="breaks"
    />
  );
}
