import { type HtmlPage, htmlPage } from './html-page.ts';

/**
 * First run: the page where branch IT creates the admin account with the one-time setup token that
 * the hub printed in its log. There is no default password.
 */
const PAGE: HtmlPage = htmlPage({
  lang: 'zh-CN',
  title: 'Nextup 初始设置 · First-run setup',
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
  <h1>Nextup 初始设置 · First-run setup</h1>
  <p><small>用网点服务器日志中打印的一次性设置令牌创建 IT 管理员账号。<br>Create the IT admin account with the one-time setup token printed in the hub's log.</small></p>
  <form id="f">
    <label>设置令牌 · Setup token<input name="token" required autocomplete="off"></label>
    <label>用户名 · Username<input name="username" required pattern="[a-z0-9][a-z0-9._\\-]{1,31}" autocomplete="username"></label>
    <label>姓名 · Display name<input name="displayName" required></label>
    <label>密码（至少 10 位） · Password (10+ characters)<input name="password" type="password" required minlength="10" autocomplete="new-password"></label>
    <button type="submit">创建管理员 · Create admin</button>
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
  if (r.ok) { msg.className='msg ok'; msg.textContent='已创建，正在进入控制台… · Created; opening the console…'; setTimeout(() => location.href = '/', 800); }
  else { msg.className='msg err'; msg.textContent = j && j.error ? j.error.message.zh + ' · ' + j.error.message.en : 'Error ' + r.status; }
};
`,
  connect: "'self'",
});

/** The setup page and its Content-Security-Policy. */
export function setupPage(): HtmlPage {
  return PAGE;
}
