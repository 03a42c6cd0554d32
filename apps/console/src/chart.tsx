import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/**
 * Charts for the report, drawn with uPlot (bundled: the branch LAN may have no internet). A category
 * chart: bars for the first series, lines for the rest, optionally on a second axis.
 */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  kind?: 'bar' | 'line';
  /** Draw against the right-hand axis (e.g. minutes beside counts). */
  right?: boolean;
}

/** Shortens a label to about `units` half-width characters (a CJK character counts two). */
export function fitLabel(label: string, units: number): string {
  let used = 0;
  let out = '';
  for (const ch of label) {
    const w = /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
    if (used + w > units) return `${out.trimEnd()}…`;
    used += w;
    out += ch;
  }
  return out;
}

const FONT = '13px "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", system-ui, sans-serif';

export function CategoryChart({
  labels,
  series,
  height = 240,
  title,
  leftUnit,
  rightUnit,
}: {
  labels: string[];
  series: ChartSeries[];
  height?: number;
  title: string;
  leftUnit?: string;
  rightUnit?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.6, 64], align: 0 });
    const hasRight = series.some((s) => s.right);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.6, Math.max(0.6, labels.length - 0.4)] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
        ...(hasRight ? { r: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] } } : {}),
      },
      axes: [
        {
          font: FONT,
          stroke: '#333',
          grid: { show: false },
          splits: () => xs,
          // Each category gets its share of the width; a longer label is shortened to fit (≈7 px a unit).
          values: (u, splits) => {
            const units = Math.max(
              4,
              Math.floor(u.bbox.width / devicePixelRatio / Math.max(1, labels.length) / 7.5),
            );
            return splits.map((i) => fitLabel(labels[i] ?? '', units));
          },
          gap: 6,
        },
        {
          font: FONT,
          stroke: '#333',
          grid: { stroke: '#e3e6ea' },
          label: leftUnit,
          labelFont: FONT,
          size: 56,
        },
        ...(hasRight
          ? [
              {
                scale: 'r',
                side: 1 as const,
                font: FONT,
                stroke: '#8a4b00',
                grid: { show: false },
                label: rightUnit,
                labelFont: FONT,
                size: 56,
              },
            ]
          : []),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.kind === 'line' ? undefined : s.color,
          width: s.kind === 'line' ? 3 : 0,
          scale: s.right ? 'r' : 'y',
          paths: s.kind === 'line' ? undefined : bars,
          points: { show: s.kind === 'line', size: 7, fill: s.color },
        })),
      ],
    };
    const data = [xs, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [labels, series, height, leftUnit, rightUnit]);
  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-legend">
          {series.map((s) => (
            <span key={s.label} className="legend-item">
              <span
                className={`legend-swatch${s.kind === 'line' ? ' legend-line' : ''}`}
                style={{ background: s.color }}
              />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={box} className="chart-box" role="img" aria-label={title} />
    </figure>
  );
}
