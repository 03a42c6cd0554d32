import type { Bilingual as Bi } from '@nextup/core';
import type { KioskState } from '@nextup/protocol';
import { useState } from 'react';
import { requestAction } from '../agent.ts';
import { t } from '../strings.ts';
import { Bilingual } from './parts.tsx';

const PAIR_KEYS = ['1', '2', '3', 'del', '4', '5', '6', '.', '7', '8', '9', ':', '0'] as const;

export function PairingScreen({ state }: { state: KioskState }) {
  const [hub, setHub] = useState(state.hubUrl ?? '');
  const [code, setCode] = useState('');
  const [field, setField] = useState<'hub' | 'code'>('hub');
  const [error, setError] = useState<Bi | null>(null);
  const busy = state.phase === 'pairing';
  const shown = error ?? state.pairingError;
  const submit = async () => {
    setError(null);
    // No name is typed here: the kiosk takes the name branch IT gave its pairing code.
    const r = await requestAction('/local/pair', { hubAddress: hub, code });
    if (!r.ok) setError(r.error.message);
  };
  const press = (k: (typeof PAIR_KEYS)[number]) => {
    const set = field === 'hub' ? setHub : setCode;
    const value = field === 'hub' ? hub : code;
    if (k === 'del') set(value.slice(0, -1));
    else if (field === 'code') {
      if (/\d/.test(k) && code.length < 6) setCode(code + k);
    } else setHub(hub + k);
  };
  return (
    <main className="screen screen-pairing" data-screen="pairing">
      <h1 className="title">
        {t('pairTitle', 'zh')} <span className="title-en">{t('pairTitle', 'en')}</span>
      </h1>
      <p className="pair-intro">{t('pairIntro', 'zh')}</p>
      <p className="pair-intro en">{t('pairIntro', 'en')}</p>
      <form
        className="pair-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className={`pair-field ${field === 'hub' ? 'focused' : ''}`}>
          <span className="pair-label">
            {t('hubAddress', 'zh')} · {t('hubAddress', 'en')}
          </span>
          <input
            name="hub"
            value={hub}
            placeholder="192.168.1.10:8300"
            autoComplete="off"
            spellCheck={false}
            onFocus={() => setField('hub')}
            onChange={(e) => setHub(e.target.value)}
          />
        </label>
        <label className={`pair-field ${field === 'code' ? 'focused' : ''}`}>
          <span className="pair-label">
            {t('pairingCode', 'zh')} · {t('pairingCode', 'en')}
          </span>
          <input
            name="code"
            value={code}
            inputMode="numeric"
            maxLength={6}
            autoComplete="off"
            onFocus={() => setField('code')}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        </label>
        <div className="pair-keys">
          {PAIR_KEYS.map((k) => (
            <button
              type="button"
              key={k}
              className={`key key-${k}`}
              data-pair-key={k}
              onClick={() => press(k)}
            >
              {k === 'del' ? '删除' : k}
            </button>
          ))}
        </div>
        {shown && (
          <div className="keypad-error" role="alert" data-pair-error>
            <Bilingual text={shown} lang="zh" />
          </div>
        )}
        <button
          type="submit"
          className="big-button"
          data-action="pair"
          disabled={busy || code.length !== 6 || hub.trim() === ''}
        >
          {busy ? `${t('pairing', 'zh')} ${t('pairing', 'en')}` : `${t('pair', 'zh')} · ${t('pair', 'en')}`}
        </button>
      </form>
      <p className="staff-only">
        {t('staffOnly', 'zh')} · {t('staffOnly', 'en')}
      </p>
    </main>
  );
}
