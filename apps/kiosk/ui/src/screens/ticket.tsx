import type { Bilingual as Bi } from '@nextup/core';
import type { KioskPrint, KioskProblem, KioskState, KioskTicket } from '@nextup/protocol';
import { useState } from 'react';
import { requestAction } from '../agent.ts';
import { QrCode } from '../qr.tsx';
import { type Lang, other, t, waitRange } from '../strings.ts';
import { Bilingual, Header, keepFigures } from './parts.tsx';

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
