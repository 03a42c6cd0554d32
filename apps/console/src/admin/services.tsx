import type { OpeningHours, ServiceConfig } from '@nextup/core';
import { type ClientCommand, clientCommand } from '@nextup/protocol';
import { type FormEvent, useState } from 'react';
import type { FieldRule } from '../field-errors.ts';
import { useT } from '../i18n.tsx';
import { Badge, Btn, Field, useLive } from '../ui.tsx';
import { command, FormStatus, useFormErrors } from './admin.tsx';
import { type FieldIssue, fieldByRules, fieldErrorsOf, rangeWords } from './schema-fields.ts';
import { WeeklySpansEditor } from './weekly-spans.tsx';

const RULES: FieldRule[] = [
  { field: 'id', en: /service id/i, path: /service\.id$/ },
  { field: 'prefix', en: /prefix/i, path: /\.prefix$/ },
  { field: 'nameZh', en: /service name|name is required/i, path: /name\.zh$/ },
  { field: 'nameEn', path: /name\.en$/ },
  { field: 'expectedMinutes', en: /expected minutes/i, path: /expectedMinutes$/ },
  { field: 'dailyLimit', en: /daily limit/i, path: /dailyLimit$/ },
  { field: 'hours', en: /weekdays|times must|open must/i, path: /hours/ },
  { field: 'hint', path: /hint/ },
  { field: 'slotMinutes', en: /slot minutes/i, path: /slotMinutes$/ },
  { field: 'capacity', en: /capacity/i, path: /capacity$/ },
];

interface Draft {
  isNew: boolean;
  id: string;
  prefix: string;
  nameZh: string;
  nameEn: string;
  expectedMinutes: string;
  dailyLimit: string;
  hours: OpeningHours[];
  hintZh: string;
  hintEn: string;
  selfService: boolean;
  bookable: boolean;
  slotMinutes: string;
  capacity: string;
  enabled: boolean;
}

function draftOf(s: ServiceConfig | null): Draft {
  return {
    isNew: s === null,
    id: s?.id ?? '',
    prefix: s?.prefix ?? '',
    nameZh: s?.name.zh ?? '',
    nameEn: s?.name.en ?? '',
    expectedMinutes: String(s?.expectedMinutes ?? 5),
    dailyLimit: s?.dailyLimit == null ? '' : String(s.dailyLimit),
    hours: s?.hours ?? [],
    hintZh: s?.hint?.zh ?? '',
    hintEn: s?.hint?.en ?? '',
    selfService: s?.selfServiceSuggested ?? false,
    bookable: s?.appointments != null,
    slotMinutes: String(s?.appointments?.slotMinutes ?? 30),
    capacity: String(s?.appointments?.capacity ?? 2),
    enabled: s?.enabled ?? true,
  };
}

export function ServicesAdmin() {
  const { t, b } = useT();
  const { view } = useLive();
  const [editing, setEditing] = useState<Draft | null>(null);
  const state = view?.state;
  if (!state) return null;
  return (
    <div className="admin-split">
      <section className="panel" aria-labelledby="svc-list">
        <div className="section-head">
          <h1 id="svc-list">{t('admin.services.title')}</h1>
          <Btn variant="primary" onClick={() => setEditing(draftOf(null))}>
            {t('admin.services.add')}
          </Btn>
        </div>
        <table className="table" data-testid="services-table">
          <thead>
            <tr>
              <th>{t('admin.services.prefix')}</th>
              <th>{t('admin.services.name')}</th>
              <th className="num">{t('admin.services.expected')}</th>
              <th className="num">{t('admin.services.limit')}</th>
              <th>{t('admin.services.flags')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {state.config.serviceOrder.map((id) => {
              const s = state.config.services[id]!;
              return (
                <tr key={id} data-service={id}>
                  <td>
                    <span className="prefix">{s.prefix}</span>
                  </td>
                  <td>{b(s.name)}</td>
                  <td className="num">{s.expectedMinutes}</td>
                  <td className="num">{s.dailyLimit ?? '—'}</td>
                  <td>
                    {!s.enabled ? <Badge tone="grey">{t('admin.services.disabled')}</Badge> : null}
                    {s.appointments ? <Badge tone="teal">{t('admin.services.bookable')}</Badge> : null}
                    {s.selfServiceSuggested ? (
                      <Badge tone="blue">{t('admin.services.selfService')}</Badge>
                    ) : null}
                  </td>
                  <td>
                    <Btn variant="quiet" onClick={() => setEditing(draftOf(s))}>
                      {t('edit')}
                    </Btn>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {editing ? (
        <ServiceForm key={editing.id || 'new'} initial={editing} onDone={() => setEditing(null)} />
      ) : null}
    </div>
  );
}

function ServiceForm({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { t, lang } = useT();
  const [d, setD] = useState(initial);
  const errors = useFormErrors(RULES);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  /** The schema's problems in the form's words; null leaves one to the hub's answer. */
  const words = (issue: FieldIssue): string | null => {
    if (issue.code === 'invalid_type')
      return t(issue.bounds?.integer ? 'admin.err.wholeNumber' : 'admin.err.number');
    if (issue.field === 'id' && issue.code === 'too_small') return t('admin.err.required');
    if (issue.field === 'prefix') return t('admin.services.prefixHint');
    const range = rangeWords(issue);
    return range ? t(range.key, range.params) : null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A blank number is no number (Number('') would be 0).
    const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
    const service: ServiceConfig = {
      id: d.id.trim(),
      prefix: d.prefix.trim().toUpperCase(),
      name: { zh: d.nameZh.trim(), en: d.nameEn.trim() },
      expectedMinutes: num(d.expectedMinutes),
      dailyLimit: d.dailyLimit.trim() === '' ? null : num(d.dailyLimit),
      hours: d.hours,
      hint: d.hintZh.trim() ? { zh: d.hintZh.trim(), en: d.hintEn.trim() } : null,
      selfServiceSuggested: d.selfService,
      appointments: d.bookable ? { slotMinutes: Number(d.slotMinutes), capacity: Number(d.capacity) } : null,
      enabled: d.enabled,
    };
    const upsert: ClientCommand = { type: 'UpsertService', data: { service } };
    // The hub's command schema says what is valid; the form adds what only the hub's rules say
    // (both names, a hint in both languages or neither), so that each shows before a round trip.
    const local = fieldErrorsOf(clientCommand, upsert, words, fieldByRules(RULES));
    if (!d.nameZh.trim()) local.nameZh = t('admin.err.required');
    if (!d.nameEn.trim()) local.nameEn = t('admin.err.required');
    if ((d.hintZh.trim() === '') !== (d.hintEn.trim() === '')) local.hint = t('admin.err.bothLanguages');
    if (!errors.local(local)) return;
    const ok = await errors.run(command(upsert), t('admin.saved'));
    if (ok) setD((x) => ({ ...x, isNew: false }));
  };

  const remove = async () => {
    if (!window.confirm(t('admin.services.confirmRemove', { name: lang === 'zh' ? d.nameZh : d.nameEn })))
      return;
    const ok = await errors.run(
      command({ type: 'RemoveService', data: { serviceId: d.id } }),
      t('admin.removed'),
    );
    if (ok) onDone();
  };

  const text = (
    k: 'id' | 'prefix' | 'nameZh' | 'nameEn' | 'expectedMinutes' | 'dailyLimit',
    label: string,
    extra: Record<string, unknown> = {},
    hint?: string,
  ) => (
    <Field label={label} error={errors.fields[k]} hint={hint}>
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
    <section className="panel form-panel" aria-labelledby="svc-form">
      <h2 id="svc-form">
        {d.isNew
          ? t('admin.services.new')
          : t('admin.services.edit', { name: lang === 'zh' ? d.nameZh : d.nameEn })}
      </h2>
      <form onSubmit={submit} className="form-grid" noValidate>
        {text(
          'id',
          t('admin.services.id'),
          { readOnly: !d.isNew, maxLength: 32 },
          t('admin.services.idHint'),
        )}
        {text(
          'prefix',
          t('admin.services.prefix'),
          { maxLength: 1, className: 'input-narrow' },
          t('admin.services.prefixHint'),
        )}
        {text('nameZh', t('admin.services.nameZh'), { maxLength: 64 })}
        {text('nameEn', t('admin.services.nameEn'), { maxLength: 64 })}
        {text('expectedMinutes', t('admin.services.expectedMinutes'), { inputMode: 'decimal' })}
        {text(
          'dailyLimit',
          t('admin.services.dailyLimit'),
          { inputMode: 'numeric' },
          t('admin.services.dailyLimitHint'),
        )}
        <HoursEditor
          hours={d.hours}
          onChange={(h) => set('hours', h)}
          error={errors.fields.hours}
          emptyHint={t('admin.services.hoursEmpty')}
        />
        <Field label={t('admin.services.hintZh')} error={errors.fields.hint} wide>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              value={d.hintZh}
              maxLength={300}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => set('hintZh', e.target.value)}
            />
          )}
        </Field>
        <Field label={t('admin.services.hintEn')} wide>
          {({ id }) => (
            <input id={id} value={d.hintEn} maxLength={300} onChange={(e) => set('hintEn', e.target.value)} />
          )}
        </Field>
        <label className="check field-wide">
          <input
            type="checkbox"
            checked={d.selfService}
            onChange={(e) => set('selfService', e.target.checked)}
          />
          {t('admin.services.selfServiceLabel')}
        </label>
        <label className="check field-wide">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          {t('admin.services.enabledLabel')}
        </label>
        <label className="check field-wide">
          <input type="checkbox" checked={d.bookable} onChange={(e) => set('bookable', e.target.checked)} />
          {t('admin.services.bookableLabel')}
        </label>
        {d.bookable ? (
          <>
            <Field label={t('admin.services.slotMinutes')} error={errors.fields.slotMinutes}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  inputMode="numeric"
                  value={d.slotMinutes}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => set('slotMinutes', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('admin.services.capacity')} error={errors.fields.capacity}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  inputMode="numeric"
                  value={d.capacity}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => set('capacity', e.target.value)}
                />
              )}
            </Field>
          </>
        ) : null}
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

export function HoursEditor({
  hours,
  onChange,
  error,
  emptyHint,
}: {
  hours: OpeningHours[];
  onChange: (h: OpeningHours[]) => void;
  error?: string | undefined;
  emptyHint: string;
}) {
  const { t } = useT();
  return (
    <WeeklySpansEditor
      spans={hours.map((h) => ({ days: h.days, from: h.open, to: h.close }))}
      onChange={(spans) => onChange(spans.map((s) => ({ days: s.days, open: s.from, close: s.to })))}
      legend={t('admin.hours')}
      hint={{ text: emptyHint, always: false }}
      fromLabel={t('admin.hoursOpen')}
      toLabel={t('admin.hoursClose')}
      addLabel={t('admin.hoursAdd')}
      newSpan={{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }}
      error={error}
    />
  );
}
