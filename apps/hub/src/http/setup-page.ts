import type { Bilingual, Catalogue } from '@nextup/core';
import { type HtmlPage, htmlPage } from './html-page.ts';

/** The setup page's words (core's `Catalogue` format); IT reads both languages at once. */
const SETUP_WORDS = {
  title: { zh: 'Nextup 初始设置', en: 'First-run setup' },
  intro: {
    zh: '用网点服务器日志中打印的一次性设置令牌创建 IT 管理员账号。',
    en: "Create the IT admin account with the one-time setup token printed in the hub's log.",
  },
  token: { zh: '设置令牌', en: 'Setup token' },
  username: { zh: '用户名', en: 'Username' },
  displayName: { zh: '姓名', en: 'Display name' },
  password: { zh: '密码（至少 10 位）', en: 'Password (10+ characters)' },
  create: { zh: '创建管理员', en: 'Create admin' },
  created: { zh: '已创建，正在进入控制台…', en: 'Created; opening the console…' },
} as const satisfies Catalogue;

/** Both languages on one line, Chinese first. */
const both = (w: Bilingual) => `${w.zh} · ${w.en}`;
const W = SETUP_WORDS;

/**
 * First run: the page where branch IT creates the admin account with the one-time setup token that
 * the hub printed in its log. There is no default password.
 */
const PAGE: HtmlPage = htmlPage({
  lang: 'zh-CN',
  title: both(W.title),
  style: `
  body { font-family: "Noto Sans CJK SC", system-ui, sans-serif; background:#f4f6f8; margin:0; }
  main { max-width: 30rem; margin: 3rem auto; background:#fff; padding:2rem; border-radius:1rem; box-shadow:0 1px 4px rgba(0,0,0,.1); }
  h1 { font-size:1.4rem; margin-top:0; }
  label { display:block; margin-top:1rem; font-weight:600; }
  input { width:100%; font-size:1.1rem; padding:.6rem; margin-top:.3rem; box-sizing:border-box; }
  button { margin-top:1.5rem; font-size:1.1rem; padding:.7rem 1.4rem; background:#0b5cad; color:#fff; border:0; border-radius:.5rem; }
  .msg { margin-top:1rem; min-height:1.5rem; }
  .err { color:#b00020; } .ok { color:#1b7f3b; }
  small { color:#555; }
`,
  body: `<main>
  <h1>${both(W.title)}</h1>
  <p><small>${W.intro.zh}<br>${W.intro.en}</small></p>
  <form id="f">
    <label>${both(W.token)}<input name="token" required autocomplete="off"></label>
    <label>${both(W.username)}<input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{1,31}" autocomplete="username"></label>
    <label>${both(W.displayName)}<input name="displayName" required></label>
    <label>${both(W.password)}<input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
    <button type="submit">${both(W.create)}</button>
    <div class="msg" id="msg" role="status"></div>
  </form>
</main>`,
  script: `
document.getElementById('f').onsubmit = async (e) => {
  e.preventDefault();
  const msg = document.getElementById('msg');
  const body = Object.fromEntries(new FormData(e.target));
  const r = await fetch('/api/v1/setup', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify(body) });
  const j = await r.json().catch(() => null);
  if (r.ok) { msg.className='msg ok'; msg.textContent='${both(W.created)}'; setTimeout(() => location.href = '/', 800); }
  else { msg.className='msg err'; msg.textContent = j && j.error ? j.error.message.zh + ' · ' + j.error.message.en : 'Error ' + r.status; }
};
`,
  connect: "'self'",
});

/** The setup page and its Content-Security-Policy. */
export function setupPage(): HtmlPage {
  return PAGE;
}
