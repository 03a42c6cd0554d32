import { has, own, type QueueState, queueForCounter, type Ticket } from '@nextup/core';
import type { ClientCommand, SessionInfo } from '@nextup/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { hhmm, minutesSince } from '../format.ts';
import { hub } from '../hub.ts';
import { type StringKey, useT } from '../i18n.tsx';
import { pauseReasonText } from '../pause-reason.ts';
import { navigate, usePath } from '../router.tsx';
import { Badge, Btn, isTypingTarget, useLive, useTick } from '../ui.tsx';
import { NumberDialog, PauseDialog, TransferDialog } from './counter-dialogs.tsx';

/**
 * The counter console: one teller, one counter. Every action is one click and one key (shown on the
 * button); the waiting list is the order "call next" would pick, from the live state.
 */

type Action = 'next' | 'recall' | 'noShow' | 'start' | 'finish' | 'transfer' | 'pause' | 'number' | 'open';

/** Keys by physical position (`KeyboardEvent.code`), so they work with a Chinese IME switched on. */
const KEYS: Record<Action, { code: string; label: string }> = {
  next: { code: 'KeyN', label: 'N' },
  recall: { code: 'KeyR', label: 'R' },
  noShow: { code: 'KeyX', label: 'X' },
  start: { code: 'KeyS', label: 'S' },
  finish: { code: 'KeyF', label: 'F' },
  transfer: { code: 'KeyT', label: 'T' },
  pause: { code: 'KeyP', label: 'P' },
  number: { code: 'KeyC', label: 'C' },
  open: { code: 'KeyO', label: 'O' },
};

const LAST_COUNTER = 'nextup.counter';

export function myCounters(state: QueueState, session: SessionInfo): string[] {
  const all = state.config.counterOrder.filter((id) => has(state.config.counters, id));
  if (session.role === 'teller' && session.counterIds.length > 0)
    return all.filter((id) => session.counterIds.includes(id));
  return all;
}

export function CounterPage({ session }: { session: SessionInfo }) {
  const { t, b } = useT();
  const { view } = useLive();
  const path = usePath();
  useTick();
  const state = view?.state ?? null;
  const mine = state ? myCounters(state, session) : [];
  const fromPath = path.split('?')[0]!.split('/')[2] ?? null;
  const remembered = typeof localStorage !== 'undefined' ? localStorage.getItem(LAST_COUNTER) : null;
  const counterId =
    fromPath && mine.includes(fromPath)
      ? fromPath
      : remembered && mine.includes(remembered)
        ? remembered
        : (mine[0] ?? null);

  useEffect(() => {
    if (counterId) localStorage.setItem(LAST_COUNTER, counterId);
  }, [counterId]);

  if (!state) return <div className="panel loading-panel">{t('loading')}</div>;
  if (!counterId) return <div className="panel empty-state">{t('counter.none')}</div>;
  return (
    <div className="counter-wrap">
      <div className="counter-picker">
        <label htmlFor="counter-select">{t('counter.pick')}</label>
        <select
          id="counter-select"
          value={counterId}
          onChange={(e) => navigate(`/counter/${e.target.value}`)}
        >
          {mine.map((id) => (
            <option key={id} value={id}>
              {b(state.config.counters[id]!.name)}
            </option>
          ))}
        </select>
      </div>
      <CounterConsole key={counterId} state={state} counterId={counterId} />
    </div>
  );
}

function CounterConsole({ state, counterId }: { state: QueueState; counterId: string }) {
  const { t, b } = useT();
  const cfg = state.config.counters[counterId]!;
  const rt = state.counters[counterId]!;
  const tz = state.config.branch.timeZone;
  const now = hub.now();
  const current: Ticket | null = rt.ticketId ? (own(state.tickets, rt.ticketId) ?? null) : null;
  const queue = queueForCounter(state, counterId, now);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [dialog, setDialog] = useState<'transfer' | 'pause' | 'number' | null>(null);
  /** A dialog that did its command closes and leaves its message under the buttons. */
  const dialogDone = (text: string) => {
    setDialog(null);
    setMessage({ kind: 'ok', text });
  };

  const isOpen = rt.status === 'open';
  const enabled: Record<Action, boolean> = {
    next: isOpen,
    recall: current?.status === 'called',
    noShow: current?.status === 'called',
    start: current?.status === 'called',
    // A called ticket can be finished too (served from its call): a keypad counter never marks serving.
    finish: current?.status === 'serving' || current?.status === 'called',
    transfer: current !== null,
    pause: rt.status !== 'closed',
    number: isOpen,
    open: rt.status === 'closed' || current === null,
  };

  const run = useCallback(
    async (command: ClientCommand, done: (events: { type: string; data: unknown }[]) => string) => {
      setBusy(true);
      const r = await hub.command(command);
      setBusy(false);
      if (r.ok) setMessage({ kind: 'ok', text: done(r.value.events.map((e) => e.event)) });
      else setMessage({ kind: 'error', text: b(r.error.message) });
    },
    [b],
  );

  const numberOf = (events: { type: string; data: unknown }[], type: string) => {
    const e = events.find((x) => x.type === type);
    const id = (e?.data as { ticketId?: string } | undefined)?.ticketId;
    const tickets = hub.getLive().view?.state.tickets;
    return id && tickets ? (own(tickets, id)?.number ?? '') : '';
  };

  const act = (a: Action) => {
    if (busy || !enabled[a]) return;
    switch (a) {
      case 'next':
        void run({ type: 'CallNext', data: { counterId } }, (ev) =>
          t('counter.msg.called', { number: numberOf(ev, 'TicketCalled') }),
        );
        return;
      case 'recall':
        void run({ type: 'Recall', data: { counterId } }, () =>
          t('counter.msg.recalled', { number: current?.number ?? '' }),
        );
        return;
      case 'noShow':
        void run({ type: 'MarkNoShow', data: { counterId } }, () =>
          t('counter.msg.noShow', { number: current?.number ?? '' }),
        );
        return;
      case 'start':
        void run({ type: 'StartServing', data: { counterId } }, () =>
          t('counter.msg.started', { number: current?.number ?? '' }),
        );
        return;
      case 'finish':
        void run({ type: 'FinishTicket', data: { counterId } }, () =>
          t('counter.msg.finished', { number: current?.number ?? '' }),
        );
        return;
      case 'pause':
        if (rt.status === 'paused')
          void run({ type: 'ResumeCounter', data: { counterId } }, () => t('counter.msg.resumed'));
        else setDialog('pause');
        return;
      case 'transfer':
        setDialog('transfer');
        return;
      case 'number':
        setDialog('number');
        return;
      case 'open':
        if (rt.status === 'closed')
          void run({ type: 'OpenCounter', data: { counterId } }, () => t('counter.msg.opened'));
        else void run({ type: 'CloseCounter', data: { counterId } }, () => t('counter.msg.closed'));
        return;
    }
  };

  // The key handler always runs the latest `act` (it reads this render's state).
  const actRef = useRef(act);
  actRef.current = act;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog || isTypingTarget(e) || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
      const action = (Object.keys(KEYS) as Action[]).find((a) => KEYS[a].code === e.code);
      if (!action) return;
      e.preventDefault();
      actRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog]);

  const service = current ? own(state.config.services, current.serviceId) : undefined;
  const statusKey = `counter.status.${rt.status}` as const;
  const button = (a: Action, label: string, variant: 'primary' | 'plain' | 'danger' = 'plain') => (
    <Btn
      kbd={KEYS[a].label}
      variant={variant}
      big
      disabled={busy || !enabled[a]}
      onClick={() => act(a)}
      data-action={a}
    >
      {label}
    </Btn>
  );

  return (
    <div className="counter-page">
      <section className="panel counter-main" aria-labelledby="counter-title">
        <div className="counter-head">
          <h1 id="counter-title">{b(cfg.name)}</h1>
          <div className={`counter-status status-${rt.status}`} data-testid="counter-status">
            {t(statusKey)}
            {rt.status === 'paused' && rt.pauseReason ? ` · ${pauseReasonText(rt.pauseReason, t)}` : ''}
            {rt.status === 'paused' && rt.expectedBackAt !== undefined
              ? ` · ${t('counter.backAt', { time: hhmm(rt.expectedBackAt, tz) })}`
              : ''}
            <span className="muted">
              {' '}
              · {t('counter.since', { time: hhmm(rt.since, tz), minutes: minutesSince(rt.since, now) })}
            </span>
          </div>
          <Btn
            kbd={KEYS.open.label}
            variant="quiet"
            disabled={busy || !enabled.open}
            title={enabled.open ? undefined : t('counter.closeNeedsEmpty')}
            data-action="open"
            onClick={() => act('open')}
          >
            {rt.status === 'closed' ? t('counter.open') : t('counter.close')}
          </Btn>
        </div>

        <div
          className={`current-ticket${current ? ` current-${current.status}` : ''}`}
          data-testid="current-ticket"
        >
          {current ? (
            <>
              <div className="current-number" data-testid="current-number">
                {current.number}
              </div>
              <div className="current-info">
                <div className="current-service">{b(service?.name)}</div>
                <div className="current-badges">
                  <ClassBadge ticket={current} />
                  <Badge tone={current.status === 'serving' ? 'green' : 'blue'}>
                    {t(current.status === 'serving' ? 'ticket.serving' : 'ticket.called')}
                  </Badge>
                  {current.recalls > 0 ? <Badge>{t('ticket.recalls', { n: current.recalls })}</Badge> : null}
                </div>
                <div className="current-since">
                  {current.status === 'serving' && current.servingAt
                    ? t('counter.servingSince', {
                        time: hhmm(current.servingAt, tz),
                        minutes: minutesSince(current.servingAt, now),
                      })
                    : current.calledAt
                      ? t('counter.calledSince', {
                          time: hhmm(current.calledAt, tz),
                          minutes: minutesSince(current.calledAt, now),
                        })
                      : null}
                  {' · '}
                  {t('counter.waited', {
                    minutes: minutesSince(current.issuedAt, current.calledAt ?? now),
                  })}
                </div>
              </div>
            </>
          ) : (
            <div className="current-empty" data-testid="current-empty">
              {/* Says the step that works now: the button it names is the one enabled. */}
              {t(
                rt.status === 'closed'
                  ? 'counter.noTicketClosed'
                  : rt.status === 'paused'
                    ? 'counter.noTicketPaused'
                    : 'counter.noTicket',
              )}
            </div>
          )}
        </div>

        <fieldset className="actions">
          <legend className="sr-only">{t('counter.actions')}</legend>
          {button('next', t('counter.next'), 'primary')}
          {button('recall', t('counter.recall'))}
          {button('noShow', t('counter.noShow'), 'danger')}
          {button('start', t('counter.start'))}
          {button('finish', t('counter.finish'))}
          {button('transfer', t('counter.transfer'))}
          {button('pause', rt.status === 'paused' ? t('counter.resume') : t('counter.pause'))}
          {button('number', t('counter.callNumber'))}
        </fieldset>
        <div className="counter-message" aria-live="polite" data-testid="counter-message">
          {message ? <div className={`note note-${message.kind}`}>{message.text}</div> : null}
        </div>
      </section>

      <section className="panel queue-panel" aria-labelledby="queue-title">
        <h2 id="queue-title">
          {t('counter.queue')} <span className="count">{t('counter.queueCount', { n: queue.length })}</span>
        </h2>
        <p className="muted small">{t('counter.queueHint')}</p>
        {queue.length === 0 ? (
          <p className="empty">{t('counter.queueEmpty')}</p>
        ) : (
          <ol className="queue-list" data-testid="queue-list">
            {queue.slice(0, 30).map((tk, i) => (
              <li key={tk.id} className={i === 0 ? 'queue-next' : undefined} data-number={tk.number}>
                <span className="q-pos">{i + 1}</span>
                <span className="q-number">{tk.number}</span>
                <span className="q-service">{b(own(state.config.services, tk.serviceId)?.name)}</span>
                <span className="q-badges">
                  <ClassBadge ticket={tk} />
                  {tk.targetCounterId === counterId ? (
                    <Badge tone="amber">{t('ticket.toThisCounter')}</Badge>
                  ) : null}
                </span>
                <span className="q-wait">
                  {t('counter.waitingFor', { minutes: minutesSince(tk.queuedAt, now) })}
                </span>
              </li>
            ))}
          </ol>
        )}
        {queue.length > 30 ? <p className="muted">{t('counter.more', { n: queue.length - 30 })}</p> : null}
      </section>

      {dialog === 'transfer' && current ? (
        <TransferDialog
          state={state}
          counterId={counterId}
          ticket={current}
          onClose={() => setDialog(null)}
          onDone={dialogDone}
        />
      ) : null}
      {dialog === 'pause' ? (
        <PauseDialog counterId={counterId} onClose={() => setDialog(null)} onDone={dialogDone} />
      ) : null}
      {dialog === 'number' ? (
        <NumberDialog counterId={counterId} onClose={() => setDialog(null)} onDone={dialogDone} />
      ) : null}
    </div>
  );
}

export function ClassBadge({ ticket }: { ticket: Pick<Ticket, 'class' | 'transfers'> }) {
  const { t } = useT();
  const parts = [];
  if (ticket.class !== 'normal') {
    const key: StringKey = `class.${ticket.class}`;
    parts.push(
      <Badge key="c" tone={ticket.class === 'vip' ? 'gold' : ticket.class === 'priority' ? 'purple' : 'teal'}>
        {t(key)}
      </Badge>,
    );
  }
  if (ticket.transfers > 0)
    parts.push(
      <Badge key="t" tone="amber">
        {t('ticket.transferred')}
      </Badge>,
    );
  return <>{parts}</>;
}
