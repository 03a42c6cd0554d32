import { bookingDaysAhead, type DispatchSettings, type OpeningHours } from '@nextup/core';
import { type ClientCommand, clientCommand, noticeRequest } from '@nextup/protocol';
import { type FormEvent, useState } from 'react';
import type { FieldRule } from '../field-errors.ts';
import { hub } from '../hub.ts';
import { type StringKey, useT } from '../i18n.tsx';
import { Field, useLive } from '../ui.tsx';
import { command, FormStatus, useFormErrors } from './admin.tsx';
import { fieldByRules, fieldErrorsOf, numberWords } from './schema-fields.ts';
import { HoursEditor } from './services.tsx';

const NUMERIC: (keyof Omit<DispatchSettings, 'classBoostMinutes'> | 'vip' | 'priority' | 'appointment')[] = [
  'vip',
  'priority',
  'appointment',
  'transferBoostMinutes',
  'serviceRankPenaltyMinutes',
  'maxOvertakes',
  'appointmentLeadMinutes',
  'checkInEarlyMinutes',
  'checkInLateMinutes',
  'numberDigits',
];

const DISPATCH_RULES: FieldRule[] = [
  { field: 'maxOvertakes', en: /overtakes/i, path: /maxOvertakes$/ },
  { field: 'numberDigits', en: /digits/i, path: /numberDigits$/ },
  { field: 'checkInLateMinutes', en: /appointment minutes/i, path: /checkInLateMinutes$/ },
  { field: 'checkInEarlyMinutes', path: /checkInEarlyMinutes$/ },
  { field: 'appointmentLeadMinutes', path: /appointmentLeadMinutes$/ },
  { field: 'vip', path: /classBoostMinutes\.vip$/ },
  { field: 'priority', path: /classBoostMinutes\.priority$/ },
  { field: 'appointment', path: /classBoostMinutes\.appointment$/ },
  { field: 'transferBoostMinutes', en: /minutes must be/i, path: /transferBoostMinutes$/ },
  { field: 'serviceRankPenaltyMinutes', path: /serviceRankPenaltyMinutes$/ },
];

/** The dispatch policy, every number a branch setting (see packages/core/src/dispatch.ts). */
export function DispatchAdmin() {
  const { t } = useT();
  const { view } = useLive();
  const current = view?.state.config.dispatch;
  const [d, setD] = useState<Record<string, string> | null>(null);
  const errors = useFormErrors(DISPATCH_RULES);
  if (!current) return null;
  const values: Record<string, string> = d ?? {
    vip: String(current.classBoostMinutes.vip),
    priority: String(current.classBoostMinutes.priority),
    appointment: String(current.classBoostMinutes.appointment),
    transferBoostMinutes: String(current.transferBoostMinutes),
    serviceRankPenaltyMinutes: String(current.serviceRankPenaltyMinutes),
    maxOvertakes: String(current.maxOvertakes),
    appointmentLeadMinutes: String(current.appointmentLeadMinutes),
    checkInEarlyMinutes: String(current.checkInEarlyMinutes),
    checkInLateMinutes: String(current.checkInLateMinutes),
    numberDigits: String(current.numberDigits),
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A blank number is no number (Number('') would be 0).
    const n = (k: (typeof NUMERIC)[number]) => (values[k]?.trim() ? Number(values[k]) : Number.NaN);
    const settings: DispatchSettings = {
      classBoostMinutes: {
        normal: current.classBoostMinutes.normal,
        vip: n('vip'),
        priority: n('priority'),
        appointment: n('appointment'),
      },
      transferBoostMinutes: n('transferBoostMinutes'),
      serviceRankPenaltyMinutes: n('serviceRankPenaltyMinutes'),
      maxOvertakes: n('maxOvertakes'),
      appointmentLeadMinutes: n('appointmentLeadMinutes'),
      checkInEarlyMinutes: n('checkInEarlyMinutes'),
      checkInLateMinutes: n('checkInLateMinutes'),
      numberDigits: n('numberDigits'),
    };
    const set: ClientCommand = { type: 'SetDispatchSettings', data: { settings } };
    // The hub's command schema says what is valid; the form says it in its words.
    if (!errors.local(fieldErrorsOf(clientCommand, set, numberWords(t), fieldByRules(DISPATCH_RULES))))
      return;
    if (await errors.run(command(set), t('admin.saved'))) setD(null);
  };
  return (
    <section className="panel form-panel wide-form">
      <h1>{t('admin.dispatch.title')}</h1>
      <p className="muted">{t('admin.dispatch.intro')}</p>
      <form onSubmit={submit} className="form-grid" noValidate>
        {NUMERIC.map((k) => (
          <Field
            key={k}
            label={t(`admin.dispatch.${k}` as StringKey)}
            error={errors.fields[k]}
            hint={t(`admin.dispatch.${k}.hint` as StringKey)}
          >
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                name={k}
                inputMode="decimal"
                value={values[k]}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => setD({ ...values, [k]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
        </div>
      </form>
    </section>
  );
}

const BRANCH_RULES: FieldRule[] = [
  { field: 'nameZh', en: /branch name/i, path: /name\.zh$/ },
  { field: 'timeZone', en: /time zone/i, path: /timeZone$/ },
  { field: 'hours', en: /weekdays|times must|open must/i, path: /hours/ },
  { field: 'bookingDaysAhead', en: /days ahead/i, path: /bookingDaysAhead$/ },
];

/** The branch's name, time zone and opening hours. */
export function BranchAdmin() {
  const { t } = useT();
  const { view } = useLive();
  const branch = view?.state.config.branch;
  const [d, setD] = useState<{
    nameZh: string;
    nameEn: string;
    timeZone: string;
    hours: OpeningHours[];
    bookingDaysAhead: string;
  } | null>(null);
  const errors = useFormErrors(BRANCH_RULES);
  if (!branch) return null;
  const v = d ?? {
    nameZh: branch.name.zh,
    nameEn: branch.name.en,
    timeZone: branch.timeZone,
    hours: branch.hours,
    bookingDaysAhead: String(bookingDaysAhead(branch)),
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const configure: ClientCommand = {
      type: 'ConfigureBranch',
      data: {
        branch: {
          name: { zh: v.nameZh.trim(), en: v.nameEn.trim() },
          timeZone: v.timeZone.trim(),
          hours: v.hours,
          bookingDaysAhead: Number(v.bookingDaysAhead),
        },
      },
    };
    // The hub's command schema says what is valid; a time zone it does not know is the hub's to say.
    const words = numberWords(t);
    const local = fieldErrorsOf(
      clientCommand,
      configure,
      (issue) =>
        issue.field === 'timeZone' && issue.code === 'too_small' ? t('admin.err.required') : words(issue),
      fieldByRules(BRANCH_RULES),
    );
    if (!errors.local(local)) return;
    const ok = await errors.run(command(configure), t('admin.saved'));
    if (ok) setD(null);
  };
  return (
    <section className="panel form-panel wide-form">
      <h1>{t('admin.branch.title')}</h1>
      <form onSubmit={submit} className="form-grid" noValidate>
        {(['nameZh', 'nameEn', 'timeZone'] as const).map((k) => (
          <Field key={k} label={t(`admin.branch.${k}`)} error={errors.fields[k]}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={v[k]}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => setD({ ...v, [k]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <Field
          label={t('admin.branch.bookingDaysAhead')}
          hint={t('admin.branch.bookingDaysAheadHint')}
          error={errors.fields.bookingDaysAhead}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="number"
              min={0}
              max={365}
              step={1}
              value={v.bookingDaysAhead}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => setD({ ...v, bookingDaysAhead: e.target.value })}
            />
          )}
        </Field>
        <HoursEditor
          hours={v.hours}
          onChange={(hours) => setD({ ...v, hours })}
          error={errors.fields.hours}
          emptyHint={t('admin.branch.hoursEmpty')}
        />
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
        </div>
      </form>
    </section>
  );
}

const NOTICE_RULES: FieldRule[] = [
  { field: 'zh', path: /notice\.zh$/ },
  { field: 'en', path: /notice\.en$/ },
];

/** The line the call screen shows under the numbers, in both languages. */
export function NoticeAdmin() {
  const { t } = useT();
  const { view } = useLive();
  const notice = view?.hub.notice ?? null;
  const [d, setD] = useState<{ zh: string; en: string } | null>(null);
  const errors = useFormErrors(NOTICE_RULES);
  const v = d ?? { zh: notice?.zh ?? '', en: notice?.en ?? '' };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = v.zh.trim() ? { zh: v.zh.trim(), en: v.en.trim() } : null;
    // The hub's request schema (plain text: a pasted tab is refused), then the rule that a notice
    // is in both languages or none.
    const local = fieldErrorsOf(
      noticeRequest,
      { notice: value },
      // `custom`: the schema's plain-text check; a length beyond it the input's maxLength prevents.
      (issue) => (issue.code === 'custom' ? t('admin.err.plainText') : null),
      fieldByRules(NOTICE_RULES),
    );
    if ((v.zh.trim() === '') !== (v.en.trim() === ''))
      local[v.zh.trim() ? 'en' : 'zh'] = t('admin.err.bothLanguages');
    if (!errors.local(local)) return;
    if (await errors.run(hub.setNotice(value), t('admin.saved'))) setD(null);
  };
  return (
    <section className="panel form-panel wide-form">
      <h1>{t('admin.notice.title')}</h1>
      <p className="muted">{t('admin.notice.intro')}</p>
      <form onSubmit={save} className="form-grid" noValidate>
        {(['zh', 'en'] as const).map((k) => (
          <Field key={k} label={t(`admin.notice.${k}`)} error={errors.fields[k]} wide>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={v[k]}
                maxLength={300}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => setD({ ...v, [k]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={async () => {
              if (await errors.run(hub.setNotice(null), t('admin.saved'))) setD({ zh: '', en: '' });
            }}
          >
            {t('admin.notice.clear')}
          </button>
        </div>
      </form>
    </section>
  );
}
