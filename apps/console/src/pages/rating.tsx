import { own, type QueueState } from '@nextup/core';
import { HubHttp } from '@nextup/hub-client';
import { applyRun, type BranchView } from '@nextup/hub-view';
import { errorBody, eventsResponse, pairResponse, parseWith, stateResponse } from '@nextup/protocol';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { translate } from '../i18n.tsx';

/**
 * The rating tablet at a counter (1–5 after each finished ticket there). It runs as a paired
 * `counterTablet` device, not as a staff session: the hub lets such a device do nothing but rate, so
 * a customer who taps around cannot call tickets. The token is kept in the tablet browser's storage;
 * since a browser cannot put a bearer token on a WebSocket, it follows the branch by polling
 * `/api/v1/events` (1.5 s) from a `/api/v1/state` snapshot, both cut to what a tablet reads. Customer-facing: Chinese and English at once.
 */

const STORE = 'nextup.tablet';
const SHOW_FOR_MS = 5 * 60_000;
const THANKS_MS = 4000;

interface TabletConfig {
  token: string;
  deviceId: string;
}

function loadConfig(): TabletConfig | null {
  try {
    const raw = localStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as TabletConfig) : null;
  } catch {
    return null;
  }
}
function saveConfig(c: TabletConfig | null) {
  if (c) localStorage.setItem(STORE, JSON.stringify(c));
  else localStorage.removeItem(STORE);
}

const both = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => ({
  zh: translate('zh', key, params),
  en: translate('en', key, params),
});

function Both({
  k,
  params,
  big,
}: {
  k: Parameters<typeof translate>[1];
  params?: Record<string, string | number>;
  big?: boolean;
}) {
  const x = both(k, params);
  return (
    <div className={big ? 'both both-big' : 'both'}>
      <div lang="zh-CN">{x.zh}</div>
      <div lang="en" className="both-en">
        {x.en}
      </div>
    </div>
  );
}

export function RatingPage() {
  const [config, setConfig] = useState<TabletConfig | null>(loadConfig);
  const [notice, setNotice] = useState<string | null>(null);
  const update = (c: TabletConfig | null) => {
    saveConfig(c);
    setConfig(c);
  };
  if (!config)
    return (
      <PairForm
        notice={notice}
        onPaired={(token, deviceId) => {
          setNotice(null);
          update({ token, deviceId });
        }}
      />
    );
  return (
    <Tablet
      config={config}
      onUnpaired={() => {
        setNotice(translate('zh', 'rating.revoked') + ' / ' + translate('en', 'rating.revoked'));
        update(null);
      }}
    />
  );
}

function PairForm({
  onPaired,
  notice,
}: {
  onPaired: (token: string, deviceId: string) => void;
  notice: string | null;
}) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const http = new HubHttp({ baseUrl: '' });
    const r = await http.sendJson(pairResponse, 'POST', '/api/v1/devices/pair', {
      v: 1,
      code: code.trim(),
      name: name.trim() || 'counter tablet',
      kind: 'counterTablet',
    });
    if (r.ok) {
      onPaired(r.value.token, r.value.deviceId);
      return;
    }
    const refused = parseWith(errorBody, r.body);
    setError(
      refused.ok
        ? `${refused.value.error.message.zh} / ${refused.value.error.message.en}`
        : `HTTP ${r.status}`,
    );
  };
  return (
    <div className="tablet">
      <form className="panel tablet-pair" onSubmit={submit}>
        <Both k="rating.pairTitle" big />
        {notice ? <div className="note note-error">{notice}</div> : null}
        <label htmlFor="pair-code">
          {translate('zh', 'rating.pairCode')} / {translate('en', 'rating.pairCode')}
        </label>
        <input
          id="pair-code"
          className="input-big"
          inputMode="numeric"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          ref={first}
        />
        <label htmlFor="pair-name">
          {translate('zh', 'rating.pairName')} / {translate('en', 'rating.pairName')}
        </label>
        <input id="pair-name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
        {error ? (
          <div className="note note-error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="btn btn-primary btn-big">
          {translate('zh', 'rating.pairSubmit')} / {translate('en', 'rating.pairSubmit')}
        </button>
      </form>
    </div>
  );
}

/** The unrated ticket just finished at this counter, if any. */
function pendingTicket(state: QueueState, counterId: string, now: number, dismissed: ReadonlySet<string>) {
  let best: QueueState['tickets'][string] | null = null;
  for (const t of Object.values(state.tickets)) {
    if (t.counterId !== counterId || t.status !== 'done' || t.rating !== null || dismissed.has(t.id))
      continue;
    if (t.endedAt === null || now - t.endedAt > SHOW_FOR_MS) continue;
    if (!best || (t.endedAt ?? 0) > (best.endedAt ?? 0)) best = t;
  }
  return best;
}

function Tablet({ config, onUnpaired }: { config: TabletConfig; onUnpaired: () => void }) {
  const http = useRef(new HubHttp({ baseUrl: '', token: config.token, timeoutMs: 8000 })).current;
  const [view, setView] = useState<BranchView | null>(null);
  const [offset, setOffset] = useState(0);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [thanks, setThanks] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewRef = useRef<BranchView | null>(null);

  const poll = useCallback(async () => {
    try {
      if (!viewRef.current) {
        const r = await http.getJson(stateResponse, '/api/v1/state');
        if (r.status === 401) return onUnpaired();
        if (!r.ok) return;
        viewRef.current = { seq: r.value.seq, state: r.value.state, hub: r.value.hub };
        setOffset(r.value.serverTime - Date.now());
        setView(viewRef.current);
        return;
      }
      const r = await http.getJson(eventsResponse, `/api/v1/events?after=${viewRef.current.seq}`);
      if (r.status === 401) return onUnpaired();
      if (!r.ok) return;
      // A hub whose log is behind us (restored from a backup): start again from its state.
      if (r.value.head < viewRef.current.seq) {
        viewRef.current = null;
        return;
      }
      // The run covers (after, through] of the log; the hub leaves out what a tablet does not read.
      const res = applyRun(viewRef.current, r.value);
      if (res.kind === 'gap') {
        viewRef.current = null;
        return;
      }
      if (res.kind === 'applied') {
        for (const e of res.applied) {
          const at = (e.event.data as { at?: number }).at;
          if (typeof at === 'number') setOffset((o) => Math.max(o, at - Date.now()));
        }
        viewRef.current = res.view;
        setView(res.view);
      }
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [http, onUnpaired]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), 1500);
    return () => clearInterval(timer);
  }, [poll]);

  useEffect(() => {
    if (!thanks) return;
    const timer = setTimeout(() => setThanks(null), THANKS_MS);
    return () => clearTimeout(timer);
  }, [thanks]);

  const state = view?.state ?? null;
  if (!state)
    return <div className="tablet">{error ? <div className="note note-error">{error}</div> : null}</div>;
  // The counter is the one the admin set for this tablet on the hub (device settings): the hub takes
  // ratings from a tablet for its own counter's tickets only, so there is nothing to pick here.
  const me = view?.hub.devices.find((d) => d.deviceId === config.deviceId);
  const counterId = me?.settings.kind === 'counterTablet' ? me.settings.counterId : null;
  const counter = counterId ? own(state.config.counters, counterId) : undefined;
  if (!counter)
    return (
      <div className="tablet">
        <div className="panel tablet-pair" data-testid="rating-no-counter">
          <Both k="rating.noCounter" big />
        </div>
      </div>
    );

  const now = Date.now() + offset;
  const pending = thanks ? null : pendingTicket(state, counter.id, now, dismissed);
  const rate = async (ticketId: string, number: string, score: number) => {
    setDismissed((d) => new Set(d).add(ticketId));
    const r = await http.command({ type: 'RateTicket', data: { ticketId, score } });
    if (r.ok || (r.error.kind === 'domain' && r.error.code === 'ALREADY_RATED')) setThanks(number);
    else if (r.error.kind === 'auth') onUnpaired();
    else setError(`${r.error.message.zh} / ${r.error.message.en}`);
  };
  return (
    <div className="tablet" data-testid="tablet">
      <div className="tablet-head">
        {counter.name.zh} · {counter.name.en}
      </div>
      {thanks ? (
        <div className="tablet-body" data-testid="rating-thanks">
          <Both k="rating.thanks" big />
        </div>
      ) : pending ? (
        <div className="tablet-body" data-testid="rating-ask">
          <Both k="rating.ask" params={{ number: pending.number }} big />
          <fieldset className="stars">
            <legend className="sr-only">1–5</legend>
            {[1, 2, 3, 4, 5].map((score) => (
              <button
                key={score}
                type="button"
                className={`star star-${score}`}
                data-score={score}
                onClick={() => void rate(pending.id, pending.number, score)}
              >
                <span className="star-face" aria-hidden="true">
                  {'★'.repeat(score)}
                </span>
                <span className="star-score">{score}</span>
                <span className="star-word">
                  {translate('zh', `rating.score${score}` as 'rating.score1')}
                </span>
                <span className="star-word both-en">
                  {translate('en', `rating.score${score}` as 'rating.score1')}
                </span>
              </button>
            ))}
          </fieldset>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => setDismissed((d) => new Set(d).add(pending.id))}
          >
            {translate('zh', 'rating.skip')} / {translate('en', 'rating.skip')}
          </button>
        </div>
      ) : (
        <div className="tablet-body" data-testid="rating-idle">
          <Both k="rating.welcome" big />
        </div>
      )}
      {error ? <div className="note note-error">{error}</div> : null}
    </div>
  );
}
