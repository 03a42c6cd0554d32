import type { QueueState, Ticket } from '@nextup/core';
import { type FormEvent, useState } from 'react';
import { type HubError, hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { PAUSE_REASONS, type PauseReason } from '../pause-reason.ts';
import { Btn, Dialog, ErrorNote } from '../ui.tsx';

/** The counter console's dialogs: transfer a ticket, pause the counter, call a number out of turn. */
export function TransferDialog({
  state,
  counterId,
  ticket,
  onClose,
  onDone,
}: {
  state: QueueState;
  counterId: string;
  ticket: Ticket;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t, b } = useT();
  const [toService, setToService] = useState('');
  const [toCounter, setToCounter] = useState('');
  const [error, setError] = useState<HubError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await hub.command({
      type: 'TransferTicket',
      data: { counterId, toServiceId: toService || null, toCounterId: toCounter || null },
    });
    if (r.ok) onDone(t('counter.msg.transferred', { number: ticket.number }));
    else setError(r.error);
  };
  return (
    <Dialog title={t('transfer.title', { number: ticket.number })} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <label htmlFor="transfer-service">{t('transfer.toService')}</label>
        <select
          id="transfer-service"
          data-autofocus
          value={toService}
          onChange={(e) => setToService(e.target.value)}
        >
          <option value="">{t('transfer.keepService')}</option>
          {state.config.serviceOrder.map((id) => (
            <option key={id} value={id} disabled={id === ticket.serviceId && !toCounter}>
              {state.config.services[id]!.prefix} · {b(state.config.services[id]!.name)}
            </option>
          ))}
        </select>
        <label htmlFor="transfer-counter">{t('transfer.toCounter')}</label>
        <select id="transfer-counter" value={toCounter} onChange={(e) => setToCounter(e.target.value)}>
          <option value="">{t('transfer.anyCounter')}</option>
          {state.config.counterOrder
            .filter((id) => id !== counterId)
            .map((id) => (
              <option key={id} value={id}>
                {b(state.config.counters[id]!.name)}
              </option>
            ))}
        </select>
        <ErrorNote error={error} />
        <div className="dialog-buttons">
          <Btn variant="quiet" kbd="Esc" onClick={onClose}>
            {t('cancel')}
          </Btn>
          <button type="submit" className="btn btn-primary">
            <span className="btn-label">{t('transfer.submit')}</span>
            <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Back in 15 / 30 / 60 min", or not said. */
type BackIn = 15 | 30 | 60 | null;
const BACK_IN_CHOICES: readonly BackIn[] = [15, 30, 60, null];
const BACK_IN_FOR: Record<PauseReason | 'other', BackIn> = {
  break: 15,
  lunch: 60,
  meeting: null,
  other: null,
};

export function PauseDialog({
  counterId,
  onClose,
  onDone,
}: {
  counterId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t } = useT();
  const [reason, setReason] = useState<PauseReason | 'other'>('break');
  const [other, setOther] = useState('');
  // When the teller expects to be back: the estimator tells waiting customers when this counter
  // returns. Picked for the reason (a short break 15, lunch 60), changed with one tap.
  const [backIn, setBackIn] = useState<BackIn>(BACK_IN_FOR.break);
  const pick = (r: PauseReason | 'other') => {
    setReason(r);
    setBackIn(BACK_IN_FOR[r]);
  };
  const [error, setError] = useState<HubError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // A chosen reason is kept as its code, shown in each reader's language (see pause-reason.ts).
    const text = reason === 'other' ? other.trim() || t('pause.other') : reason;
    const r = await hub.command({
      type: 'PauseCounter',
      data: { counterId, reason: text.slice(0, 64), ...(backIn === null ? {} : { backInMinutes: backIn }) },
    });
    if (r.ok) onDone(t('counter.msg.paused'));
    else setError(r.error);
  };
  return (
    <Dialog title={t('pause.title')} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <fieldset className="radio-list">
          <legend>{t('pause.reason')}</legend>
          {[...PAUSE_REASONS, 'other' as const].map((r) => (
            <label key={r} className="radio">
              <input
                type="radio"
                name="pause-reason"
                value={r}
                checked={reason === r}
                onChange={() => pick(r)}
              />
              {r === 'other' ? t('pause.other') : t(`pause.${r}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="radio-list radio-row" data-testid="back-in">
          <legend>{t('pause.backIn')}</legend>
          {BACK_IN_CHOICES.map((m) => (
            <label key={m ?? 'unknown'} className="radio">
              <input
                type="radio"
                name="pause-back-in"
                value={m ?? ''}
                checked={backIn === m}
                onChange={() => setBackIn(m)}
              />
              {m === null ? t('pause.backUnknown') : t('pause.backMinutes', { minutes: m })}
            </label>
          ))}
        </fieldset>
        {reason === 'other' ? (
          <input
            aria-label={t('pause.otherText')}
            placeholder={t('pause.otherText')}
            value={other}
            maxLength={64}
            onChange={(e) => setOther(e.target.value)}
          />
        ) : null}
        <ErrorNote error={error} />
        <div className="dialog-buttons">
          <Btn variant="quiet" kbd="Esc" onClick={onClose}>
            {t('cancel')}
          </Btn>
          <button type="submit" className="btn btn-primary">
            <span className="btn-label">{t('pause.submit')}</span>
            <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function NumberDialog({
  counterId,
  onClose,
  onDone,
}: {
  counterId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const { t } = useT();
  const [number, setNumber] = useState('');
  const [error, setError] = useState<HubError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!number.trim()) return;
    const r = await hub.command({ type: 'CallTicket', data: { counterId, number: number.trim() } });
    if (r.ok) onDone(t('counter.msg.called', { number: number.trim().toUpperCase() }));
    else setError(r.error);
  };
  return (
    <Dialog title={t('number.title')} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <label htmlFor="call-number">{t('number.label')}</label>
        <input
          id="call-number"
          className="input-big"
          data-autofocus
          value={number}
          maxLength={12}
          placeholder="A023"
          autoComplete="off"
          onChange={(e) => setNumber(e.target.value)}
        />
        <ErrorNote error={error} />
        <div className="dialog-buttons">
          <Btn variant="quiet" kbd="Esc" onClick={onClose}>
            {t('cancel')}
          </Btn>
          <button type="submit" className="btn btn-primary">
            <span className="btn-label">{t('number.submit')}</span>
            <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
