import { createHash } from 'node:crypto';

/**
 * The hub's own small pages (the follow page, first-run setup, "console not built"): self-contained
 * HTML with one inline style and at most one inline script, served with a Content-Security-Policy
 * that allows exactly those (by their SHA-256) and nothing else from anywhere, so that even text
 * that slipped into the page could not run.
 */
export interface HtmlPage {
  html: string;
  /** The page's Content-Security-Policy header. */
  csp: string;
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function htmlPage(p: {
  lang: string;
  title: string;
  /** Extra `<meta>` lines for the head. */
  meta?: string;
  style: string;
  body: string;
  script?: string;
  /** Where the script may fetch from. Default none. */
  connect?: "'self'" | "'none'";
}): HtmlPage {
  const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const html = `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${p.meta ?? ''}<title>${escapeText(p.title)}</title>
<style>${p.style}</style>
</head>
<body>
${p.body}
${p.script === undefined ? '' : `<script>${p.script}</script>`}
</body>
</html>`;
  const csp = [
    "default-src 'none'",
    `style-src ${hash(p.style)}`,
    `script-src ${p.script === undefined ? "'none'" : hash(p.script)}`,
    `connect-src ${p.connect ?? "'none'"}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}
