import { realtimeByte, type VirtualStatus } from './device.ts';

/**
 * The virtual printer's web page (GET /, hardware/escpos.md §7): its sensors with a button for each
 * fault a branch meets — paper out, paper nearly out, cover open, and a cutter jam or a printer that
 * stops answering — and one to put everything back, so branch IT and the demo can show a fault
 * reaching the kiosk and the hub; what DLE EOT answers now; and the latest tickets as the paper looks.
 * Zh and English side by side, like the rest of the branch's screens for IT.
 */

/** A fault the page can switch, with its words and the sensor it sets. */
export const FAULTS = [
  { key: 'paperOut', zh: '缺纸', en: 'Paper out' },
  { key: 'paperNearEnd', zh: '纸将用完', en: 'Paper near end' },
  { key: 'coverOpen', zh: '机盖打开', en: 'Cover open' },
  { key: 'error', zh: '切刀卡纸', en: 'Cutter jam' },
  { key: 'offline', zh: '无响应', en: 'Not answering' },
] as const satisfies readonly { key: keyof VirtualStatus; zh: string; en: string }[];

/** The sensors in words, e.g. "缺纸 · Paper out", or "正常 · Ready". */
export function statusWords(s: VirtualStatus): { zh: string; en: string } {
  const on = FAULTS.filter((f) => s[f.key]);
  if (on.length === 0) return { zh: '正常', en: 'Ready' };
  return { zh: on.map((f) => f.zh).join('、'), en: on.map((f) => f.en).join(', ') };
}

/** What DLE EOT 1, 2, 3, 4 answer now, as hex ("—" for no answer: a printer that is not answering). */
export function dleEotReplies(s: VirtualStatus): string {
  if (s.offline) return '— — — —';
  return ([1, 2, 3, 4] as const)
    .map((n) => realtimeByte(n, s).toString(16).padStart(2, '0').toUpperCase())
    .join(' ');
}

/** The page state the script polls (GET /state): the sensors, in words, and the newest ticket. */
export function pageState(s: VirtualStatus, tickets: number, latest: number) {
  return { status: s, words: statusWords(s), dleEot: dleEotReplies(s), tickets, latest };
}

export interface PageTicket {
  id: number;
  via: string;
  bytes: number;
  heightDots: number;
  text: string;
  interrupted: { reason: string } | null;
  issues: number;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderPage(s: VirtualStatus, tickets: readonly PageTicket[]): string {
  const words = statusWords(s);
  const fault = s.paperOut || s.coverOpen || s.error || s.offline;
  const buttons = FAULTS.map(
    (f) =>
      `<button type="button" data-fault="${f.key}" aria-pressed="${s[f.key]}">${f.zh}<span lang="en">${f.en}</span></button>`,
  ).join('');
  const rows = tickets
    .map(
      (t) =>
        `<figure><img src="/tickets/${t.id}.png" alt="小票 ${t.id} / ticket ${t.id}"><figcaption>#${t.id} · ${esc(t.via)} · ${t.bytes} B · ${(t.heightDots / 8).toFixed(0)} mm` +
        `${t.interrupted ? ` · <strong>未打完 / interrupted (${esc(t.interrupted.reason)})</strong>` : ''}${t.issues ? ` · ${t.issues} issues` : ''}</figcaption>` +
        `<pre>${esc(t.text)}</pre></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>虚拟打印机 · Virtual printer</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;background:#eef0f3;color:#1c2430;margin:0;padding:16px 24px}
h1{font-size:22px;margin:0 0 12px}h1 span,button span,.words span{font-weight:400;color:#5a6472;margin-left:.5em}
.sensors{background:#fff;border-radius:10px;box-shadow:0 1px 3px #0002;padding:14px 18px;margin-bottom:16px;max-width:1260px}
.now{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:baseline;margin-bottom:12px;font-size:17px}
.words{font-weight:700;padding:3px 12px;border-radius:999px;background:#dff3e4;color:#14532d}
.words[data-fault="true"]{background:#fde2e1;color:#8a1c13}.words[data-fault="true"] span{color:#8a1c13}
code{font-size:16px;background:#f3f4f6;padding:2px 6px;border-radius:4px}
.buttons{display:flex;flex-wrap:wrap;gap:10px}
button{font:inherit;font-size:16px;padding:9px 16px;border-radius:8px;border:1px solid #9aa3ae;background:#fff;color:#1c2430;cursor:pointer}
button[aria-pressed="true"]{background:#b42318;border-color:#b42318;color:#fff}button[aria-pressed="true"] span{color:#fde2e1}
button.normal{background:#166534;border-color:#166534;color:#fff}button.normal span{color:#dcfce7}
button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
figure{display:inline-block;vertical-align:top;margin:8px}img{background:#fff;box-shadow:0 1px 4px #888;max-width:300px}
pre{font-size:11px;max-width:300px;overflow-x:auto}figcaption{font-size:13px;color:#5a6472}
</style></head><body>
<h1>虚拟打印机<span lang="en">Virtual printer</span></h1>
<section class="sensors" aria-label="传感器 / Sensors">
<div class="now"><div>状态 <span lang="en">Status</span>: <span class="words" data-testid="status-words" data-fault="${fault}">${esc(words.zh)}<span lang="en">${esc(words.en)}</span></span></div>
<div>DLE EOT 1 2 3 4 → <code data-testid="dle-eot">${dleEotReplies(s)}</code></div></div>
<div class="buttons">${buttons}<button type="button" class="normal" data-fault="normal">恢复正常<span lang="en">Back to normal</span></button></div>
</section>
<section aria-label="小票 / Tickets" data-testid="tickets">${rows || '<p>还没有小票 · No tickets yet</p>'}</section>
<script>
const sensors = ${JSON.stringify(FAULTS.map((f) => f.key))};
let shown = ${tickets.length ? tickets[0]!.id : 0}, count = ${tickets.length};
function draw(st) {
  for (const b of document.querySelectorAll('button[data-fault]'))
    if (b.dataset.fault !== 'normal') b.setAttribute('aria-pressed', String(st.status[b.dataset.fault]));
  const w = document.querySelector('[data-testid=status-words]');
  w.firstChild.textContent = st.words.zh;
  w.lastChild.textContent = st.words.en;
  const s = st.status;
  w.dataset.fault = String(s.paperOut || s.coverOpen || s.error || s.offline);
  document.querySelector('[data-testid=dle-eot]').textContent = st.dleEot;
}
async function set(patch) {
  const r = await fetch('/status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  if (r.ok) draw(await (await fetch('/state')).json());
}
for (const b of document.querySelectorAll('button[data-fault]'))
  b.addEventListener('click', () => {
    if (b.dataset.fault === 'normal') set(Object.fromEntries(sensors.map((k) => [k, false])));
    else set({ [b.dataset.fault]: b.getAttribute('aria-pressed') !== 'true' });
  });
// Follow changes made elsewhere (the API, a test), and show a new ticket when one is cut.
setInterval(async () => {
  try {
    const st = await (await fetch('/state')).json();
    draw(st);
    if (st.tickets !== count || st.latest !== shown) location.reload();
  } catch {}
}, 1000);
</script>
</body></html>`;
}
