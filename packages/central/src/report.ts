import { classifyError, type Queryable } from './errors.ts';
import { SCHEMA } from './migrations.ts';

export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * One line of the cross-branch report. A line with `serviceId` null is the branch's total for the
 * day; one with `branchId` null too is the whole bank's.
 *
 * Definitions (computed in the database, over the raw events):
 * - tickets: `TicketIssued` on that business day (the branch's time zone), counted under the service
 *   the ticket was issued for (a transfer does not move it);
 * - wait: from `TicketIssued` to the ticket's first `TicketCalled`; tickets never called have none;
 * - called: tickets with a wait;
 * - no-show: a ticket whose last outcome is `TicketNoShow` (one called again by number and served is
 *   not); the rate is no-shows ÷ called tickets, as the wait estimator's no-show share is.
 */
export interface ReportRow {
  /** Business day, YYYY-MM-DD. */
  day: string;
  branchId: string | null;
  branchName: Bilingual | null;
  serviceId: string | null;
  serviceName: Bilingual | null;
  tickets: number;
  called: number;
  /** Mean wait in seconds; null when no ticket was called. */
  avgWaitSeconds: number | null;
  /**
   * 90th percentile of the wait, seconds: nearest rank (`percentile_disc`), the method of the branch's
   * daily report (core's `percentileNearestRank`), so the two reports agree on one branch's day.
   */
  p90WaitSeconds: number | null;
  noShows: number;
  /** noShows ÷ called; null when no ticket was called. */
  noShowRate: number | null;
}

export interface ReportQuery {
  /** First business day, YYYY-MM-DD. */
  from: string;
  /** Last business day (inclusive). Default `from`. */
  to?: string;
  /** Only these branches. Default all. */
  branchIds?: readonly string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The report's SQL. Partition pruning: `day` is derived from `at` in the branch's zone, which is
 * within a day of UTC, so bounding `at` to the days ±1–2 lets the planner skip other months.
 */
export const REPORT_SQL = `
WITH issued AS (
  SELECT branch_id, day, seq, at, ticket_id, service_id
    FROM ${SCHEMA}.events
   WHERE type = 'TicketIssued'
     AND day BETWEEN $1::date AND $2::date
     AND at >= ($1::date - 1) AND at < ($2::date + 2)
     AND ($3::text[] IS NULL OR branch_id = ANY ($3::text[]))
),
outcomes AS (
  SELECT branch_id, ticket_id, seq, type, at,
         row_number() OVER (PARTITION BY branch_id, ticket_id ORDER BY seq DESC) AS newest
    FROM ${SCHEMA}.events
   WHERE type IN ('TicketCalled', 'TicketNoShow', 'TicketServingStarted', 'TicketFinished',
                  'TicketTransferred', 'TicketCancelled')
     AND day BETWEEN $1::date AND $2::date + 1
     AND at >= ($1::date - 1) AND at < ($2::date + 3)
     AND ($3::text[] IS NULL OR branch_id = ANY ($3::text[]))
),
tickets AS (
  SELECT i.branch_id, i.day, i.service_id, i.ticket_id,
         extract(epoch FROM min(o.at) FILTER (WHERE o.type = 'TicketCalled') - i.at)::float8 AS wait_s,
         coalesce(bool_or(o.newest = 1 AND o.type = 'TicketNoShow'), false) AS no_show
    FROM issued i
    LEFT JOIN outcomes o ON o.branch_id = i.branch_id AND o.ticket_id = i.ticket_id AND o.seq > i.seq
   GROUP BY i.branch_id, i.day, i.service_id, i.ticket_id, i.at
),
figures AS (
  SELECT day, branch_id, service_id,
         GROUPING(branch_id, service_id) AS level,
         count(*)::int AS tickets,
         count(wait_s)::int AS called,
         avg(wait_s) AS avg_wait_s,
         percentile_disc(0.9) WITHIN GROUP (ORDER BY wait_s) AS p90_wait_s,
         (count(*) FILTER (WHERE no_show))::int AS no_shows
    FROM tickets
   GROUP BY GROUPING SETS ((day, branch_id, service_id), (day, branch_id), (day))
)
SELECT f.day::text AS day, f.branch_id, b.name AS branch_name, f.service_id, s.name AS service_name,
       f.tickets, f.called, f.avg_wait_s, f.p90_wait_s, f.no_shows,
       f.no_shows::float8 / nullif(f.called, 0) AS no_show_rate
  FROM figures f
  LEFT JOIN ${SCHEMA}.branches b ON f.level < 3 AND b.branch_id = f.branch_id
  LEFT JOIN ${SCHEMA}.services s ON f.level = 0 AND s.branch_id = f.branch_id AND s.service_id = f.service_id
 ORDER BY f.day, f.level = 3, f.branch_id, f.level, f.service_id`;

/** Runs the cross-branch report for one business day or a range. */
export async function crossBranchReport(client: Queryable, q: ReportQuery): Promise<ReportRow[]> {
  const to = q.to ?? q.from;
  if (!DAY.test(q.from) || !DAY.test(to))
    throw new TypeError(
      `report days must be YYYY-MM-DD, got ${JSON.stringify(q.from)}..${JSON.stringify(to)}`,
    );
  try {
    const r = await client.query<{
      day: string;
      branch_id: string | null;
      branch_name: Bilingual | null;
      service_id: string | null;
      service_name: Bilingual | null;
      tickets: number;
      called: number;
      avg_wait_s: number | null;
      p90_wait_s: number | null;
      no_shows: number;
      no_show_rate: number | null;
    }>(REPORT_SQL, [q.from, to, q.branchIds ? [...q.branchIds] : null]);
    return r.rows.map((x) => ({
      day: x.day,
      branchId: x.branch_id,
      branchName: x.branch_name,
      serviceId: x.service_id,
      serviceName: x.service_name,
      tickets: x.tickets,
      called: x.called,
      avgWaitSeconds: x.avg_wait_s,
      p90WaitSeconds: x.p90_wait_s,
      noShows: x.no_shows,
      noShowRate: x.no_show_rate,
    }));
  } catch (e) {
    throw classifyError(e);
  }
}

export type ReportFormat = 'table' | 'csv' | 'json';
export type Lang = 'zh' | 'en';

const HEAD: Record<Lang, string[]> = {
  zh: ['日期', '网点', '业务', '取号', '已叫', '平均等候', 'P90 等候', '过号', '过号率'],
  en: ['Day', 'Branch', 'Service', 'Tickets', 'Called', 'Avg wait', 'P90 wait', 'No-shows', 'No-show rate'],
};
const ALL: Record<Lang, { branches: string; services: string }> = {
  zh: { branches: '全行合计', services: '全部业务' },
  en: { branches: 'All branches', services: 'All services' },
};

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6)
        ? 2
        : 1;
  }
  return w;
}

const minutes = (s: number | null) => (s === null ? '—' : `${(s / 60).toFixed(1)} min`);
const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);

/** The report as a terminal table, CSV (seconds and ratios, for spreadsheets) or JSON. */
export function formatReport(rows: readonly ReportRow[], format: ReportFormat, lang: Lang = 'zh'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [
      'day,branch_id,branch_name,service_id,service_name,tickets,called,avg_wait_s,p90_wait_s,no_shows,no_show_rate',
      ...rows.map((r) =>
        [
          r.day,
          r.branchId ?? '',
          r.branchName?.[lang] ?? '',
          r.serviceId ?? '',
          r.serviceName?.[lang] ?? '',
          String(r.tickets),
          String(r.called),
          r.avgWaitSeconds === null ? '' : r.avgWaitSeconds.toFixed(1),
          r.p90WaitSeconds === null ? '' : r.p90WaitSeconds.toFixed(1),
          String(r.noShows),
          r.noShowRate === null ? '' : r.noShowRate.toFixed(4),
        ]
          .map(q)
          .join(','),
      ),
    ];
    return `${lines.join('\n')}\n`;
  }
  const cells = rows.map((r) => [
    r.day,
    r.branchId === null
      ? ALL[lang].branches
      : r.branchName
        ? `${r.branchId} ${r.branchName[lang]}`
        : r.branchId,
    r.serviceId === null ? ALL[lang].services : (r.serviceName?.[lang] ?? r.serviceId),
    String(r.tickets),
    String(r.called),
    minutes(r.avgWaitSeconds),
    minutes(r.p90WaitSeconds),
    String(r.noShows),
    percent(r.noShowRate),
  ]);
  const head = HEAD[lang];
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((c) => displayWidth(c[i]!))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - displayWidth(s));
    return i >= 3 ? fill + s : s + fill; // figures right-aligned
  };
  const line = (c: string[]) => c.map(pad).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  ')];
  let lastBranch: string | null | undefined;
  for (const [i, c] of cells.entries()) {
    const r = rows[i]!;
    if (lastBranch !== undefined && r.branchId !== lastBranch) out.push('');
    lastBranch = r.branchId;
    out.push(line(c));
  }
  if (rows.length === 0) out.push(lang === 'zh' ? '（该日没有数据）' : '(no data for that day)');
  return `${out.join('\n')}\n`;
}
