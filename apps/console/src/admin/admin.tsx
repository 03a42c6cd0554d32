import type { ClientCommand } from '@nextup/protocol';
import { useState } from 'react';
import { errorText, type FieldRule, fieldOfError } from '../field-errors.ts';
import { hub, type Result } from '../hub.ts';
import { type StringKey, useT } from '../i18n.tsx';
import { Link, usePath } from '../router.tsx';
import { CountersAdmin } from './counters.tsx';
import { DevicesAdmin } from './devices.tsx';
import { KeysAdmin } from './keys.tsx';
import { ServicesAdmin } from './services.tsx';
import { BranchAdmin, DispatchAdmin, NoticeAdmin } from './settings.tsx';
import { StaffAdmin } from './staff.tsx';

const SECTIONS = [
  'services',
  'counters',
  'dispatch',
  'branch',
  'staff',
  'devices',
  'notice',
  'keys',
] as const;
type Section = (typeof SECTIONS)[number];

/** The IT admin's console: one section per kind of configuration; every change goes through the hub. */
export function AdminPage() {
  const { t } = useT();
  const path = usePath();
  const seg = path.split('?')[0]!.split('/')[2] as Section | undefined;
  const section: Section = seg && (SECTIONS as readonly string[]).includes(seg) ? seg : 'services';
  return (
    <div className="admin-page">
      <nav className="admin-tabs" aria-label={t('admin.sections')}>
        {SECTIONS.map((s) => (
          <Link
            key={s}
            to={`/admin/${s}`}
            className={s === section ? 'tab active' : 'tab'}
            aria-current={s === section ? 'page' : undefined}
          >
            {t(`admin.tab.${s}` as StringKey)}
          </Link>
        ))}
      </nav>
      <div className="admin-body">
        {section === 'services' ? <ServicesAdmin /> : null}
        {section === 'counters' ? <CountersAdmin /> : null}
        {section === 'dispatch' ? <DispatchAdmin /> : null}
        {section === 'branch' ? <BranchAdmin /> : null}
        {section === 'staff' ? <StaffAdmin /> : null}
        {section === 'devices' ? <DevicesAdmin /> : null}
        {section === 'notice' ? <NoticeAdmin /> : null}
        {section === 'keys' ? <KeysAdmin /> : null}
      </div>
    </div>
  );
}

/**
 * A form's errors: per field (shown under the field) and for the form (shown above its buttons). A hub
 * refusal goes to the field it is about when the rules can tell, else to the form.
 */
export function useFormErrors(rules: readonly FieldRule[]) {
  const { lang } = useT();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return {
    fields,
    form,
    saved,
    clear() {
      setFields({});
      setForm(null);
      setSaved(null);
    },
    local(errors: Record<string, string>): boolean {
      setFields(errors);
      setForm(null);
      setSaved(null);
      return Object.keys(errors).length === 0;
    },
    async run<T>(p: Promise<Result<T>>, okText: string): Promise<T | null> {
      const r = await p;
      if (r.ok) {
        setFields({});
        setForm(null);
        setSaved(okText);
        return r.value;
      }
      const field = fieldOfError(r.error, rules);
      const text = errorText(r.error, lang);
      setSaved(null);
      if (field) {
        setFields({ [field]: text });
        setForm(null);
      } else {
        setFields({});
        setForm(text);
      }
      return null;
    },
  };
}

export function command(c: ClientCommand) {
  return hub.command(c);
}

export function FormStatus({ form, saved }: { form: string | null; saved: string | null }) {
  return (
    <div aria-live="polite" className="form-status">
      {form ? (
        <div className="note note-error" role="alert" data-testid="form-error">
          {form}
        </div>
      ) : null}
      {saved ? (
        <div className="note note-ok" data-testid="form-saved">
          {saved}
        </div>
      ) : null}
    </div>
  );
}
