import { bookingDaysAhead, own } from '@nextup/core';
import type { SessionInfo } from '@nextup/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { hhmm, localDate } from '../format.ts';
import { type Booking, type HubError, hub, type SlotsView } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { Badge, Btn, ErrorNote, Field, useLive } from '../ui.tsx';

/**
 * Staff book an appointment for a customer on the phone or at the desk, through the same booking API
 * the bank's app uses (same rules: capacity, no double booking, the domain's slot rules).
 */
export function BookingPage({ session }: { session: SessionInfo }) {
  const { t, b } = useT();
  const { view } = useLive();
  const state = view?.state ?? null;
  const tz = state?.config.branch.timeZone ?? 'Asia/Shanghai';
  const bookable = state
    ? state.config.serviceOrder.filter((id) => state.config.services[id]?.appointments)
    : [];
  const [serviceId, setServiceId] = useState('');
  const [date, setDate] = useState('');
  const [slots, setSlots] = useState<SlotsView | null>(null);
  const [slotStart, setSlotStart] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [phoneTail, setPhoneTail] = useState('');
  const [errors, setErrors] = useState<{ phoneTail?: string; slot?: string }>({});
  const [error, setError] = useState<HubError | null>(null);
  const [booked, setBooked] = useState<Booking | null>(null);
  const [busy, setBusy] = useState(false);

  const today = state ? localDate(hub.now(), tz) : '';
  useEffect(() => {
    if (!serviceId && bookable[0]) setServiceId(bookable[0]);
    if (!date && today) setDate(today);
  }, [serviceId, date, bookable, today]);

  const appointmentsSeq = view?.seq;
  useEffect(() => {
    void appointmentsSeq;
    if (!serviceId || !date) return;
    let live = true;
    void hub.slots(serviceId, date).then((r) => {
      if (!live) return;
      if (r.ok) {
        setSlots(r.value);
        setError(null);
      } else {
        setSlots(null);
        setError(r.error);
      }
    });
    return () => {
      live = false;
    };
  }, [serviceId, date, appointmentsSeq]);

  if (!state) return <div className="panel loading-panel">{t('loading')}</div>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (slotStart === null) next.slot = t('booking.pickSlot');
    if (phoneTail && !/^\d{4}$/.test(phoneTail)) next.phoneTail = t('booking.phoneTailInvalid');
    setErrors(next);
    if (Object.keys(next).length > 0 || slotStart === null) return;
    setBusy(true);
    const r = await hub.book({
      serviceId,
      slotStart,
      customerName: name.trim() || null,
      phoneTail: phoneTail || null,
    });
    setBusy(false);
    if (r.ok) {
      setBooked(r.value);
      setError(null);
      setSlotStart(null);
      setName('');
      setPhoneTail('');
    } else if (r.error.code === 'SLOT_FULL' || r.error.code === 'SLOT_INVALID') {
      setErrors({ slot: b(r.error.message) });
    } else setError(r.error);
  };

  const dayAppointments = Object.values(state.appointments)
    .filter((a) => localDate(a.slotStart, tz) === date)
    .sort((x, y) => x.slotStart - y.slotStart);

  return (
    <div className="booking-page">
      <section className="panel" aria-labelledby="booking-title">
        <h1 id="booking-title">{t('booking.title')}</h1>
        {bookable.length === 0 ? (
          <p className="note">{t('booking.noneBookable')}</p>
        ) : (
          <form onSubmit={submit} className="form-grid">
            <Field label={t('booking.service')}>
              {({ id }) => (
                <select
                  id={id}
                  value={serviceId}
                  onChange={(e) => {
                    setServiceId(e.target.value);
                    setSlotStart(null);
                  }}
                >
                  {bookable.map((sid) => (
                    <option key={sid} value={sid}>
                      {state.config.services[sid]!.prefix} · {b(state.config.services[sid]!.name)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('booking.date')}>
              {({ id }) => (
                <input
                  id={id}
                  type="date"
                  value={date}
                  min={today}
                  max={localDate(hub.now(), tz, bookingDaysAhead(state.config.branch))}
                  onChange={(e) => {
                    setDate(e.target.value);
                    setSlotStart(null);
                  }}
                />
              )}
            </Field>
            <fieldset className={`slots field-wide${errors.slot ? ' field-invalid' : ''}`}>
              <legend>{t('booking.slot')}</legend>
              {slots && slots.slots.length === 0 ? <p className="muted">{t('booking.noSlots')}</p> : null}
              <div className="slot-grid" data-testid="slots">
                {slots?.slots.map((s) => (
                  <button
                    type="button"
                    key={s.start}
                    className={`slot${slotStart === s.start ? ' slot-chosen' : ''}`}
                    disabled={s.free === 0}
                    aria-pressed={slotStart === s.start}
                    data-time={s.time}
                    onClick={() => setSlotStart(s.start)}
                  >
                    <span className="slot-time">{s.time}</span>
                    <span className="slot-free">
                      {s.free === 0 ? t('booking.full') : t('booking.free', { n: s.free, of: s.capacity })}
                    </span>
                  </button>
                ))}
              </div>
              {errors.slot ? (
                <div className="field-error" role="alert">
                  {errors.slot}
                </div>
              ) : null}
            </fieldset>
            <Field label={t('booking.name')} hint={t('booking.nameHint')}>
              {({ id, describedBy }) => (
                <input
                  id={id}
                  value={name}
                  maxLength={64}
                  aria-describedby={describedBy}
                  onChange={(e) => setName(e.target.value)}
                />
              )}
            </Field>
            <Field label={t('booking.phoneTail')} error={errors.phoneTail} hint={t('booking.phoneTailHint')}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  value={phoneTail}
                  inputMode="numeric"
                  maxLength={4}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => setPhoneTail(e.target.value)}
                />
              )}
            </Field>
            <ErrorNote error={error} />
            <div className="form-actions field-wide">
              <button type="submit" className="btn btn-primary btn-big" disabled={busy}>
                {t('booking.submit')}
              </button>
            </div>
          </form>
        )}
      </section>

      <div className="booking-side">
        {booked ? (
          <section className="panel booking-done" data-testid="booking-done" aria-live="polite">
            <h2>{t('booking.done')}</h2>
            <div className="booking-code" data-testid="booking-code">
              {booked.code}
            </div>
            <img src={booked.qr} alt={t('booking.qrAlt', { code: booked.code })} className="qr" />
            <p>
              {b(own(state.config.services, booked.serviceId)?.name)} · {localDate(booked.slotStart, tz)}{' '}
              {hhmm(booked.slotStart, tz)}–{hhmm(booked.slotEnd, tz)}
            </p>
            <p className="muted">
              {t('booking.checkIn', {
                from: hhmm(booked.checkIn.opensAt, tz),
                to: hhmm(booked.checkIn.closesAt, tz),
              })}
            </p>
            <Btn onClick={() => window.print()}>{t('booking.print')}</Btn>
          </section>
        ) : null}
        <section className="panel" aria-labelledby="booked-title">
          <h2 id="booked-title">{t('booking.list', { date })}</h2>
          {session.role === 'teller' ? (
            // Customers' names, phone tails and check-in codes reach managers and admins only.
            <p className="muted" data-testid="booking-list-managers">
              {t('booking.listManagers')}
            </p>
          ) : dayAppointments.length === 0 ? (
            <p className="muted">{t('booking.listEmpty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="table" data-testid="booking-list">
                <thead>
                  <tr>
                    <th>{t('booking.col.time')}</th>
                    <th>{t('booking.col.service')}</th>
                    <th>{t('booking.col.customer')}</th>
                    <th>{t('booking.col.code')}</th>
                    <th>{t('booking.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {dayAppointments.map((a) => (
                    <tr key={a.id}>
                      <td>{hhmm(a.slotStart, tz)}</td>
                      <td>
                        <span className="prefix">{own(state.config.services, a.serviceId)?.prefix}</span>
                      </td>
                      <td>
                        {a.customerName ?? '—'}
                        {a.phoneTail ? ` ·${a.phoneTail}` : ''}
                      </td>
                      <td className="mono">{a.code}</td>
                      <td className="status-cell">
                        <Badge
                          tone={a.status === 'booked' ? 'blue' : a.status === 'checkedIn' ? 'green' : 'grey'}
                        >
                          {t(`appointment.${a.status}` as const)}
                        </Badge>
                        {a.status === 'booked' ? (
                          <Btn
                            variant="quiet"
                            onClick={async () => {
                              const r = await hub.cancelBooking(a.id);
                              setError(r.ok ? null : r.error);
                            }}
                          >
                            {t('booking.cancel')}
                          </Btn>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}
