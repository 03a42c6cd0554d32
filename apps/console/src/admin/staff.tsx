import { own } from '@nextup/core';
import { createStaffRequest, updateStaffRequest } from '@nextup/protocol';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { FieldRule } from '../field-errors.ts';
import { hub, type StaffAccount } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { Badge, Btn, Field, useLive } from '../ui.tsx';
import { FormStatus, useFormErrors } from './admin.tsx';
import { type FieldIssue, fieldErrorsOf } from './schema-fields.ts';

const RULES: FieldRule[] = [
  { field: 'username', en: /username/i, path: /username$/ },
  { field: 'displayName', path: /displayName$/ },
  { field: 'password', path: /password$/ },
  { field: 'counterIds', en: /counter/i, path: /counterIds/ },
];

interface Draft {
  staffId: string | null;
  username: string;
  displayName: string;
  role: StaffAccount['role'];
  counterIds: string[];
  disabled: boolean;
  password: string;
}

const blank: Draft = {
  staffId: null,
  username: '',
  displayName: '',
  role: 'teller',
  counterIds: [],
  disabled: false,
  password: '',
};

export function StaffAdmin() {
  const { t, b } = useT();
  const { view } = useLive();
  const [staff, setStaff] = useState<StaffAccount[]>([]);
  const [editing, setEditing] = useState<Draft | null>(null);
  const reload = useCallback(() => void hub.staff().then((r) => r.ok && setStaff(r.value.staff)), []);
  useEffect(reload, [reload]);
  const counters = view?.state.config.counters ?? {};
  return (
    <div className="admin-split">
      <section className="panel">
        <div className="section-head">
          <h1>{t('admin.staff.title')}</h1>
          <Btn variant="primary" onClick={() => setEditing({ ...blank })}>
            {t('admin.staff.add')}
          </Btn>
        </div>
        <table className="table" data-testid="staff-table">
          <thead>
            <tr>
              <th>{t('admin.staff.username')}</th>
              <th>{t('admin.staff.displayName')}</th>
              <th>{t('admin.staff.role')}</th>
              <th>{t('admin.staff.counters')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.staffId}>
                <td className="mono">{s.username}</td>
                <td>
                  {s.displayName} {s.disabled ? <Badge tone="grey">{t('admin.staff.disabled')}</Badge> : null}
                </td>
                <td>{t(`role.${s.role}` as const)}</td>
                <td>
                  {s.counterIds.length === 0
                    ? t('admin.staff.allCounters')
                    : s.counterIds.map((id) => b(own(counters, id)?.name) || id).join('、')}
                </td>
                <td>
                  <Btn variant="quiet" onClick={() => setEditing({ ...s, password: '' })}>
                    {t('edit')}
                  </Btn>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing ? (
        <StaffForm
          key={editing.staffId ?? 'new'}
          initial={editing}
          onSaved={reload}
          onDone={() => setEditing(null)}
        />
      ) : null}
    </div>
  );
}

function StaffForm({
  initial,
  onSaved,
  onDone,
}: {
  initial: Draft;
  onSaved: () => void;
  onDone: () => void;
}) {
  const { t, b } = useT();
  const { view } = useLive();
  const [d, setD] = useState(initial);
  const errors = useFormErrors(RULES);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
  const state = view?.state;
  const fieldWords = ({ field, code }: FieldIssue): string | null => {
    if (field === 'username') return t('admin.staff.usernameRule');
    if (field === 'displayName' && code === 'too_small') return t('admin.err.required');
    if (field === 'password' && code === 'too_small') return t('admin.staff.passwordRule');
    return null;
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = {
      username: d.username,
      displayName: d.displayName.trim(),
      role: d.role,
      password: d.password,
      counterIds: d.counterIds,
    };
    const updated = {
      displayName: d.displayName.trim(),
      role: d.role,
      counterIds: d.counterIds,
      disabled: d.disabled,
      ...(d.password ? { password: d.password } : {}),
    };
    // The hub's own request schemas say what is valid; the form only says it in its words.
    const local =
      d.staffId === null
        ? fieldErrorsOf(createStaffRequest, created, fieldWords)
        : fieldErrorsOf(updateStaffRequest, updated, fieldWords);
    if (!errors.local(local)) return;
    const ok =
      d.staffId === null
        ? await errors.run(hub.createStaff(created), t('admin.saved'))
        : await errors.run(hub.updateStaff(d.staffId, updated), t('admin.saved'));
    if (ok) {
      onSaved();
      if (d.staffId === null && 'staffId' in ok)
        setD((x) => ({ ...x, staffId: (ok as { staffId: string }).staffId, password: '' }));
      else setD((x) => ({ ...x, password: '' }));
    }
  };
  return (
    <section className="panel form-panel">
      <h2>{d.staffId === null ? t('admin.staff.new') : t('admin.staff.edit', { name: d.displayName })}</h2>
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field
          label={t('admin.staff.username')}
          error={errors.fields.username}
          hint={t('admin.staff.usernameRule')}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="username"
              value={d.username}
              readOnly={d.staffId !== null}
              autoComplete="off"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => set('username', e.target.value.trim().toLowerCase())}
            />
          )}
        </Field>
        <Field label={t('admin.staff.displayName')} error={errors.fields.displayName}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="displayName"
              value={d.displayName}
              maxLength={64}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => set('displayName', e.target.value)}
            />
          )}
        </Field>
        <Field label={t('admin.staff.role')}>
          {({ id }) => (
            <select
              id={id}
              name="role"
              value={d.role}
              onChange={(e) => set('role', e.target.value as Draft['role'])}
            >
              {(['teller', 'manager', 'admin'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={d.staffId === null ? t('admin.staff.password') : t('admin.staff.newPassword')}
          error={errors.fields.password}
          hint={t('admin.staff.passwordRule')}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="new-password"
              value={d.password}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => set('password', e.target.value)}
            />
          )}
        </Field>
        <fieldset className={`field-wide check-grid${errors.fields.counterIds ? ' field-invalid' : ''}`}>
          <legend>{t('admin.staff.counters')}</legend>
          <p className="muted small">{t('admin.staff.countersHint')}</p>
          {state?.config.counterOrder.map((cid) => (
            <label key={cid} className="check">
              <input
                type="checkbox"
                checked={d.counterIds.includes(cid)}
                onChange={(e) =>
                  set(
                    'counterIds',
                    e.target.checked ? [...d.counterIds, cid] : d.counterIds.filter((x) => x !== cid),
                  )
                }
              />
              {b(state.config.counters[cid]!.name)}
            </label>
          ))}
          {errors.fields.counterIds ? <div className="field-error">{errors.fields.counterIds}</div> : null}
        </fieldset>
        {d.staffId !== null ? (
          <label className="check field-wide">
            <input type="checkbox" checked={d.disabled} onChange={(e) => set('disabled', e.target.checked)} />
            {t('admin.staff.disableLabel')}
          </label>
        ) : null}
        <FormStatus form={errors.form} saved={errors.saved} />
        <div className="form-actions field-wide">
          <button type="submit" className="btn btn-primary">
            {t('save')}
          </button>
          <Btn variant="quiet" onClick={onDone}>
            {t('close')}
          </Btn>
        </div>
      </form>
    </section>
  );
}
