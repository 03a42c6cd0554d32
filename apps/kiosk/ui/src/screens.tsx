import type { Bilingual as Bi } from '@nextup/core';
import type {
  KioskError,
  KioskOffer,
  KioskPrint,
  KioskProblem,
  KioskState,
  KioskTicket,
} from '@nextup/protocol';
import { type ReactNode, useState } from 'react';
import { requestAction } from './agent.ts';
import { QrCode } from './qr.tsx';
import { type Lang, other, t, waitRange } from './strings.ts';

/** A problem in both languages: the customer's first, large; the other beneath. */
function Bilingual({ text, lang, className }: { text: Bi; lang: Lang; className?: string }) {
  return (
    <div className={`bilingual ${className ?? ''}`}>
      <p className="first" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        {text[lang]}
      </p>
      <p className="second" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
        {text[other(lang)]}
      </p>
    </div>
  );
}

function Header({ state, lang, onLang }: { state: KioskState; lang: Lang; onLang?: () => void }) {
  const branch = state.branch;
  return (
    <header className="header">
      <div className="branch">
        <div className="branch-name">{branch ? branch[lang] : 'Nextup'}</div>
        {branch && <div className="branch-second">{branch[other(lang)]}</div>}
      </div>
      {onLang && (
        <button type="button" className="lang-toggle" onClick={onLang} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
          {t('switchLang', lang)}
        </button>
      )}
    </header>
  );
}

function ProblemBanner({ problem, lang }: { problem: KioskProblem; lang: Lang }) {
  return (
    <div className="problem-banner" role="alert" data-problem={problem.code}>
      <Bilingual text={problem.message} lang={lang} />
    </div>
  );
}

// ── start ──

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

/** A wait's figure ("20–50 分钟", "20–50 min") never breaks across lines; the words around it may. */
function keepFigures(text: string): ReactNode {
  return text.split(/(\d+(?:–\d+)?\s*(?:分钟以上|分钟|min))/).map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
      <span key={i} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

// ── ticket ──

export function TicketScreen(props: {
  state: KioskState;
  lang: Lang;
  ticket: KioskTicket;
  print: KioskPrint | null;
  secondsLeft: number;
  onDone: () => void;
}) {
  const { lang, ticket, print, state } = props;
  const [acting, setActing] = useState(false);
  const [actionError, setActionError] = useState<Bi | null>(null);
  const status = print?.status ?? 'printing';
  const act = async (path: '/local/reprint' | '/local/void') => {
    setActing(true);
    setActionError(null);
    const r = await requestAction(path, { ticketId: ticket.ticketId });
    setActing(false);
    if (!r.ok) setActionError(r.error.message);
  };
  const printerFine = state.printer.problem === null;
  // The screen follows the ticket, not only the paper: once called (or ended) it needs no reprint.
  const where = print?.ticket ?? { status: 'waiting' as const, counter: null };
  const failedWaiting = status === 'failed' && where.status === 'waiting';
  return (
    <main
      className={`screen screen-ticket print-${status}`}
      data-screen="ticket"
      lang={lang === 'zh' ? 'zh-CN' : 'en'}
    >
      <Header state={state} lang={lang} />
      <section className="ticket-card">
        <div className="ticket-label">{t('yourNumber', lang)}</div>
        <div className="ticket-number" data-number={ticket.number}>
          {ticket.number}
        </div>
        <div className="ticket-service">{ticket.service[lang]}</div>
        {ticket.slotText && (
          <div className="ticket-slot">
            {t('appointmentSlot', lang)} {ticket.slotText}
          </div>
        )}
        {/* People ahead and the wait were true at the tap: once called or ended, they are not. */}
        {where.status === 'waiting' && (
          <div className="ticket-figures">
            {ticket.ahead > 0 ? (
              <div className="figure">
                <span className="tfig-label">{t('ahead', lang)}</span>
                <span className="tfig-value" data-ahead={ticket.ahead}>
                  {ticket.ahead}{' '}
                  <small>
                    {lang === 'zh' ? '人' : ticket.ahead === 1 ? t('aheadOne', lang) : t('aheadUnit', lang)}
                  </small>
                </span>
              </div>
            ) : (
              <div className="figure wide">
                <span className="tfig-value small" data-ahead={0}>
                  {t('nobodyAhead', lang)}
                </span>
              </div>
            )}
            {ticket.estimate?.words ? (
              // The very words printed on the paper below the number: one computation, one figure.
              <div className="figure wait-words" data-testid="wait-words">
                <span className="tfig-value small">{keepFigures(ticket.estimate.words.wait[lang])}</span>
                {ticket.estimate.words.note && (
                  <span className="figure-note">{ticket.estimate.words.note[lang]}</span>
                )}
              </div>
            ) : (
              ticket.estimate &&
              (ticket.ahead > 0 || ticket.estimate.noCounterOpen) && (
                <div className="figure">
                  <span className="tfig-label">{t('estimate', lang)}</span>
                  <span className="tfig-value">{waitRange(ticket.estimate, lang)}</span>
                  {ticket.estimate.noCounterOpen && (
                    <span className="figure-note">{t('noCounterOpen', lang)}</span>
                  )}
                </div>
              )
            )}
          </div>
        )}
        <div className="ticket-qr">
          <QrCode text={ticket.followUrl} size={340} label={t('scanToFollow', lang)} />
          <div className="qr-caption">{t('scanToFollow', lang)}</div>
        </div>
        {ticket.hint && status !== 'failed' && <div className="ticket-hint">{ticket.hint[lang]}</div>}
      </section>
      {(where.status === 'called' || where.status === 'serving') && where.counter && (
        <section className="ticket-called" data-ticket-status={where.status} role="alert">
          <p className="called-line">
            {t(where.status === 'called' ? 'calledTo' : 'servingAt', lang)}{' '}
            <strong>{where.counter.name[lang]}</strong>
          </p>
          <p className="called-second" lang={lang === 'zh' ? 'en' : 'zh-CN'}>
            {t(where.status === 'called' ? 'calledTo' : 'servingAt', other(lang))}{' '}
            {where.counter.name[other(lang)]}
          </p>
        </section>
      )}
      {/* Called: where to go is all that matters now (the banner above), not the missing paper. */}
      {!(status === 'failed' && (where.status === 'called' || where.status === 'serving')) && (
        <section
          className={`print-status status-${status}`}
          data-print-status={status}
          data-ticket-status={where.status}
          role="status"
        >
          {status === 'printing' && <p className="print-line">{t('printing', lang)}</p>}
          {status === 'printed' && <p className="print-line">{t('printed', lang)}</p>}
          {status === 'voided' && <p className="print-line">{t('voided', lang)}</p>}
          {status === 'failed' && where.status === 'ended' && (
            <p className="print-line">{t('ended', lang)}</p>
          )}
          {failedWaiting && (
            <>
              <Bilingual text={{ zh: t('printFailed', 'zh'), en: t('printFailed', 'en') }} lang={lang} />
              {print?.problem && CAUSES[print.problem.code] && (
                <p className="print-cause" data-cause={print.problem.code}>
                  {CAUSES[print.problem.code]![lang]} · {CAUSES[print.problem.code]![other(lang)]}
                </p>
              )}
              <div className="print-actions">
                <button
                  type="button"
                  className="big-button"
                  data-action="reprint"
                  disabled={acting || !print?.canReprint || !printerFine}
                  onClick={() => void act('/local/reprint')}
                >
                  {print?.canReprint && printerFine ? t('reprint', lang) : t('reprintWait', lang)}
                </button>
                <button
                  type="button"
                  className="big-button secondary"
                  data-action="void"
                  disabled={acting}
                  onClick={() => void act('/local/void')}
                >
                  {t('voidTicket', lang)}
                </button>
              </div>
            </>
          )}
          {actionError && <Bilingual text={actionError} lang={lang} className="small error" />}
        </section>
      )}
      <footer className="ticket-footer">
        <button type="button" className="big-button done" data-action="done" onClick={props.onDone}>
          {t('done', lang)}
        </button>
        {status !== 'printing' && (
          <span className="countdown">
            {props.secondsLeft}
            {lang === 'zh' ? ' ' : ''}
            {t('backIn', lang)}
          </span>
        )}
      </footer>
    </main>
  );
}

/** Why a print failed, in a few words (the staff member who comes over reads it). */
const CAUSES: Partial<Record<KioskProblem['code'], Bi>> = {
  PAPER_OUT: { zh: '原因：打印机缺纸', en: 'Cause: the printer is out of paper' },
  COVER_OPEN: { zh: '原因：打印机盖未关好', en: 'Cause: the printer cover is open' },
  PRINTER_OFFLINE: { zh: '原因：打印机未响应', en: 'Cause: the printer is not responding' },
  PRINTER_ERROR: { zh: '原因：打印机故障', en: 'Cause: the printer has a fault' },
};

// ── appointment keypad ──

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

// ── when things go wrong ──

export function OfflineScreen({ state, lang }: { state: KioskState; lang: Lang }) {
  const p = state.blocked!;
  const connecting = p.code === 'CONNECTING';
  const title = connecting ? 'connecting' : 'paused';
  return (
    <main
      className="screen screen-offline"
      data-screen="offline"
      data-problem={p.code}
      lang={lang === 'zh' ? 'zh-CN' : 'en'}
    >
      {state.branch && <div className="offline-branch">{state.branch[lang]}</div>}
      <h1 className="offline-title">
        <span>{t(title, lang)}</span>
        <span className="offline-title-en">{t(title, other(lang))}</span>
      </h1>
      {!connecting && (
        <>
          <Bilingual text={OFFLINE_WORDS[p.code] ?? p.message} lang={lang} className="offline-message" />
          <Bilingual text={ISSUED_STAY_VALID} lang={lang} className="small offline-valid" />
        </>
      )}
      <p className="offline-retry">
        <span className="pulse" aria-hidden />
        {t('reconnecting', lang)} · {t('reconnecting', other(lang))}
      </p>
    </main>
  );
}

/** The offline screen's own words: its title already says tickets are paused. */
const OFFLINE_WORDS: Partial<Record<KioskProblem['code'], Bi>> = {
  HUB_OFFLINE: {
    zh: '与网点服务器的连接中断，正在自动恢复。需要取号请联系工作人员。',
    en: 'The connection to the branch server is down and coming back by itself. Please ask staff for a ticket.',
  },
  NOT_PAIRED: {
    zh: '本取号机尚未加入网点。请联系工作人员。',
    en: 'This kiosk has not joined the branch yet. Please ask staff.',
  },
};

const ISSUED_STAY_VALID: Bi = {
  zh: '已经取到的号仍然有效，请留意叫号。',
  en: 'Tickets already issued stay valid: listen for your number.',
};

export function AgentLostScreen({ lang, starting }: { lang: Lang; starting: boolean }) {
  return (
    <main className="screen screen-offline" data-screen="agent-lost">
      <h1 className="offline-title">
        <span>{starting ? t('connecting', lang) : t('agentLost', lang)}</span>
        <span className="offline-title-en">
          {starting ? t('connecting', other(lang)) : t('agentLost', other(lang))}
        </span>
      </h1>
    </main>
  );
}

// ── pairing (branch IT) ──

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
