import {
  normaliseTicketNumber,
  type QueueState,
  serviceAvailability,
  waitingCountByService,
} from '@nextup/core';
import type { DeskKiosk, DeskTicket, DeskTicketsResponse } from '@nextup/protocol';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { reasonText } from '../device-health.tsx';
import { hhmm } from '../format.ts';
import { type HubError, hub } from '../hub.ts';
import { isStringKey as known, type StringKey, useT } from '../i18n.tsx';
import { Badge, Btn, Dialog, ErrorNote, useLive, useTick } from '../ui.tsx';
import { ClassBadge } from './counter.tsx';

/**
 * The floor desk (大堂发号): the floor manager issues VIP and priority (老弱病残孕) tickets — or a
 * normal one for a customer who needs a hand — printed on the kiosk beside the customer, and voids
 * tickets issued by mistake, with a reason. Every issue and void is a command with the staff member
 * as its audited actor; the list shows who did what and where each ticket printed. Why a console page
 * rather than a staff mode on the kiosk: see `apps/hub/src/http/desk-routes.ts`.
 */

type DeskClass = 'priority' | 'vip' | 'normal';
const CLASSES: DeskClass[] = ['priority', 'vip', 'normal'];
const VOID_REASONS = ['staffVoid', 'duplicate', 'customerLeft'] as const;
type VoidReason = (typeof VOID_REASONS)[number];

const KIOSK_KEY = 'nextup.desk.kiosk';
/** A print request with no answer after this long (hub time): the kiosk is not there, say so. */
const NO_ANSWER_MS = 15_000;

function newRequestId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `d${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Today's desk list, fetched again whenever the live view moves (debounced). */
function useDeskList(seq: number | null): [DeskTicketsResponse | null, () => void] {
  const [data, setData] = useState<DeskTicketsResponse | null>(null);
  const load = useCallback(() => void hub.deskTickets().then((r) => r.ok && setData(r.value)), []);
  useEffect(() => {
    void seq;
    const timer = setTimeout(load, 150);
    return () => clearTimeout(timer);
  }, [seq, load]);
  return [data, load];
}

export function DeskPage() {
  const { t, b } = useT();
  const { view } = useLive();
  useTick(5_000);
  const [list, reload] = useDeskList(view?.seq ?? null);
  const [cls, setCls] = useState<DeskClass>('priority');
  const [serviceId, setServiceId] = useState<string | null>(null);
  const [kioskId, setKioskId] = useState<string>(() => localStorage.getItem(KIOSK_KEY) ?? '');
  const [ticketLang, setTicketLang] = useState<'zh' | 'en'>('zh');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubError | null>(null);
  const [lastId, setLastId] = useState<string | null>(null);
  const [voiding, setVoiding] = useState<{ ticketId: string; number: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const state = view?.state ?? null;
  const kiosks = list?.kiosks ?? [];
  // The remembered kiosk, while it is still one of the branch's.
  const kiosk = kiosks.find((k) => k.deviceId === kioskId) ?? null;
  // The chosen kiosk cannot print now (offline, out of paper): say so rather than send it there.
  const printBlocked = kiosk !== null && !kioskCanPrint(kiosk);
  useEffect(() => {
    if (kioskId) localStorage.setItem(KIOSK_KEY, kioskId);
  }, [kioskId]);

  if (!state) return <div className="panel loading-panel">{t('loading')}</div>;
  const now = hub.now();
  const tz = state.config.branch.timeZone;
  const waiting = waitingCountByService(state);
  const last = lastId ? (list?.tickets.find((x) => x.ticketId === lastId) ?? null) : null;

  const issue = async () => {
    if (!serviceId || busy) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    const r = await hub.deskIssue({
      requestId: newRequestId(),
      serviceId,
      class: cls,
      printAt: kiosk?.deviceId ?? null,
      lang: ticketLang,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setLastId(r.value.ticket?.id ?? null);
    reload();
  };

  const printAgain = async (ticketId: string) => {
    if (!kiosk) return;
    const r = await hub.deskPrint(ticketId, kiosk.deviceId, ticketLang);
    setError(r.ok ? null : r.error);
    reload();
  };

  return (
    <div className="desk-page">
      <section className="panel desk-issue" aria-labelledby="desk-title">
        <h1 id="desk-title">{t('desk.title')}</h1>
        <p className="muted">{t('desk.intro')}</p>

        <fieldset className="choice-row" data-testid="desk-class">
          <legend>{t('desk.class')}</legend>
          {CLASSES.map((c) => (
            <label key={c} className={`choice choice-${c}${cls === c ? ' chosen' : ''}`}>
              <input
                type="radio"
                name="desk-class"
                value={c}
                checked={cls === c}
                onChange={() => setCls(c)}
              />
              {t(`desk.class.${c}`)}
            </label>
          ))}
        </fieldset>

        <fieldset className="desk-services" data-testid="desk-services">
          <legend>{t('desk.service')}</legend>
          {state.config.serviceOrder.map((id) => {
            const s = state.config.services[id]!;
            const avail = serviceAvailability(state, id, now);
            return (
              <label
                key={id}
                className={`desk-service${serviceId === id ? ' chosen' : ''}${avail.available ? '' : ' unavailable'}`}
                data-service={id}
              >
                <input
                  type="radio"
                  name="desk-service"
                  value={id}
                  checked={serviceId === id}
                  disabled={!avail.available}
                  onChange={() => setServiceId(id)}
                />
                <span className="prefix">{s.prefix}</span>
                <span className="desk-service-text">
                  <span className="desk-service-name">{b(s.name)}</span>
                  <span className="muted small">{t('desk.waiting', { n: waiting[id] ?? 0 })}</span>
                </span>
              </label>
            );
          })}
        </fieldset>

        <div className="desk-print-row">
          <div className="desk-field">
            <label htmlFor="desk-kiosk">{t('desk.printAt')}</label>
            <select
              id="desk-kiosk"
              value={kiosk?.deviceId ?? ''}
              onChange={(e) => setKioskId(e.target.value)}
            >
              <option value="">{t('desk.noPrint')}</option>
              {kiosks.map((k) => (
                <option key={k.deviceId} value={k.deviceId} disabled={!kioskCanPrint(k)}>
                  {kioskLabel(k, t)}
                </option>
              ))}
            </select>
          </div>
          <div className="desk-field">
            <label htmlFor="desk-lang">{t('desk.ticketLang')}</label>
            <select
              id="desk-lang"
              value={ticketLang}
              onChange={(e) => setTicketLang(e.target.value as 'zh' | 'en')}
            >
              <option value="zh">中文</option>
              <option value="en">English</option>
            </select>
          </div>
        </div>

        {printBlocked && kiosk ? (
          <div className="note note-error" role="alert" data-testid="kiosk-blocked">
            {t('desk.kioskCannotPrint', { kiosk: kioskLabel(kiosk, t) })}
          </div>
        ) : null}
        <div className="desk-go">
          <Btn
            variant="primary"
            big
            disabled={busy || !serviceId || printBlocked}
            title={serviceId ? undefined : t('desk.pickService')}
            onClick={() => void issue()}
            data-action="issue"
          >
            {kiosk ? t('desk.issueAndPrint') : t('desk.issue')}
          </Btn>
        </div>
        <ErrorNote error={error} />

        {last ? (
          <IssuedCard
            key={last.ticketId}
            ticket={last}
            now={now}
            canPrintAgain={Boolean(kiosk) && !printBlocked}
            onPrintAgain={printAgain}
          />
        ) : null}
      </section>

      <section className="panel desk-list" aria-labelledby="desk-list-title">
        <h2 id="desk-list-title">{t('desk.list')}</h2>
        <VoidByNumber state={state} onFound={setVoiding} />
        {message ? <div className="note note-ok">{message}</div> : null}
        {!list || list.tickets.length === 0 ? (
          <p className="muted">{t('desk.listEmpty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table desk-table" data-testid="desk-table">
              <thead>
                <tr>
                  <th>{t('desk.col.number')}</th>
                  <th>{t('desk.col.class')}</th>
                  <th>{t('desk.col.status')}</th>
                  <th>{t('desk.col.by')}</th>
                  <th>{t('desk.col.print')}</th>
                  <th>{t('desk.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.tickets.map((x) => (
                  <tr key={x.ticketId} data-number={x.number}>
                    <td className="desk-number-cell">
                      <strong className="mono">{x.number}</strong>
                      <div className="muted small">
                        {b(state.config.services[x.serviceId]?.name)} · {hhmm(x.issuedAt, tz)}
                      </div>
                    </td>
                    <td>
                      {x.class === 'normal' ? (
                        <Badge>{t('class.normal')}</Badge>
                      ) : (
                        <ClassBadge ticket={{ class: x.class, transfers: 0 }} />
                      )}
                    </td>
                    <td>
                      <StatusBadge status={x.status} />
                      {x.cancelled ? (
                        <div className="muted small">
                          {t('desk.voidedBy', {
                            by: x.cancelled.by?.name ?? '—',
                            reason: reasonWords(x.cancelled.reason, t),
                          })}
                        </div>
                      ) : null}
                    </td>
                    <td className="nowrap">{x.issuedBy?.name ?? '—'}</td>
                    <td className="small">
                      {x.prints.map((p) => (
                        <div key={`${p.deviceId}-${p.requestedAt}`}>{printWords(p, now, t)}</div>
                      ))}
                    </td>
                    <td>
                      <div className="desk-actions">
                        {x.status === 'waiting' ? (
                          <>
                            {kiosk && !printBlocked && x.source === 'staff' ? (
                              <Btn onClick={() => void printAgain(x.ticketId)}>{t('desk.reprint')}</Btn>
                            ) : null}
                            <Btn
                              variant="danger"
                              onClick={() => setVoiding({ ticketId: x.ticketId, number: x.number })}
                            >
                              {t('desk.void')}
                            </Btn>
                          </>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {voiding ? (
        <VoidDialog
          ticket={voiding}
          onClose={() => setVoiding(null)}
          onDone={(text) => {
            setVoiding(null);
            setMessage(text);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

/** A kiosk can take a print when it is connected and its printer has no error. */
function kioskCanPrint(k: DeskKiosk): boolean {
  return k.online && k.printer?.level !== 'error';
}

function kioskLabel(
  k: DeskKiosk,
  t: (key: StringKey, p?: Record<string, string | number>) => string,
): string {
  if (!k.online) return t('desk.kioskState', { kiosk: k.name, state: t('desk.kioskOffline') });
  if (k.printer && k.printer.level !== 'ok') {
    const reason = reasonText(k.printer.reason, t);
    const state = t(`health.${k.printer.code}` as StringKey);
    return t('desk.kioskState', { kiosk: k.name, state: reason ? `${state} · ${reason}` : state });
  }
  return k.name;
}

/** Why a kiosk did not print, in words (its problem codes, see `packages/protocol/src/kiosk.ts`). */
function problemWords(code: string | null, t: (key: StringKey) => string): string {
  const key = `desk.problem.${code}`;
  return t(known(key) ? key : 'desk.problem.other');
}

function printWords(
  p: DeskTicket['prints'][number],
  now: number,
  t: (key: StringKey, params?: Record<string, string | number>) => string,
): string {
  if (p.outcome === 'requested' && now - p.requestedAt > NO_ANSWER_MS)
    return t('desk.noAnswer', { kiosk: p.deviceName });
  return t(`desk.printOutcome.${p.outcome}`, { kiosk: p.deviceName, problem: problemWords(p.problem, t) });
}

function reasonWords(reason: string, t: (key: StringKey) => string): string {
  const key = `desk.reason.${reason}`;
  return known(key) ? t(key) : reason;
}

function StatusBadge({ status }: { status: DeskTicket['status'] }) {
  const { t } = useT();
  const tone =
    status === 'waiting'
      ? 'blue'
      : status === 'called' || status === 'serving'
        ? 'green'
        : status === 'cancelled'
          ? 'red'
          : 'grey';
  return <Badge tone={tone}>{t(`desk.status.${status ?? 'gone'}`)}</Badge>;
}

/** The ticket just issued: its number large (to say to the customer), and where it printed. */
function IssuedCard({
  ticket,
  now,
  canPrintAgain,
  onPrintAgain,
}: {
  ticket: DeskTicket;
  now: number;
  canPrintAgain: boolean;
  onPrintAgain: (ticketId: string) => void;
}) {
  const { t, b } = useT();
  const { view } = useLive();
  const service = view?.state.config.services[ticket.serviceId];
  const print = ticket.prints.at(-1);
  const ref = useRef<HTMLDivElement>(null);
  // A new number comes into view at once: it is what the floor manager tells the customer. Braces:
  // newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
  const outcome = `${print?.outcome ?? 'none'}-${ticket.prints.length}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again when the outcome line changes
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [outcome]);
  const stuck =
    print &&
    (print.outcome === 'failed' || (print.outcome === 'requested' && now - print.requestedAt > NO_ANSWER_MS));
  const line = !print
    ? t('desk.notPrinted')
    : print.outcome === 'printed'
      ? t('desk.printed', { kiosk: print.deviceName })
      : print.outcome === 'failed'
        ? t('desk.printFailed', { kiosk: print.deviceName, problem: problemWords(print.problem, t) })
        : stuck
          ? t('desk.noAnswer', { kiosk: print.deviceName })
          : t('desk.printing', { kiosk: print.deviceName });
  return (
    <div
      ref={ref}
      className={`desk-issued${stuck ? ' desk-issued-stuck' : ''}`}
      data-testid="desk-issued"
      data-print={print?.outcome ?? 'none'}
      aria-live="polite"
    >
      <div className="desk-issued-number">{ticket.number}</div>
      <div>
        <div>
          <ClassBadge ticket={{ class: ticket.class, transfers: 0 }} /> {b(service?.name)}
        </div>
        <div className="desk-issued-print" data-testid="desk-issued-print">
          {line}
        </div>
        {stuck && canPrintAgain && ticket.status === 'waiting' ? (
          <Btn onClick={() => onPrintAgain(ticket.ticketId)}>{t('desk.printAgainAt')}</Btn>
        ) : null}
      </div>
    </div>
  );
}

/** A ticket to void by its number (a kiosk ticket taken by mistake, say). */
function VoidByNumber({
  state,
  onFound,
}: {
  state: QueueState;
  onFound: (t: { ticketId: string; number: string }) => void;
}) {
  const { t } = useT();
  const [number, setNumber] = useState('');
  const [notFound, setNotFound] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const wanted = normaliseTicketNumber(number);
    const found = wanted
      ? Object.values(state.tickets).find(
          (x) => x.status === 'waiting' && x.seq === wanted.seq && x.number.startsWith(wanted.prefix),
        )
      : undefined;
    if (!found) return setNotFound(t('desk.noSuchNumber', { number: number.trim().toUpperCase() }));
    setNotFound(null);
    setNumber('');
    onFound({ ticketId: found.id, number: found.number });
  };
  return (
    <form className="desk-void-form" onSubmit={submit} data-testid="void-by-number">
      <label htmlFor="void-number">{t('desk.voidNumber')}</label>
      <input
        id="void-number"
        value={number}
        maxLength={12}
        placeholder={t('desk.voidNumberLabel')}
        autoComplete="off"
        onChange={(e) => setNumber(e.target.value)}
      />
      <button type="submit" className="btn btn-danger">
        {t('desk.voidFind')}
      </button>
      {notFound ? <span className="field-error">{notFound}</span> : null}
    </form>
  );
}

function VoidDialog({
  ticket,
  onClose,
  onDone,
}: {
  ticket: { ticketId: string; number: string };
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t } = useT();
  const [reason, setReason] = useState<VoidReason>('staffVoid');
  const [error, setError] = useState<HubError | null>(null);
  const sending = useRef(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    sending.current = true;
    const r = await hub.command({ type: 'CancelTicket', data: { ticketId: ticket.ticketId, reason } });
    sending.current = false;
    if (r.ok) onDone(t('desk.voided', { number: ticket.number }));
    else setError(r.error);
  };
  return (
    <Dialog title={t('desk.voidTitle', { number: ticket.number })} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <p className="muted">{t('desk.voidIntro')}</p>
        <fieldset className="radio-list">
          <legend>{t('desk.voidReason')}</legend>
          {VOID_REASONS.map((r) => (
            <label key={r} className="radio">
              <input
                type="radio"
                name="void-reason"
                value={r}
                checked={reason === r}
                onChange={() => setReason(r)}
              />
              {t(`desk.reason.${r}`)}
            </label>
          ))}
        </fieldset>
        <ErrorNote error={error} />
        <div className="dialog-buttons">
          <Btn variant="quiet" kbd="Esc" onClick={onClose}>
            {t('cancel')}
          </Btn>
          <button type="submit" className="btn btn-danger">
            <span className="btn-label">{t('desk.voidSubmit')}</span>
            <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
