import type { ErrorStats } from './metrics.ts';
import type { TicketRecord } from './simulate.ts';

/**
 * Plots for people to look at, as self-contained SVG (no library, no fonts to fetch): what the kiosk
 * printed against the wait that followed over a day, and the error per day shape. Plain strings, so
 * the bench writes them next to its figures and a browser opens them.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

const COLORS = {
  actual: '#d62728',
  ours: '#1f77b4',
  range: '#9ecae1',
  naive: '#7f7f7f',
  LES: '#bcbd22',
  HOL: '#ff7f0e',
  grid: '#e5e5e5',
  text: '#222',
};

const SERIES_COLORS: Record<string, string> = {
  printed: COLORS.ours,
  naive: COLORS.naive,
  LES: COLORS.LES,
  HOL: COLORS.HOL,
};

function niceMax(v: number): number {
  for (const m of [10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360]) if (v <= m) return m;
  return Math.ceil(v / 60) * 60;
}

/** Grid steps that give whole-number labels for a nice maximum. */
function ticks(max: number): number[] {
  const n = [4, 3, 5, 6, 2].find((k) => Number.isInteger(max / k)) ?? 4;
  return Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
}

function frame(width: number, height: number, body: string, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="${COLORS.text}">${esc(title)}</text>`,
    body,
    '</svg>',
  ].join('\n');
}

export interface DayPlotOptions {
  title: string;
  /** Services in panel order; default: those present, by ticket count. */
  services?: string[];
  /** A reference predictor to draw for comparison (a key of `TicketRecord.predictions`). */
  reference?: string;
  /** Labels per service id. */
  labels?: Record<string, string>;
}

/**
 * One day, one panel per service: each ticket at its issue time, the printed range (bar), the printed
 * point (blue tick), the reference's figure (orange), and the wait that followed (red dot).
 */
export function dayPlotSvg(records: readonly TicketRecord[], options: DayPlotOptions): string {
  const called = records.filter((r) => r.waitMinutes !== null);
  const counts = new Map<string, number>();
  for (const r of called) counts.set(r.serviceId, (counts.get(r.serviceId) ?? 0) + 1);
  const services = options.services ?? [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
  const W = 1000;
  const panelH = 210;
  const top = 40;
  const left = 60;
  const right = 20;
  const H = top + services.length * (panelH + 30) + 40;
  const minutes = called.map((r) => r.issueMinute);
  const x0 = Math.floor(Math.min(...minutes, 510) / 60) * 60;
  const x1 = Math.ceil(Math.max(...minutes, 1020) / 60) * 60;
  const sx = (m: number) => left + ((m - x0) / (x1 - x0)) * (W - left - right);
  const parts: string[] = [];
  services.forEach((serviceId, i) => {
    const rs = called.filter((r) => r.serviceId === serviceId);
    const y0 = top + i * (panelH + 30) + 20;
    const ymax = niceMax(
      Math.max(5, ...rs.map((r) => Math.max(r.waitMinutes!, r.estimate.highMinutes, r.estimate.minutes))),
    );
    const sy = (v: number) => y0 + panelH - (Math.min(v, ymax) / ymax) * panelH;
    const label = options.labels?.[serviceId] ?? serviceId;
    parts.push(
      `<text x="${left}" y="${y0 - 6}" font-weight="bold" fill="${COLORS.text}">${esc(label)} (${rs.length} tickets)</text>`,
    );
    for (const v of ticks(ymax)) {
      parts.push(
        `<line x1="${left}" x2="${W - right}" y1="${sy(v)}" y2="${sy(v)}" stroke="${COLORS.grid}"/>`,
        `<text x="${left - 6}" y="${sy(v) + 4}" text-anchor="end" fill="#555">${f1(v)}</text>`,
      );
    }
    for (let h = x0; h <= x1; h += 60)
      parts.push(
        `<line x1="${sx(h)}" x2="${sx(h)}" y1="${y0}" y2="${y0 + panelH}" stroke="${COLORS.grid}"/>`,
        `<text x="${sx(h)}" y="${y0 + panelH + 14}" text-anchor="middle" fill="#555">${String(h / 60).padStart(2, '0')}:00</text>`,
      );
    for (const r of rs) {
      const x = sx(r.issueMinute);
      parts.push(
        `<line x1="${x}" x2="${x}" y1="${sy(r.estimate.lowMinutes)}" y2="${sy(r.estimate.highMinutes)}" stroke="${COLORS.range}" stroke-width="3" opacity="0.7"/>`,
      );
    }
    for (const r of rs) {
      const x = sx(r.issueMinute);
      parts.push(
        `<line x1="${x - 3}" x2="${x + 3}" y1="${sy(r.estimate.minutes)}" y2="${sy(r.estimate.minutes)}" stroke="${COLORS.ours}" stroke-width="2"/>`,
      );
      const ref = options.reference ? r.predictions[options.reference] : undefined;
      if (ref)
        parts.push(
          `<rect x="${x - 1.5}" y="${sy(ref.minutes) - 1.5}" width="3" height="3" fill="${COLORS.HOL}" opacity="0.8"/>`,
        );
      parts.push(
        `<circle cx="${x}" cy="${sy(r.waitMinutes!)}" r="2.4" fill="${COLORS.actual}" opacity="0.85"/>`,
      );
    }
    parts.push(
      `<text x="18" y="${y0 + panelH / 2}" transform="rotate(-90 18 ${y0 + panelH / 2})" text-anchor="middle" fill="#555">minutes</text>`,
    );
  });
  const ly = H - 18;
  const legend = [
    [COLORS.range, 'printed range', 'bar'],
    [COLORS.ours, 'printed estimate (ours)', 'tick'],
    ...(options.reference ? [[COLORS.HOL, `${options.reference} at the same instant`, 'sq']] : []),
    [COLORS.actual, 'actual wait (issue → first call)', 'dot'],
  ] as const;
  let lx = left;
  for (const [color, text, kind] of legend) {
    if (kind === 'bar') parts.push(`<rect x="${lx}" y="${ly - 9}" width="4" height="12" fill="${color}"/>`);
    else if (kind === 'tick')
      parts.push(
        `<line x1="${lx - 2}" x2="${lx + 6}" y1="${ly - 3}" y2="${ly - 3}" stroke="${color}" stroke-width="2"/>`,
      );
    else if (kind === 'sq')
      parts.push(`<rect x="${lx}" y="${ly - 6}" width="5" height="5" fill="${color}"/>`);
    else parts.push(`<circle cx="${lx + 2}" cy="${ly - 3}" r="3" fill="${color}"/>`);
    parts.push(`<text x="${lx + 12}" y="${ly + 1}" fill="${COLORS.text}">${esc(text)}</text>`);
    lx += 30 + text.length * 6.6;
  }
  return frame(W, H, parts.join('\n'), options.title);
}

/** Scatter of printed estimate (x) against actual wait (y) for many tickets, with the diagonal. */
export function scatterSvg(
  records: readonly TicketRecord[],
  options: { title: string; predictor?: string; limit?: number },
): string {
  const pred = (r: TicketRecord) =>
    !options.predictor || options.predictor === 'printed'
      ? r.estimate.minutes
      : r.predictions[options.predictor]?.minutes;
  const pts = records
    .filter((r) => r.waitMinutes !== null && pred(r) !== undefined)
    .map((r) => [pred(r)!, r.waitMinutes!] as const);
  const W = 520;
  const H = 520;
  const m = 55;
  const max = options.limit ?? niceMax(Math.max(10, ...pts.map(([a, b]) => Math.max(a, b))));
  const s = (v: number) => (Math.min(v, max) / max) * (W - 2 * m);
  const parts: string[] = [];
  for (const v of ticks(max)) {
    parts.push(
      `<line x1="${m + s(v)}" x2="${m + s(v)}" y1="${m}" y2="${H - m}" stroke="${COLORS.grid}"/>`,
      `<line x1="${m}" x2="${W - m}" y1="${H - m - s(v)}" y2="${H - m - s(v)}" stroke="${COLORS.grid}"/>`,
      `<text x="${m + s(v)}" y="${H - m + 16}" text-anchor="middle" fill="#555">${f1(v)}</text>`,
      `<text x="${m - 6}" y="${H - m - s(v) + 4}" text-anchor="end" fill="#555">${f1(v)}</text>`,
    );
  }
  parts.push(`<line x1="${m}" y1="${H - m}" x2="${W - m}" y2="${m}" stroke="#444" stroke-dasharray="4 3"/>`);
  const color = SERIES_COLORS[options.predictor ?? 'printed'] ?? COLORS.ours;
  for (const [a, b] of pts)
    parts.push(`<circle cx="${m + s(a)}" cy="${H - m - s(b)}" r="1.8" fill="${color}" opacity="0.35"/>`);
  parts.push(
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle" fill="${COLORS.text}">estimate at issue (minutes)</text>`,
    `<text x="16" y="${H / 2}" transform="rotate(-90 16 ${H / 2})" text-anchor="middle" fill="${COLORS.text}">actual wait (minutes)</text>`,
  );
  return frame(W, H, parts.join('\n'), options.title);
}

/** Grouped bars: MAE per group (day shape) for each predictor. */
export function maeBarsSvg(
  groups: Record<string, Record<string, ErrorStats>>,
  options: { title: string; predictors: string[]; labels?: Record<string, string> },
): string {
  const label = (k: string) => options.labels?.[k] ?? k;
  const keys = Object.keys(groups).sort((a, b) => label(a).localeCompare(label(b)));
  const W = 1000;
  const rowH = 16 * options.predictors.length + 14;
  const top = 60;
  const left = 250;
  const H = top + keys.length * rowH + 50;
  const max = niceMax(
    Math.max(...keys.flatMap((k) => options.predictors.map((p) => groups[k]![p]?.mae ?? 0))),
  );
  const sx = (v: number) => (v / max) * (W - left - 80);
  const parts: string[] = [];
  for (const v of ticks(max))
    parts.push(
      `<line x1="${left + sx(v)}" x2="${left + sx(v)}" y1="${top - 10}" y2="${H - 40}" stroke="${COLORS.grid}"/>`,
      `<text x="${left + sx(v)}" y="${H - 26}" text-anchor="middle" fill="#555">${f1(v)}</text>`,
    );
  parts.push(
    `<text x="${left + (W - left - 80) / 2}" y="${H - 8}" text-anchor="middle" fill="${COLORS.text}">mean absolute error (minutes)</text>`,
  );
  keys.forEach((k, i) => {
    const y = top + i * rowH;
    parts.push(
      `<text x="${left - 8}" y="${y + rowH / 2}" text-anchor="end" fill="${COLORS.text}">${esc(label(k))}</text>`,
    );
    options.predictors.forEach((p, j) => {
      const s = groups[k]![p];
      if (!s) return;
      const yy = y + j * 16;
      parts.push(
        `<rect x="${left}" y="${yy}" width="${sx(s.mae)}" height="13" fill="${SERIES_COLORS[p] ?? '#999'}"/>`,
        `<text x="${left + sx(s.mae) + 4}" y="${yy + 11}" fill="#333" font-size="11">${f1(s.mae)}</text>`,
      );
    });
  });
  let lx = left;
  for (const p of options.predictors) {
    parts.push(
      `<rect x="${lx}" y="${top - 30}" width="12" height="12" fill="${SERIES_COLORS[p] ?? '#999'}"/>`,
      `<text x="${lx + 16}" y="${top - 20}" fill="${COLORS.text}">${esc(p === 'printed' ? 'ours (printed)' : p)}</text>`,
    );
    lx += 130;
  }
  return frame(W, H, parts.join('\n'), options.title);
}

/** A self-contained HTML page holding SVGs (inline) and a preformatted report. */
export function htmlPage(
  title: string,
  sections: { heading: string; svg?: string; text?: string }[],
): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f6f6;padding:12px;overflow:auto}svg{max-width:100%;height:auto}</style>',
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    ...sections.map(
      (s) => `<h2>${esc(s.heading)}</h2>${s.text ? `<pre>${esc(s.text)}</pre>` : ''}${s.svg ?? ''}`,
    ),
    '</body></html>',
  ].join('\n');
}
