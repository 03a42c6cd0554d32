/** The hub's port when a typed address gives none (`apps/hub`'s default). */
export const DEFAULT_HUB_PORT = 8300;

/**
 * Normalises what branch IT typed as the hub's address (`192.168.1.10`, `192.168.1.10:8300`,
 * `http://hub.branch:8300/`): scheme and port added when left out. Null when it is not an address
 * (a path, a query, no host).
 */
export function hubAddress(typed: string): string | null {
  let text = typed.trim();
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (!u.hostname || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  if (!u.port && !/^https?:\/\/[^/]+:\d+/i.test(text) && u.protocol === 'http:')
    u.port = String(DEFAULT_HUB_PORT);
  return `${u.protocol}//${u.host}`;
}
