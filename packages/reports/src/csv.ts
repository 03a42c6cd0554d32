import type { Lang } from '@nextup/core';
import type { DailyReport } from './daily.ts';

/**
 * The daily report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
 * quoted), one section after another with a blank line between them, each with its own header row.
 * It starts with a UTF-8 byte-order mark so that Excel, which branches open it in, reads the Chinese
 * correctly. Minutes have one decimal; rates are percentages with one decimal; empty means "not
 * measured" (nobody called, nothing rated).
 */

export interface CsvOptions {
  /** Language of headers and names. Default 'zh'. */
  lang?: Lang;
  /** Start with a UTF-8 byte-order mark. Default true. */
  bom?: boolean;
}

const H = {
  zh: {
    summary: '汇总',
    metric: '指标',
    value: '数值',
    day: '营业日',
    closed: '已结束',
    yes: '是',
    no: '否',
    issued: '取号数',
    customers: '客户数（不含作废）',
    called: '已叫号',
    served: '已办结',
    noShow: '过号',
    customerLeft: '客户离开',
    voided: '作废',
    atDesk: '柜台发号',
    unfinished: '日终未办结',
    stillOpen: '仍在进行',
    transfers: '转移',
    recalls: '重呼',
    waitMean: '平均等候（分钟）',
    waitP90: '90% 等候（分钟）',
    serviceMean: '平均办理时长（分钟）',
    noShowRate: '过号率（%）',
    abandonmentRate: '弃号率（%）',
    satCount: '评价数',
    satMean: '平均评分',
    satShare: '满意率（4–5 分，%）',
    byService: '按业务',
    service: '业务',
    prefix: '前缀',
    abandoned: '弃号',
    byCounter: '按窗口',
    counter: '窗口',
    number: '窗口号',
    calls: '叫号次数',
    transfersOut: '转出',
    busy: '办理总时长（分钟）',
    byHour: '按小时',
    hour: '时段',
    byClass: '按客户类别',
    class: '类别',
    satisfaction: '满意度',
    score: '评分',
    count: '数量',
    classes: { normal: '普通', vip: '贵宾', priority: '优先', appointment: '预约' },
  },
  en: {
    summary: 'Summary',
    metric: 'Metric',
    value: 'Value',
    day: 'Business day',
    closed: 'Day closed',
    yes: 'yes',
    no: 'no',
    issued: 'Tickets issued',
    customers: 'Customers (issued less voided)',
    called: 'Called',
    served: 'Served',
    noShow: 'No-shows',
    customerLeft: 'Customer left',
    voided: 'Voided',
    atDesk: 'Issued at the desk',
    unfinished: 'Unfinished at close',
    stillOpen: 'Still open',
    transfers: 'Transfers',
    recalls: 'Recalls',
    waitMean: 'Average wait (min)',
    waitP90: '90th percentile wait (min)',
    serviceMean: 'Average service time (min)',
    noShowRate: 'No-show rate (%)',
    abandonmentRate: 'Abandonment rate (%)',
    satCount: 'Ratings',
    satMean: 'Average rating',
    satShare: 'Satisfied (4–5, %)',
    byService: 'By service',
    service: 'Service',
    prefix: 'Prefix',
    abandoned: 'Abandoned',
    byCounter: 'By counter',
    counter: 'Counter',
    number: 'Number',
    calls: 'Calls',
    transfersOut: 'Transferred out',
    busy: 'Time serving (min)',
    byHour: 'By hour',
    hour: 'Hour',
    byClass: 'By customer class',
    class: 'Class',
    satisfaction: 'Satisfaction',
    score: 'Score',
    count: 'Count',
    classes: { normal: 'Normal', vip: 'VIP', priority: 'Priority', appointment: 'Appointment' },
  },
} as const;

type Cell = string | number | null;

function field(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Milliseconds as minutes with one decimal; empty when not measured. */
export function minutes(ms: number | null): string {
  return ms === null ? '' : (ms / 60_000).toFixed(1);
}

/** A share 0–1 as a percentage with one decimal; empty when not measured. */
export function percent(share: number | null): string {
  return share === null ? '' : (share * 100).toFixed(1);
}

export function reportToCsv(report: DailyReport, options: CsvOptions = {}): string {
  const lang = options.lang ?? 'zh';
  const h = H[lang];
  const rows: Cell[][] = [];
  const section = (title: string, header: Cell[], body: Cell[][]) => {
    if (rows.length > 0) rows.push([]);
    rows.push([title]);
    rows.push(header);
    rows.push(...body);
  };
  const t = report.totals;
  const s = report.satisfaction;
  section(
    h.summary,
    [h.metric, h.value],
    [
      [h.day, report.day],
      [h.closed, report.closed ? h.yes : h.no],
      [h.issued, t.issued],
      [h.customers, t.customers],
      [h.called, t.called],
      [h.served, t.served],
      [h.noShow, t.noShow],
      [h.customerLeft, t.customerLeft],
      [h.voided, t.voided],
      [h.unfinished, t.unfinishedAtClose],
      [h.stillOpen, t.stillOpen],
      [h.transfers, t.transfers],
      [h.recalls, t.recalls],
      [h.waitMean, minutes(t.waitMeanMs)],
      [h.waitP90, minutes(t.waitP90Ms)],
      [h.serviceMean, minutes(t.serviceMeanMs)],
      [h.noShowRate, percent(t.noShowRate)],
      [h.abandonmentRate, percent(t.abandonmentRate)],
      [h.satCount, s.count],
      [h.satMean, s.mean === null ? '' : s.mean.toFixed(2)],
      [h.satShare, percent(s.satisfiedShare)],
    ],
  );
  section(
    h.byService,
    [h.service, h.prefix, h.issued, h.served, h.noShow, h.abandoned, h.waitMean, h.waitP90, h.serviceMean],
    report.byService.map((r) => [
      r.name[lang],
      r.prefix,
      r.issued,
      r.served,
      r.noShow,
      r.abandoned,
      minutes(r.waitMeanMs),
      minutes(r.waitP90Ms),
      minutes(r.serviceMeanMs),
    ]),
  );
  section(
    h.byCounter,
    [h.counter, h.number, h.calls, h.served, h.noShow, h.transfersOut, h.serviceMean, h.busy],
    report.byCounter.map((r) => [
      r.name[lang],
      r.number,
      r.calls,
      r.served,
      r.noShow,
      r.transfersOut,
      minutes(r.serviceMeanMs),
      minutes(r.busyMs),
    ]),
  );
  section(
    h.byHour,
    [h.hour, h.issued, h.called, h.served, h.waitMean],
    report.byHour.map((r) => [
      `${String(r.hour).padStart(2, '0')}:00`,
      r.issued,
      r.called,
      r.served,
      minutes(r.waitMeanMs),
    ]),
  );
  section(
    h.byClass,
    [h.class, h.issued, h.atDesk, h.voided, h.served, h.waitMean, h.waitP90],
    report.byClass.map((r) => [
      h.classes[r.class],
      r.issued,
      r.atDesk,
      r.voided,
      r.served,
      minutes(r.waitMeanMs),
      minutes(r.waitP90Ms),
    ]),
  );
  section(
    h.satisfaction,
    [h.score, h.count],
    s.distribution.map((n, i) => [i + 1, n]),
  );
  const text = rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
  return (options.bom ?? true) ? `\uFEFF${text}` : text;
}
