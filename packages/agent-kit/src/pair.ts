import { type Bilingual, fillBoth } from '@nextup/core';
import { type DeviceKind, pairResponse, parseWith } from '@nextup/protocol';
import type { DeviceCredentials } from './credentials.ts';
import { LIFECYCLE_WORDS } from './words.ts';

export type PairOutcome =
  | { ok: true; credentials: DeviceCredentials }
  | { ok: false; code: string; message: Bilingual };

/**
 * Joins the hub with the six-digit code an admin created, saying what kind of box this is: the hub
 * refuses a code made for another kind (`WRONG_KIND`) and leaves it unused. The device keeps the
 * token it is given.
 */
export async function pairWithHub(
  hubUrl: string,
  code: string,
  name: string,
  kind: DeviceKind,
  options: { now?: () => number; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<PairOutcome> {
  const base = hubUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${base}/api/v1/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, code: code.trim(), name, kind }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
    });
  } catch (e) {
    return {
      ok: false,
      code: 'HUB_UNREACHABLE',
      message: fillBoth(LIFECYCLE_WORDS.hubUnreachable, { hub: base, problem: (e as Error).message }),
    };
  }
  const body = (await res.json().catch(() => null)) as {
    ok?: boolean;
    error?: { code: string; message: Bilingual };
  } | null;
  if (!res.ok || !body?.ok) {
    return {
      ok: false,
      code: body?.error?.code ?? `HTTP_${res.status}`,
      message: body?.error?.message ?? fillBoth(LIFECYCLE_WORDS.pairFailed, { status: res.status }),
    };
  }
  const parsed = parseWith(pairResponse, body);
  if (!parsed.ok)
    return {
      ok: false,
      code: 'BAD_ANSWER',
      message: fillBoth(LIFECYCLE_WORDS.badAnswer, { problem: parsed.error }),
    };
  return {
    ok: true,
    credentials: {
      hubUrl: base,
      hubId: parsed.value.hubId,
      deviceId: parsed.value.deviceId,
      kind: parsed.value.kind,
      // The hub names the device after its pairing code; the proposed name only for an older hub.
      name: parsed.value.name ?? name,
      token: parsed.value.token,
      pairedAt: (options.now ?? Date.now)(),
    },
  };
}
