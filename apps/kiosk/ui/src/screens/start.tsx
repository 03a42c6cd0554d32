import type { KioskError, KioskOffer, KioskState } from '@nextup/protocol';
import { type Lang, other, t, waitRange } from '../strings.ts';
import { Bilingual, Header, keepFigures, ProblemBanner } from './parts.tsx';

export function StartScreen(props: {
  state: KioskState;
  lang: Lang;
  busy: 'issue' | 'checkIn' | null;
  notice: KioskError | null;
  onLang: () => void;
  onService: (serviceId: string) => void;
  onAppointment: () => void;
  onDismiss: () => void;
}) {
  const { state, lang, busy, notice } = props;
  const blocked = state.blocked;
  const compact = state.offers.length > 5;
  return (
    <main className="screen screen-start" data-screen="start" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <Header state={state} lang={lang} onLang={props.onLang} />
      {blocked && <ProblemBanner problem={blocked} lang={lang} />}
      <h1 className="title">{t('chooseService', lang)}</h1>
      {state.offers.length === 0 && <p className="no-services">{t('loadingServices', lang)}</p>}
      <div className={`services ${compact ? 'compact' : ''}`}>
        {state.offers.map((o) => (
          <ServiceButton
            key={o.serviceId}
            offer={o}
            lang={lang}
            blocked={blocked !== null}
            onTap={() => props.onService(o.serviceId)}
          />
        ))}
      </div>
      {state.appointments && (
        <button
          type="button"
          className="appointment-button"
          data-action="appointment"
          disabled={blocked !== null || state.appointmentsClosed !== null}
          onClick={props.onAppointment}
        >
          <span className="appointment-title">{t('appointment', lang)}</span>
          <span className="appointment-hint" data-closed={state.appointmentsClosed !== null || undefined}>
            {state.appointmentsClosed ? state.appointmentsClosed[lang] : t('appointmentHint', lang)}
          </span>
        </button>
      )}
      {busy && (
        <div className="overlay" role="status">
          <div className="overlay-box">{t(busy === 'issue' ? 'issuing' : 'checkingIn', lang)}</div>
        </div>
      )}
      {notice && (
        <div className="overlay" role="alertdialog" data-notice={notice.code}>
          <div className="overlay-box notice">
            <Bilingual text={notice.message} lang={lang} />
            <button type="button" className="big-button" onClick={props.onDismiss}>
              {t('ok', lang)}
            </button>
          </div>
        </div>
      )}
    </main>
  );
}

function ServiceButton({
  offer,
  lang,
  blocked,
  onTap,
}: {
  offer: KioskOffer;
  lang: Lang;
  blocked: boolean;
  onTap: () => void;
}) {
  const disabled = !offer.available || blocked;
  const selfService = offer.selfServiceSuggested;
  return (
    <button
      type="button"
      className={`service ${offer.available ? '' : 'unavailable'} ${selfService ? 'self-service' : ''}`}
      data-service={offer.serviceId}
      disabled={disabled}
      aria-disabled={disabled}
      onClick={onTap}
    >
      <span className="prefix" aria-hidden>
        {offer.prefix}
      </span>
      <span className="service-main">
        <span className="service-name">{offer.name[lang]}</span>
        <span className="service-second">{offer.name[other(lang)]}</span>
      </span>
      <span className="service-figures">
        {offer.available ? (
          <>
            <span className="figure-waiting">
              <span className="figure-label">{t(offer.ahead === null ? 'waiting' : 'aheadNow', lang)}</span>
              <span className="figure-value">
                {offer.ahead ?? offer.waiting}
                {lang === 'zh' && <small> 人</small>}
              </span>
            </span>
            {/* The hub's words for the figure (core's `waitWords`): what the ticket prints and the phone shows. */}
            <span className="figure-wait" data-testid="wait-words">
              {offer.estimate?.words
                ? keepFigures(offer.estimate.words.wait[lang])
                : offer.estimate?.noCounterOpen
                  ? t('noCounterOpen', lang)
                  : offer.estimate
                    ? `${t('estimate', lang)} ${waitRange(offer.estimate, lang)}`
                    : ''}
            </span>
          </>
        ) : (
          <span className="reason">{offer.reason?.[lang]}</span>
        )}
      </span>
      {selfService && offer.available && (
        <span className="self-service-hint">
          <span className="tag">{t('selfService', lang)}</span>
          {offer.hint?.[lang] ?? ''}
        </span>
      )}
    </button>
  );
}
