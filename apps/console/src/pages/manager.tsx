import { own } from '@nextup/core';
import type { DeviceInfo, SessionInfo } from '@nextup/protocol';
import { useEffect, useRef, useState } from 'react';
import { addSample, serviceLive, type WaitSample } from '../alerts.ts';
import { HealthLine } from '../device-health.tsx';
import { hhmm, minutesSince } from '../format.ts';
import { type HubError, hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { pauseReasonText } from '../pause-reason.ts';
import { Link } from '../router.tsx';
import { Badge, Btn, ErrorNote, useLive, useTick } from '../ui.tsx';

const THRESHOLD_KEY = 'nextup.manager.threshold';

/**
 * The branch manager's live view: waiting and predicted waits per service, alerts when a wait is
 * too long or keeps rising with the counter that could open for it, the counters, and device trouble.
 */
export function ManagerPage({ session }: { session: SessionInfo }) {
  const { t, b } = useT();
  const { view } = useLive();
  useTick(30_000);
  const [threshold, setThreshold] = useState<number>(() => Number(localStorage.getItem(THRESHOLD_KEY)) || 20);
  const history = useRef<Record<string, WaitSample[]>>({});
  const [error, setError] = useState<HubError | null>(null);
  const [devices, setDevices] = useState<DeviceInfo[]>([]);

  const state = view?.state ?? null;
  const now = hub.now();
  const rows = state ? serviceLive(state, now, history.current, threshold) : [];

  // One sample per service per minute, for "keeps rising".
  useEffect(() => {
    for (const r of rows)
      if (r.estimate)
        history.current[r.serviceId] = addSample(history.current[r.serviceId] ?? [], {
          at: now,
          minutes: r.estimate.minutes,
        });
  });

  const deviceEvents = view?.hub.devices;
  useEffect(() => {
    void deviceEvents;
    void hub.devices().then((r) => r.ok && setDevices(r.value.devices));
  }, [deviceEvents]);

  if (!state) return <div className="panel loading-panel">{t('loading')}</div>;
  const tz = state.config.branch.timeZone;
  const alerts = rows.filter((r) => r.overThreshold || r.rising || r.unserved);
  const troubled = devices.filter(
    (d) => !d.revoked && (!d.online || d.health?.components.some((c) => c.level !== 'ok')),
  );

  const openCounter = async (counterId: string, paused: boolean) => {
    const r = await hub.command({ type: paused ? 'ResumeCounter' : 'OpenCounter', data: { counterId } });
    setError(r.ok ? null : r.error);
  };

  return (
    <div className="manager-page">
      <section className="panel" aria-labelledby="alerts-title">
        <div className="section-head">
          <h1 id="alerts-title">{t('manager.title')}</h1>
          <label className="inline-field">
            {t('manager.threshold')}
            <input
              type="number"
              min={1}
              max={240}
              value={threshold}
              onChange={(e) => {
                const v = Math.max(1, Math.min(240, Number(e.target.value) || 20));
                setThreshold(v);
                localStorage.setItem(THRESHOLD_KEY, String(v));
              }}
            />
            {t('unit.minutes')}
          </label>
          <Link to="/report" className="btn btn-plain">
            {t('manager.openReport')}
          </Link>
        </div>
        <ErrorNote error={error} />
        {alerts.length === 0 ? (
          <p className="note note-ok" data-testid="no-alerts">
            {t('manager.noAlerts', { minutes: threshold })}
          </p>
        ) : (
          <ul className="alerts" data-testid="alerts">
            {alerts.map((a) => {
              const s = state.config.services[a.serviceId]!;
              const sug = a.suggestion;
              return (
                <li key={a.serviceId} className="alert">
                  <div className="alert-text">
                    <strong>{b(s.name)}</strong>{' '}
                    {a.overThreshold
                      ? t('manager.alertOver', {
                          low: a.estimate?.lowMinutes ?? 0,
                          high: a.estimate?.highMinutes ?? 0,
                          minutes: threshold,
                        })
                      : null}
                    {a.rising ? ` ${t('manager.alertRising')}` : null}
                    {a.unserved ? ` ${t('manager.alertUnserved', { n: a.waiting })}` : null}
                    <div className="alert-suggest">
                      {sug
                        ? t(sug.status === 'paused' ? 'manager.suggestResume' : 'manager.suggestOpen', {
                            counter: b(state.config.counters[sug.counterId]!.name),
                            low: sug.estimate?.lowMinutes ?? 0,
                            high: sug.estimate?.highMinutes ?? 0,
                          })
                        : t('manager.noSuggestion')}
                    </div>
                  </div>
                  {sug ? (
                    <Btn
                      variant="primary"
                      onClick={() => void openCounter(sug.counterId, sug.status === 'paused')}
                    >
                      {t(sug.status === 'paused' ? 'manager.resumeIt' : 'manager.openIt', {
                        counter: sug.number,
                      })}
                    </Btn>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="services-title">
        <h2 id="services-title">{t('manager.services')}</h2>
        <table className="table" data-testid="service-table">
          <thead>
            <tr>
              <th>{t('manager.col.service')}</th>
              <th className="num">{t('manager.col.waiting')}</th>
              <th className="num">{t('manager.col.counters')}</th>
              <th>{t('manager.col.predicted')}</th>
              <th>{t('manager.col.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const s = state.config.services[r.serviceId]!;
              return (
                <tr key={r.serviceId} data-service={r.serviceId}>
                  <td>
                    <span className="prefix">{s.prefix}</span> {b(s.name)}
                  </td>
                  <td className="num big-num">{r.waiting}</td>
                  <td className="num">{r.countersOpen}</td>
                  <td>
                    {r.estimate
                      ? t('manager.range', { low: r.estimate.lowMinutes, high: r.estimate.highMinutes })
                      : '—'}
                    {r.estimate?.noCounterOpen ? (
                      <span className="muted small"> · {t('manager.noCounterOpen')}</span>
                    ) : null}
                  </td>
                  <td>
                    {r.overThreshold ? <Badge tone="red">{t('manager.badgeOver')}</Badge> : null}
                    {r.rising ? <Badge tone="amber">{t('manager.badgeRising')}</Badge> : null}
                    {!r.overThreshold && !r.rising ? (
                      <Badge tone="green">{t('manager.badgeOk')}</Badge>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-labelledby="counters-title">
        <h2 id="counters-title">{t('manager.counters')}</h2>
        <div className="counter-cards">
          {state.config.counterOrder.map((id) => {
            const cfg = state.config.counters[id]!;
            const rt = state.counters[id]!;
            const tk = rt.ticketId ? own(state.tickets, rt.ticketId) : undefined;
            return (
              <div key={id} className={`counter-card status-${rt.status}`}>
                <div className="counter-card-name">{b(cfg.name)}</div>
                <div>
                  {t(`counter.status.${rt.status}` as const)}
                  {rt.status === 'paused' && rt.pauseReason ? ` · ${pauseReasonText(rt.pauseReason, t)}` : ''}
                  <span className="muted small">
                    {' '}
                    {t('counter.since', { time: hhmm(rt.since, tz), minutes: minutesSince(rt.since, now) })}
                  </span>
                </div>
                <div className="counter-card-ticket">{tk ? tk.number : '—'}</div>
                <div className="muted small">
                  {cfg.services.map((sid) => state.config.services[sid]?.prefix ?? sid).join(' › ')}
                </div>
              </div>
            );
          })}
        </div>
      </section>

      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">{t('manager.devices')}</h2>
        {troubled.length === 0 ? (
          <p className="note note-ok">
            {t('manager.devicesOk', { n: devices.filter((d) => !d.revoked).length })}
          </p>
        ) : (
          <ul className="plain-list device-trouble" data-testid="device-trouble">
            {troubled.map((d) => (
              <li key={d.deviceId} data-device={d.deviceId}>
                <strong>{d.name}</strong> <span className="muted">{t(`device.kind.${d.kind}` as const)}</span>
                {!d.online ? (
                  <>
                    {' '}
                    ·{' '}
                    <Badge tone="red">
                      {d.lastSeen
                        ? t('device.offlineSince', {
                            time: hhmm(d.lastSeen, tz),
                            minutes: minutesSince(d.lastSeen, now),
                          })
                        : t('device.neverSeen')}
                    </Badge>
                  </>
                ) : null}
                {session.role === 'admin' ? (
                  <>
                    {' '}
                    · <Link to="/admin/devices">{t('manager.seeDevices')}</Link>
                  </>
                ) : null}
                {/* What is wrong, part by part, in words: the manager knows whom to call and what to say. */}
                <ul className="health">
                  {(d.health?.components ?? [])
                    .filter((c) => c.level !== 'ok')
                    .map((c) => (
                      <HealthLine key={`${c.component}-${c.address ?? ''}`} c={c} tz={tz} now={now} />
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
