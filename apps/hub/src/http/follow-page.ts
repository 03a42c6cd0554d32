/**
 * The page a customer's phone opens from the ticket's QR code: this one ticket, live, in Chinese or
 * English. Self-contained (no external assets: the branch Wi-Fi may have no internet), small, and
 * readable on a phone held at arm's length. It polls the hub every 3 seconds.
 */
export function followPage(ticketId: string): string {
  const id = JSON.stringify(ticketId.replace(/[^A-Za-z0-9_-]/g, ''));
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Nextup</title>
<style>
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
  .note { font-size:.95rem; color:var(--muted); margin-top:1.25rem; }
  .error { color:var(--called); }
</style>
</head>
<body>
<main>
  <header><div class="branch" id="branch"></div><button class="lang" id="lang" type="button">English</button></header>
  <section class="card" aria-live="polite">
    <div class="service" id="service"></div>
    <div class="number" id="number">…</div>
    <div class="status" id="status"></div>
    <div class="detail" id="detail"></div>
  </section>
  <p class="note" id="note"></p>
</main>
<script>
const ticketId = ${id};
const T = {
  zh: { waiting:'等候中', called:'轮到您了', serving:'办理中', done:'已办结，感谢光临', noShow:'已过号，请联系工作人员', cancelled:'此号已作废',
        ahead:n=>'前面还有 <b>'+n+'</b> 人', wait:(a,b)=>'预计等候 <b>'+a+'–'+b+'</b> 分钟', soon:'即将叫到您', go:(n,c)=>'请到 <b>'+c+'</b> 办理',
        noCounter:'暂无窗口办理此业务，开窗后开始叫号', note:'本页每 3 秒自动刷新。请留意叫号屏与广播。', notFound:'找不到此号（可能是往日的票）', offline:'暂时无法连接网点服务器，正在重试…', lang:'English', updated:'更新于 ' },
  en: { waiting:'Waiting', called:"It's your turn", serving:'Being served', done:'Finished, thank you', noShow:'Missed: please ask staff', cancelled:'This ticket was voided',
        ahead:n=>'<b>'+n+'</b> ahead of you', wait:(a,b)=>'Estimated wait <b>'+a+'–'+b+'</b> min', soon:'You will be called soon', go:(n,c)=>'Go to <b>'+c+'</b>',
        noCounter:'No counter serves this yet; calls start when one opens', note:'This page refreshes every 3 seconds. Watch the call screen and listen for your number.', notFound:'Ticket not found (it may be from an earlier day)', offline:'Cannot reach the branch server; retrying…', lang:'中文', updated:'Updated ' },
};
const saved = localStorage.getItem('nextup.lang');
let lang = saved === 'zh' || saved === 'en' ? saved : (navigator.language || 'zh').startsWith('zh') ? 'zh' : 'en';
let last = null, lastError = null;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
function render() {
  const t = T[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  $('lang').textContent = t.lang;
  $('note').textContent = t.note;
  if (lastError === 404) { $('number').textContent = '—'; $('status').textContent = t.notFound; $('status').className='status error'; $('detail').innerHTML=''; return; }
  if (!last) { if (lastError) { $('status').textContent = t.offline; $('status').className='status error'; } return; }
  const v = last;
  $('branch').textContent = v.branch[lang];
  $('service').textContent = v.service[lang];
  $('number').textContent = v.number;
  $('status').textContent = t[v.status] || v.status;
  $('status').className = 'status' + (v.status === 'called' ? ' called' : '');
  let d = '';
  if (v.status === 'waiting' && v.words) {
    // The hub's words for the estimate (core's waitWords): what the kiosk and the ticket say too.
    d = '<b>' + esc(v.words.ahead[lang]) + '</b><br>' + esc(v.words.wait[lang]);
    if (v.words.note) d += '<br><small>' + esc(v.words.note[lang]) + '</small>';
  } else if ((v.status === 'called' || v.status === 'serving') && v.counter) {
    d = t.go(v.number, v.counter.name[lang]);
  }
  if (lastError) d += '<br><span class="error">' + t.offline + '</span>';
  $('detail').innerHTML = d;
  document.title = v.number + ' · ' + (t[v.status] || '');
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
</script>
</body>
</html>`;
}
