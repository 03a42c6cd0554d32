import { displayWidth, type Effect } from '@nextup/ledbus';
import type { VirtualBusSnapshot } from './bus.ts';

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - displayWidth(s))) + s;

function effectWord(e: Effect): string {
  switch (e.kind) {
    case 'static':
      return '';
    case 'blink':
      return e.times === 0 ? '闪烁/blink' : `闪烁/blink ×${e.times}`;
    case 'scroll':
      return `滚动/scroll${e.speed ? ` ${e.speed}/s` : ''}`;
    default: {
      const _: never = e;
      return _;
    }
  }
}

/**
 * The terminal view: one table of what every board shows (Chinese counted two columns wide so the
 * table stays straight), the keypads' queues and what the bus rejected. Pure: the caller prints it.
 */
export function renderBoards(
  s: VirtualBusSnapshot,
  title = 'Nextup 虚拟 LED 总线 / virtual LED bus',
): string {
  const rows: string[][] = [['地址/addr', '类型/type', '亮度/bright', '显示内容 / showing', '']];
  for (const b of s.boards) {
    const type = b.type === 'mainBoard' ? '主屏/main' : '窗口屏/counter';
    const state = [b.silent ? '（静默/silent）' : '', b.poweredUp ? '（刚上电/powered up）' : '']
      .filter(Boolean)
      .join(' ');
    const areas =
      b.areas.length === 0 ? [{ area: 0, text: '—', effect: { kind: 'static' } as Effect }] : b.areas;
    areas.forEach((a, i) => {
      const text = a.area === 0 ? `[${a.text}]` : `${a.area}: [${a.text}]`;
      rows.push([
        i === 0 ? String(b.address) : '',
        i === 0 ? type : '',
        i === 0 ? `${b.brightness}%` : '',
        text,
        [effectWord(a.effect), i === 0 ? state : ''].filter(Boolean).join(' '),
      ]);
    });
  }
  // The last column (effect, silence) only when some board has something to say there.
  if (rows.every((r) => r[4] === '')) for (const r of rows) r.pop();
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]!))));
  const lines = [title, ''];
  for (const [i, r] of rows.entries()) {
    lines.push(
      r
        .map((c, j) => (j === 0 ? padStart(c, widths[j]!) : pad(c, widths[j]!)))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) lines.push(widths.map((w) => '─'.repeat(w)).join('  '));
  }
  if (s.keypads.length > 0) {
    lines.push('', '呼叫器 / keypads');
    for (const k of s.keypads)
      lines.push(
        `  ${padStart(String(k.address), 3)}  待取/queued ${k.queued.length}${
          k.queued.length ? ` (${k.queued.map((q) => q.key).join(', ')})` : ''
        }  按键/pressed ${k.pressed}${k.silent ? '  （静默/silent）' : ''}`,
      );
  }
  const rej = Object.entries(s.stats.rejected)
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  lines.push(
    '',
    `请求/requests ${s.stats.requests}  广播/broadcasts ${s.stats.broadcasts}  重复/duplicates ${s.stats.duplicates}  拒收/rejected ${rej || '0'}`,
  );
  return `${lines.join('\n')}\n`;
}
