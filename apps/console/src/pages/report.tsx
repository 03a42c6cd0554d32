import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { CategoryChart, type ChartSeries } from '../chart.tsx';
import { durationText, localDate, percentText } from '../format.ts';
import { type DailyReportView, type HubError, hub } from '../hub.ts';
import { useT } from '../i18n.tsx';
import { Btn, ErrorNote, useLive } from '../ui.tsx';

const BLUE = '#1d5fbf';
const GREEN = '#2e8540';
const ORANGE = '#c05600';

/** The daily report of any business day: figures, charts, tables, CSV export and a print layout. */
export function ReportPage() {
  const { t, b, lang } = useT();
  const { view } = useLive();
  const tz = view?.state.config.branch.timeZone ?? 'Asia/Shanghai';
  const today = view?.state.day ?? localDate(hub.now(), tz);
  const initial = new URLSearchParams(location.search).get('date') ?? today;
  const [date, setDate] = useState(initial);
  const [shown, setShown] = useState(initial);
  const [report, setReport] = useState<DailyReportView | null>(null);
  const [error, setError] = useState<HubError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setBusy(true);
    void hub.dailyReport(shown).then((r) => {
      if (!live) return;
      setBusy(false);
      if (r.ok) {
        setReport(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [shown]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(date);
    history.replaceState(null, '', `/report?date=${date}`);
  };

  const charts = useMemo(() => {
    if (!report) return null;
    const min = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 10) / 10);
    const hours: { labels: string[]; series: ChartSeries[] } = {
      labels: report.byHour.map((h) => `${String(h.hour).padStart(2, '0')}:00`),
      series: [
        { label: t('report.chart.issued'), values: report.byHour.map((h) => h.issued), color: BLUE },
        {
          label: t('report.chart.served'),
          values: report.byHour.map((h) => h.served),
          color: GREEN,
          kind: 'line',
        },
        {
          label: t('report.chart.waitMean'),
          values: report.byHour.map((h) => min(h.waitMeanMs)),
          color: ORANGE,
          kind: 'line',
          right: true,
        },
      ],
    };
    const services = {
      labels: report.byService.map((s) => `${s.prefix ?? ''} ${b(s.name)}`.trim()),
      series: [
        { label: t('report.chart.issued'), values: report.byService.map((s) => s.issued), color: BLUE },
        {
          label: t('report.chart.waitMean'),
          values: report.byService.map((s) => min(s.waitMeanMs)),
          color: ORANGE,
          kind: 'line' as const,
          right: true,
        },
      ],
    };
    const counters = {
      labels: report.byCounter.map((c) => b(c.name)),
      series: [
        { label: t('report.chart.served'), values: report.byCounter.map((c) => c.served), color: GREEN },
        {
          label: t('report.chart.serviceMean'),
          values: report.byCounter.map((c) => min(c.serviceMeanMs)),
          color: ORANGE,
          kind: 'line' as const,
          right: true,
        },
      ],
    };
    const ratings = {
      labels: ['1', '2', '3', '4', '5'].map((s) => t('report.score', { n: s })),
      series: [
        { label: t('report.chart.ratings'), values: [...report.satisfaction.distribution], color: BLUE },
      ],
    };
    return { hours, services, counters, ratings };
  }, [report, t, b]);

  const tt = report?.totals;
  const sat = report?.satisfaction;
  return (
    <div className="report-page">
      <section className="panel no-print-border">
        <div className="section-head">
          <h1>
            {t('report.title')}
            {report ? <span className="report-day"> {report.day}</span> : null}
            {report ? <span className="print-only"> · {b(report.branch)}</span> : null}
          </h1>
          <form className="report-form no-print" onSubmit={submit}>
            <label htmlFor="report-date">{t('report.date')}</label>
            <input
              id="report-date"
              type="date"
              value={date}
              max={today}
              onChange={(e) => setDate(e.target.value)}
            />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('report.show')}
            </button>
            <a className="btn btn-plain" href={hub.reportCsvUrl(shown, lang)} download data-testid="csv-link">
              {t('report.csv')}
            </a>
            <Btn onClick={() => window.print()}>{t('report.print')}</Btn>
          </form>
        </div>
        <ErrorNote error={error} />
        {report && !report.closed ? <p className="muted">{t('report.open')}</p> : null}
      </section>

      {report && tt && sat && charts ? (
        <>
          <section className="kpis" aria-label={t('report.summary')} data-testid="kpis">
            <Kpi label={t('report.kpi.issued')} value={String(tt.issued)} id="issued" />
            <Kpi label={t('report.kpi.served')} value={String(tt.served)} id="served" />
            <Kpi label={t('report.kpi.waitMean')} value={durationText(tt.waitMeanMs, lang)} id="waitMean" />
            <Kpi label={t('report.kpi.waitP90')} value={durationText(tt.waitP90Ms, lang)} id="waitP90" />
            <Kpi
              label={t('report.kpi.serviceMean')}
              value={durationText(tt.serviceMeanMs, lang)}
              id="serviceMean"
            />
            <Kpi label={t('report.kpi.noShowRate')} value={percentText(tt.noShowRate)} id="noShowRate" />
            <Kpi
              label={t('report.kpi.abandonmentRate')}
              value={percentText(tt.abandonmentRate)}
              id="abandonmentRate"
            />
            <Kpi
              label={t('report.kpi.satisfaction')}
              value={sat.mean === null ? '—' : `${sat.mean.toFixed(2)} · ${percentText(sat.satisfiedShare)}`}
              sub={t('report.kpi.ratings', { n: sat.count })}
              id="satisfaction"
            />
          </section>

          {tt.issued === 0 ? (
            <section className="panel empty-state">{t('report.empty')}</section>
          ) : (
            <>
              <section className="panel chart-grid">
                <CategoryChart
                  title={t('report.byHour')}
                  labels={charts.hours.labels}
                  series={charts.hours.series}
                  leftUnit={t('report.unit.tickets')}
                  rightUnit={t('unit.minutes')}
                />
                <CategoryChart
                  title={t('report.byService')}
                  labels={charts.services.labels}
                  series={charts.services.series}
                  leftUnit={t('report.unit.tickets')}
                  rightUnit={t('unit.minutes')}
                />
                <CategoryChart
                  title={t('report.byCounter')}
                  labels={charts.counters.labels}
                  series={charts.counters.series}
                  leftUnit={t('report.unit.tickets')}
                  rightUnit={t('unit.minutes')}
                />
                <CategoryChart
                  title={t('report.satisfaction')}
                  labels={charts.ratings.labels}
                  series={charts.ratings.series}
                  leftUnit={t('report.unit.ratings')}
                />
              </section>

              <section className="panel">
                <h2>{t('report.byService')}</h2>
                <table className="table" data-testid="report-services">
                  <thead>
                    <tr>
                      <th>{t('report.col.service')}</th>
                      <th className="num">{t('report.col.issued')}</th>
                      <th className="num">{t('report.col.served')}</th>
                      <th className="num">{t('report.col.noShow')}</th>
                      <th className="num">{t('report.col.abandoned')}</th>
                      <th className="num">{t('report.col.waitMean')}</th>
                      <th className="num">{t('report.col.waitP90')}</th>
                      <th className="num">{t('report.col.serviceMean')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.byService.map((s) => (
                      <tr key={s.serviceId}>
                        <td>
                          <span className="prefix">{s.prefix}</span> {b(s.name)}
                        </td>
                        <td className="num">{s.issued}</td>
                        <td className="num">{s.served}</td>
                        <td className="num">{s.noShow}</td>
                        <td className="num">{s.abandoned}</td>
                        <td className="num">{durationText(s.waitMeanMs, lang)}</td>
                        <td className="num">{durationText(s.waitP90Ms, lang)}</td>
                        <td className="num">{durationText(s.serviceMeanMs, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>

              <section className="panel">
                <h2>{t('report.byCounter')}</h2>
                <table className="table" data-testid="report-counters">
                  <thead>
                    <tr>
                      <th>{t('report.col.counter')}</th>
                      <th className="num">{t('report.col.calls')}</th>
                      <th className="num">{t('report.col.served')}</th>
                      <th className="num">{t('report.col.noShow')}</th>
                      <th className="num">{t('report.col.transfersOut')}</th>
                      <th className="num">{t('report.col.serviceMean')}</th>
                      <th className="num">{t('report.col.busy')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.byCounter.map((c) => (
                      <tr key={c.counterId}>
                        <td>{b(c.name)}</td>
                        <td className="num">{c.calls}</td>
                        <td className="num">{c.served}</td>
                        <td className="num">{c.noShow}</td>
                        <td className="num">{c.transfersOut}</td>
                        <td className="num">{durationText(c.serviceMeanMs, lang)}</td>
                        <td className="num">{durationText(c.busyMs, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>

              <div className="two-col">
                <section className="panel">
                  <h2>{t('report.byClass')}</h2>
                  <table className="table">
                    <thead>
                      <tr>
                        <th>{t('report.col.class')}</th>
                        <th className="num">{t('report.col.issued')}</th>
                        <th className="num">{t('report.col.atDesk')}</th>
                        <th className="num">{t('report.col.voided')}</th>
                        <th className="num">{t('report.col.served')}</th>
                        <th className="num">{t('report.col.waitMean')}</th>
                        <th className="num">{t('report.col.waitP90')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.byClass.map((c) => (
                        <tr key={c.class} data-class={c.class}>
                          <td>{t(`classFull.${c.class}` as const)}</td>
                          <td className="num">{c.issued}</td>
                          <td className="num">{c.atDesk}</td>
                          <td className="num">{c.voided}</td>
                          <td className="num">{c.served}</td>
                          <td className="num">{durationText(c.waitMeanMs, lang)}</td>
                          <td className="num">{durationText(c.waitP90Ms, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                <section className="panel">
                  <h2>{t('report.byHour')}</h2>
                  <table className="table">
                    <thead>
                      <tr>
                        <th>{t('report.col.hour')}</th>
                        <th className="num">{t('report.col.issued')}</th>
                        <th className="num">{t('report.col.called')}</th>
                        <th className="num">{t('report.col.served')}</th>
                        <th className="num">{t('report.col.waitMean')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.byHour.map((h) => (
                        <tr key={h.hour}>
                          <td>{`${String(h.hour).padStart(2, '0')}:00`}</td>
                          <td className="num">{h.issued}</td>
                          <td className="num">{h.called}</td>
                          <td className="num">{h.served}</td>
                          <td className="num">{durationText(h.waitMeanMs, lang)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              </div>
              <p className="muted small definitions">{t('report.definitions')}</p>
            </>
          )}
        </>
      ) : null}
    </div>
  );
}

function Kpi({ label, value, sub, id }: { label: string; value: string; sub?: string; id: string }) {
  return (
    <div className="kpi" data-kpi={id}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub ? <div className="kpi-sub">{sub}</div> : null}
    </div>
  );
}
