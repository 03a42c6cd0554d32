import type { SessionInfo } from '@nextup/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type HubError, hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { ErrorNote, Field } from '../ui.tsx';

export function LoginPage({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const { t, lang, setLang } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<HubError | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await hub.login(username.trim(), password);
    setBusy(false);
    if (r.ok) onSignedIn(r.value);
    else setError(r.error);
  };

  return (
    <div className="login-page">
      <form className="panel login-box" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <button
            type="button"
            className="btn btn-quiet lang-switch"
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          >
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
        <p className="muted">{t('login.subtitle')}</p>
        <Field label={t('login.username')}>
          {({ id }) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              ref={first}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label={t('login.password')}>
          {({ id }) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <button type="submit" className="btn btn-primary btn-big" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
