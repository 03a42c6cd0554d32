import type { DailyReportResponse, LoggedEvent } from '@nextup/protocol';
import { type DailyReport, dailyReport, reportToCsv } from '@nextup/reports';
import type { FastifyInstance } from 'fastify';
import { errorBody, type HubService } from '../hub.ts';
import { isCalendarDate } from './calendar-date.ts';
import type { RouteContext } from './route-context.ts';

/**
 * Where each business day lies in the log: the `BusinessDayRolled` that opened it and the one that
 * closed it. Built by one pass over the log on first use and kept up to date incrementally, so a
 * report reads only its own day's events.
 */
class DayIndex {
  readonly #hub: HubService;
  #scanned = 0;
  readonly #opened = new Map<string, number>();
  readonly #closed = new Map<string, number>();

  constructor(hub: HubService) {
    this.#hub = hub;
  }

  #update() {
    for (const e of this.#hub.log.iterateAfter(this.#scanned)) {
      this.#scanned = e.seq;
      if (e.event.type !== 'BusinessDayRolled') continue;
      const { from, to } = e.event.data;
      if (from !== null && !this.#closed.has(from)) this.#closed.set(from, e.seq);
      this.#opened.set(to, e.seq);
    }
  }

  /** The day's events, from the roll that opened it to the one that closed it (inclusive), or null. */
  eventsOf(day: string): { events: LoggedEvent[]; closed: boolean } | null {
    this.#update();
    const start = this.#opened.get(day);
    if (start === undefined) return null;
    const end = this.#closed.get(day) ?? Number.POSITIVE_INFINITY;
    const events: LoggedEvent[] = [];
    for (const e of this.#hub.log.iterateAfter(start - 1)) {
      if (e.seq > end) break;
      events.push(e);
    }
    return { events, closed: Number.isFinite(end) };
  }
}

/**
 * `GET /api/v1/reports/daily?date=YYYY-MM-DD[&format=csv][&lang=zh|en]` (manager, admin): the daily
 * report of `@nextup/reports` for one business day, from the hub's own event log. A closed day's
 * report never changes and is kept in memory.
 */
export function registerReportRoutes(app: FastifyInstance, ctx: RouteContext) {
  const { hub } = ctx;
  const index = new DayIndex(hub);
  const cache = new Map<string, DailyReport>();

  const reportOf = (day: string): DailyReport => {
    const cached = cache.get(day);
    if (cached) return cached;
    const slice = index.eventsOf(day);
    const config = hub.view.state.config;
    const report = dailyReport(slice?.events ?? [], { day, config, timeZone: config.branch.timeZone });
    if (slice?.closed) {
      if (cache.size >= 100) cache.delete(cache.keys().next().value!);
      cache.set(day, report);
    }
    return report;
  };

  app.get<{ Querystring: { date?: string; format?: string; lang?: string } }>(
    '/api/v1/reports/daily',
    async (req, reply) => {
      if (!ctx.require(req, reply, 'manager', 'admin')) return reply;
      const day = req.query.date ?? hub.view.state.day ?? '';
      if (!isCalendarDate(day))
        return reply
          .code(400)
          .send(
            errorBody(
              'input',
              'BAD_DATE',
              '日期须为真实的日期 YYYY-MM-DD',
              'date must be a real day, YYYY-MM-DD',
            ),
          );
      const report = reportOf(day);
      if (req.query.format === 'csv') {
        const lang = req.query.lang === 'en' ? 'en' : 'zh';
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="nextup-report-${day}-${lang}.csv"`)
          .header('cache-control', 'no-store')
          .send(reportToCsv(report, { lang }));
      }
      reply.header('cache-control', 'no-store');
      return { ...report, branch: hub.view.state.config.branch.name } satisfies DailyReportResponse;
    },
  );
}
