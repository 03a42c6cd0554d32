import type { KioskError, KioskState } from '@nextup/protocol';
import { type Lang, t } from '../strings.ts';
import { Bilingual, Header, ProblemBanner } from './parts.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'del', '0', 'ok'] as const;

export function KeypadScreen(props: {
  state: KioskState;
  lang: Lang;
  code: string;
  error: KioskError | null;
  busy: boolean;
  secondsLeft: number;
  onLang: () => void;
  onCode: (code: string) => void;
  onSubmit: () => void;
  onBack: () => void;
}) {
  const { state, lang, code, error, busy } = props;
  const press = (k: (typeof KEYS)[number]) => {
    if (busy) return;
    if (k === 'del') props.onCode(code.slice(0, -1));
    else if (k === 'ok') props.onSubmit();
    else if (code.length < 16) props.onCode(code + k);
  };
  return (
    <main className="screen screen-keypad" data-screen="keypad" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <Header state={state} lang={lang} onLang={props.onLang} />
      {state.blocked && <ProblemBanner problem={state.blocked} lang={lang} />}
      <div className="keypad-top">
        <button type="button" className="back-button" data-action="back" onClick={props.onBack}>
          ‹ {t('back', lang)}
        </button>
        <h1 className="title">{t('appointment', lang)}</h1>
      </div>
      <p className="keypad-hint">{t('appointmentHint', lang)}</p>
      <output className="code-display" data-code={code} aria-label={t('codeLabel', lang)}>
        {code || <span className="placeholder">{t('codeLabel', lang)}</span>}
      </output>
      <div className="keypad-message" role="alert">
        {state.appointmentsClosed && !error && (
          <div className="keypad-error" data-error="CHECK_IN_CLOSED">
            <Bilingual text={state.appointmentsClosed} lang={lang} />
          </div>
        )}
        {error && (
          <div className="keypad-error" data-error={error.code}>
            <Bilingual text={error.message} lang={lang} />
          </div>
        )}
        {busy && <p className="keypad-busy">{t('checkingIn', lang)}</p>}
      </div>
      <div className="keypad">
        {KEYS.map((k) => (
          <button
            type="button"
            key={k}
            className={`key key-${k}`}
            data-key={k}
            disabled={
              busy ||
              (k === 'ok' &&
                (code.length === 0 || state.blocked !== null || state.appointmentsClosed !== null))
            }
            onClick={() => press(k)}
          >
            {k === 'del' ? t('clear', lang) : k === 'ok' ? t('confirm', lang) : k}
          </button>
        ))}
      </div>
      <p className="countdown">
        {props.secondsLeft}
        {lang === 'zh' ? ' ' : ''}
        {t('backIn', lang)}
      </p>
    </main>
  );
}
