import type { Catalogue } from '@nextup/core';
import { type HtmlPage, htmlPage } from './html-page.ts';

/**
 * The page a customer's phone opens from the ticket's QR code (`/t/<ticketId>`): this one ticket,
 * live, in Chinese or English. Self-contained (no external assets: the branch Wi-Fi may have no
 * internet), small, and readable on a phone held at arm's length. It polls the hub every 3 seconds.
 *
 * The page is the same for every ticket (the script reads the id from its own address), so its
 * script has one hash for the Content-Security-Policy. Everything the hub sends (the counter's name,
 * the service's, the branch's, numbers) reaches the page as text nodes, never as HTML: a name an
 * admin typed cannot become markup on a customer's phone.
 */

const STYLE = `
  :root { color-scheme: light; --ink:#111; --muted:#555; --accent:#0b5cad; --called:#b00020; }
  * { box-sizing: border-box; }
  body { margin:0; font-family: "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif; color:var(--ink); background:#f4f6f8; }
  main { max-width: 28rem; margin: 0 auto; padding: 1.25rem 1rem 2rem; }
  header { display:flex; justify-content:space-between; align-items:center; gap:1rem; }
  .branch { font-size:1rem; color:var(--muted); }
  button.lang { font-size:1rem; padding:.5rem .9rem; border:2px solid var(--accent); background:#fff; color:var(--accent); border-radius:.5rem; min-height:44px; }
  .card { background:#fff; border-radius:1rem; padding:1.5rem 1.25rem; margin-top:1rem; box-shadow:0 1px 4px rgba(0,0,0,.08); text-align:center; }
  .service { font-size:1.15rem; color:var(--muted); }
  .number { font-size:4.5rem; font-weight:800; letter-spacing:.05em; margin:.25rem 0; }
  .status { font-size:1.5rem; font-weight:700; }
  .status.called { color:var(--called); font-size:2rem; }
  .detail { font-size:1.2rem; margin-top:.75rem; line-height:1.6; }
  .detail p { margin:0; }
  .detail p.why { font-size:1rem; color:var(--muted); margin-top:.25rem; }
  .note { font-size:.95rem; color:var(--muted); margin-top:1.25rem; }
  .error { color:var(--called); }
`;

const BODY = `<main>
  <header><div class="branch" id="branch"></div><button class="lang" id="lang" type="button">English</button></header>
  <section class="card" aria-live="polite">
    <div class="service" id="service"></div>
    <div class="number" id="number">…</div>
    <div class="status" id="status"></div>
    <div class="detail" id="detail"></div>
  </section>
  <p class="note" id="note"></p>
</main>`;

/**
 * The page's words (core's `Catalogue` format), sent inside its script. The ticket statuses are
 * keyed by status. `{counter}` in `go` is the counter's name, shown bold.
 */
const FOLLOW_WORDS = {
  waiting: { zh: '等候中', en: 'Waiting' },
  called: { zh: '轮到您了', en: "It's your turn" },
  serving: { zh: '办理中', en: 'Being served' },
  done: { zh: '已办结，感谢光临', en: 'Finished, thank you' },
  noShow: { zh: '已过号，请联系工作人员', en: 'Missed: please ask staff' },
  cancelled: { zh: '此号已作废', en: 'This ticket was voided' },
  go: { zh: '请到 {counter} 办理', en: 'Go to {counter}' },
  note: {
    zh: '本页每 3 秒自动刷新。请留意叫号屏与广播。',
    en: 'This page refreshes every 3 seconds. Watch the call screen and listen for your number.',
  },
  notFound: { zh: '找不到此号（可能是往日的票）', en: 'Ticket not found (it may be from an earlier day)' },
  offline: { zh: '暂时无法连接网点服务器，正在重试…', en: 'Cannot reach the branch server; retrying…' },
  lang: { zh: 'English', en: '中文' },
} as const satisfies Catalogue;

// `<` escaped so that no text could close the script element.
const WORDS_JSON = JSON.stringify(FOLLOW_WORDS).replace(/</g, '\\u003c');

// Phrases are lists of parts: a string is plain text, [text] is shown bold. Both become text nodes.
// The words are the hub's catalogue: W[key][lang]. The page has no filler of its own: its one
// templated entry, `go`, is cut at its `{counter}` so that the name can be shown bold.
const SCRIPT = `
const ticketId = decodeURIComponent(location.pathname.split('/').pop() || '');
const W = ${WORDS_JSON};
const T = {};
for (const l of ['zh', 'en']) {
  T[l] = {};
  for (const k of Object.keys(W)) T[l][k] = W[k][l];
  const [before, after] = W.go[l].split('{counter}');
  T[l].go = (c) => [before, [c], after].filter((part) => part !== '');
}
const saved = localStorage.getItem('nextup.lang');
let lang = saved === 'zh' || saved === 'en' ? saved : (navigator.language || 'zh').startsWith('zh') ? 'zh' : 'en';
let last = null, lastError = null;
const $ = (id) => document.getElementById(id);
const text = (v) => (v === null || v === undefined ? '' : String(v));
function line(parts, className) {
  const p = document.createElement('p');
  if (className) p.className = className;
  for (const part of parts) {
    if (Array.isArray(part)) { const b = document.createElement('b'); b.textContent = text(part[0]); p.append(b); }
    else p.append(document.createTextNode(text(part)));
  }
  return p;
}
function render() {
  const t = T[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  $('lang').textContent = t.lang;
  $('note').textContent = t.note;
  const detail = [];
  if (lastError === 404) { $('number').textContent = '—'; $('status').textContent = t.notFound; $('status').className = 'status error'; $('detail').replaceChildren(); return; }
  if (!last) { if (lastError) { $('status').textContent = t.offline; $('status').className = 'status error'; } return; }
  const v = last;
  $('branch').textContent = text(v.branch && v.branch[lang]);
  $('service').textContent = text(v.service && v.service[lang]);
  $('number').textContent = text(v.number);
  $('status').textContent = text(t[v.status] || v.status);
  $('status').className = 'status' + (v.status === 'called' ? ' called' : '');
  if (v.status === 'waiting' && v.words) {
    // The hub's words for the estimate (core's waitWords): what the kiosk and the ticket say too.
    detail.push(line([[v.words.ahead[lang]]]));
    detail.push(line([v.words.wait[lang]]));
    if (v.words.note) detail.push(line([v.words.note[lang]], 'why'));
  } else if ((v.status === 'called' || v.status === 'serving') && v.counter) {
    detail.push(line(t.go(v.counter.name && v.counter.name[lang])));
  }
  if (lastError) detail.push(line([t.offline], 'error'));
  $('detail').replaceChildren(...detail);
  document.title = text(v.number) + ' · ' + text(t[v.status]);
}
async function poll() {
  try {
    const r = await fetch('/api/v1/follow/' + encodeURIComponent(ticketId), { cache: 'no-store' });
    if (r.status === 404) { lastError = 404; last = null; }
    else if (!r.ok) { lastError = r.status; }
    else { last = await r.json(); lastError = null; }
  } catch { lastError = 'offline'; }
  render();
}
$('lang').onclick = () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('nextup.lang', lang); render(); };
render(); poll(); setInterval(poll, 3000);
`;

const PAGE: HtmlPage = htmlPage({
  lang: 'zh-CN',
  title: 'Nextup',
  meta: '<meta name="robots" content="noindex">\n',
  style: STYLE,
  body: BODY,
  script: SCRIPT,
  connect: "'self'",
});

/** The follow page (the same for every ticket) and its Content-Security-Policy. */
export function followPage(): HtmlPage {
  return PAGE;
}
