/**
 * The `Origin` header, read without ever throwing. Browsers send it on cross-site requests and on
 * every WebSocket handshake; `null` is what a sandboxed frame, a `data:` page or a file sends — an
 * origin that is never this hub. A value that is not a URL at all (`http://[::1`) is malformed.
 */
export type OriginCheck = 'absent' | 'same' | 'cross' | 'malformed';

export function checkOrigin(origin: string | string[] | undefined, host: string | undefined): OriginCheck {
  if (origin === undefined) return 'absent';
  if (Array.isArray(origin) || origin === '') return 'malformed';
  if (origin === 'null') return 'cross';
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'malformed';
  }
  // An origin is scheme://host[:port] and nothing more.
  if (!/^https?:$/.test(parsed.protocol) || parsed.pathname !== '/' || parsed.search || parsed.hash)
    return 'malformed';
  if (!host) return 'cross';
  return parsed.host === host.toLowerCase() ? 'same' : 'cross';
}
