import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiKeyInfo, hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { Badge, Btn, Field } from '../ui.tsx';
import { FormStatus, useFormErrors } from './admin.tsx';

/**
 * API keys for the bank's own systems (its app or website) to book and cancel appointments. A key is
 * shown once, when made; the hub keeps only its hash. Revoking refuses it at once.
 */
export function KeysAdmin() {
  const { t } = useT();
  const [keys, setKeys] = useState<ApiKeyInfo[]>([]);
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const errors = useFormErrors([{ field: 'name', path: /name$/ }]);
  const reload = useCallback(() => void hub.apiKeys().then((r) => r.ok && setKeys(r.value.keys)), []);
  useEffect(reload, [reload]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!errors.local(name.trim() ? {} : { name: t('admin.err.required') })) return;
    const r = await errors.run(hub.createApiKey(name.trim()), t('admin.keys.made'));
    if (r) {
      setMade({ name: r.name, key: r.key });
      setName('');
      reload();
    }
  };
  return (
    <div className="admin-split">
      <section className="panel">
        <h1>{t('admin.keys.title')}</h1>
        <p className="muted">{t('admin.keys.intro')}</p>
        {keys.length === 0 ? <p className="muted">{t('admin.keys.none')}</p> : null}
        <table className="table">
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td className="mono">{k.id}</td>
                <td>{new Date(k.createdAt).toISOString().slice(0, 10)}</td>
                <td>
                  {k.revokedAt ? (
                    <Badge tone="grey">{t('admin.keys.revoked')}</Badge>
                  ) : (
                    <Btn
                      variant="danger"
                      onClick={async () => {
                        if (!window.confirm(t('admin.keys.confirmRevoke', { name: k.name }))) return;
                        await hub.revokeApiKey(k.id);
                        reload();
                      }}
                    >
                      {t('admin.keys.revoke')}
                    </Btn>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel form-panel">
        <h2>{t('admin.keys.add')}</h2>
        <form onSubmit={submit} className="form-grid" noValidate>
          <Field label={t('admin.keys.name')} error={errors.fields.name} hint={t('admin.keys.nameHint')} wide>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                value={name}
                maxLength={64}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <FormStatus form={errors.form} saved={null} />
          <div className="form-actions field-wide">
            <button type="submit" className="btn btn-primary">
              {t('admin.keys.make')}
            </button>
          </div>
        </form>
        {made ? (
          <div className="note note-ok" data-testid="api-key">
            <p>{t('admin.keys.showOnce', { name: made.name })}</p>
            <code className="key">{made.key}</code>
          </div>
        ) : null}
      </section>
    </div>
  );
}
