import { fillBoth } from '@nextup/core';
import {
  type DisplayCall,
  type DisplayHall,
  type DisplayPairingState,
  type DisplayScreen,
  localAnswer,
  parseWith,
} from '@nextup/protocol';
import {
  type FormEvent,
  Fragment,
  type ReactNode,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useAgent } from './agent.ts';
import { type PlayerState, startPlayer } from './player.ts';
import { type Bi, S } from './strings.ts';
import { zhWordUnits } from './words.ts';

type Lang = 'zh' | 'en';

const params = new URLSearchParams(location.search);
/**
 * Both languages are always on screen, one large and one small: a customer who glances up for two
 * seconds must not wait for a language to come round. `?lang=en` makes English the large one (a
 * branch in an international district); the default is Chinese.
 */
const PRIMARY: Lang = params.get('lang') === 'en' ? 'en' : 'zh';
const SECONDARY: Lang = PRIMARY === 'zh' ? 'en' : 'zh';
/** `?audio=off`: a second screen (or a look from a laptop) that must never play the calls. */
const AUDIO = params.get('audio') !== 'off';

function words(text: string, lang: Lang): ReactNode {
  if (lang !== 'zh') return text;
  return zhWordUnits(text).map((w, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the units of a fixed text, in order
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {w}
    </Fragment>
  ));
}

/** Both languages: the primary one, then the other one smaller. `wrapWords`: wrap Chinese only between words. */
function T({ text, className, wrapWords }: { text: Bi; className?: string; wrapWords?: boolean }) {
  return (
    <span className={`bi ${className ?? ''}`}>
      <span className="p" lang={PRIMARY === 'zh' ? 'zh-CN' : 'en'}>
        {wrapWords ? words(text[PRIMARY], PRIMARY) : text[PRIMARY]}
      </span>
      <span className="s" lang={SECONDARY === 'zh' ? 'zh-CN' : 'en'}>
        {wrapWords ? words(text[SECONDARY], SECONDARY) : text[SECONDARY]}
      </span>
    </span>
  );
}

/** Re-renders every `ms` (the clock, and the end of a call's highlight). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function App() {
  const { message, connected } = useAgent();
  const [player, setPlayer] = useState<PlayerState>({ canPlay: true, playing: null });
  useEffect(() => (AUDIO ? startPlayer(setPlayer) : undefined), []);
  let body: ReactNode;
  if (!message) body = <Notice text={connected ? S.connecting : S.agentDown} />;
  else if (message.type === 'pairing') body = <Pairing state={message.pairing} />;
  else body = <Screen screen={message.screen} agentConnected={connected} />;
  return (
    <div className="app" data-lang={PRIMARY}>
      {body}
      {AUDIO && !player.canPlay && message?.type === 'screen' && (
        <div className="sound-hint" data-testid="sound-hint">
          <T text={S.enableSound} />
        </div>
      )}
    </div>
  );
}

function Notice({ text }: { text: Bi }) {
  return (
    <div className="notice-full">
      <T text={text} />
    </div>
  );
}

function Clock({ screen, now }: { screen: DisplayScreen; now: number }) {
  if (!screen.clock) return <div className="clock" />;
  const t = new Date(now + (screen.clock.hubTime - screen.clock.localTime));
  const zone = screen.timeZone || 'Asia/Shanghai';
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(t);
  const date: Bi = {
    zh: new Intl.DateTimeFormat('zh-CN', {
      timeZone: zone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'long',
    }).format(t),
    en: new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    }).format(t),
  };
  return (
    <div className="clock" data-testid="clock">
      <div className="time">{time}</div>
      <T text={date} className="date" />
    </div>
  );
}

function counterLabel(c: Pick<DisplayCall, 'counterName'>): Bi {
  return c.counterName;
}

function Current({ call, now }: { call: DisplayCall | null; now: number }) {
  if (!call)
    return (
      <section className="current empty" data-testid="current">
        <T text={S.noCallNow} className="empty-text" />
      </section>
    );
  const isNew = call.newUntil !== null && now < call.newUntil;
  return (
    <section
      className={`current${isNew ? ' is-new' : ''}${call.recall ? ' is-recall' : ''}`}
      data-testid="current"
      data-key={call.key}
      data-new={isNew ? 'true' : 'false'}
      data-recall={call.recall ? 'true' : 'false'}
    >
      <div className="current-head">
        <T text={S.nowCalling} className="label" />
        {call.recall && (
          <span className="recall-badge" data-testid="recall-badge">
            <T text={S.recall} />
          </span>
        )}
      </div>
      <div className="number" data-testid="current-number">
        {call.number}
      </div>
      <div className="to">
        <span className="arrow">→</span>
        <T text={counterLabel(call)} className="counter" />
      </div>
    </section>
  );
}

function Recent({ calls, now }: { calls: readonly DisplayCall[]; now: number }) {
  return (
    <section className="recent" data-testid="recent">
      <h2>
        <T text={S.recent} />
      </h2>
      <ol>
        {calls.slice(0, 6).map((c) => {
          const isNew = c.newUntil !== null && now < c.newUntil;
          return (
            <li
              key={c.key}
              data-testid="recent-call"
              data-number={c.number}
              data-recall={c.recall ? 'true' : 'false'}
              className={isNew ? 'is-new' : ''}
            >
              <span className="r-number">{c.number}</span>
              <span className="r-arrow">→</span>
              <T text={counterLabel(c)} className="r-counter" />
              {c.recall && (
                <span className="r-recall">
                  <T text={S.recall} />
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * The hall is not being served: every counter this screen shows is closed. Said large, where the
 * current call stands on an open day, so that nobody waits for a call that will not come.
 */
function HallClosed({ hall }: { hall: DisplayHall }) {
  const text =
    hall.state === 'beforeHours' && hall.opensAt
      ? fillBoth(S.beforeHours, { at: hall.opensAt })
      : hall.state === 'afterHours'
        ? S.afterHours
        : S.noCounterOpen;
  return (
    <section className="hall-closed" data-testid="hall-closed" data-state={hall.state}>
      <T text={text} className="closed-text" />
    </section>
  );
}

/**
 * Shrinks an element's font (from its stylesheet size down to `minVh`) until its text fits its box,
 * on every render and when the window changes size: a service name is whatever branch IT typed, in
 * two languages, and five of them share one row of the screen.
 */
function useFitText<T extends HTMLElement>(minVh: number, deps: readonly unknown[]) {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const shrinkToFit = () => {
      el.style.fontSize = '';
      const vh = window.innerHeight / 100;
      let size = parseFloat(getComputedStyle(el).fontSize);
      const fits = () => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1;
      while (!fits() && size > minVh * vh) {
        size = Math.max(minVh * vh, size - 0.1 * vh);
        el.style.fontSize = `${size}px`;
      }
      el.dataset.fits = fits() ? 'true' : 'false';
    };
    shrinkToFit();
    window.addEventListener('resize', shrinkToFit);
    return () => window.removeEventListener('resize', shrinkToFit);
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what changes the text
  }, deps);
  return ref;
}

function ServiceName({ name }: { name: Bi }) {
  const ref = useFitText<HTMLDivElement>(1.6, [name.zh, name.en]);
  return (
    <div className="s-name" ref={ref} data-testid="service-name">
      <T text={name} wrapWords />
    </div>
  );
}

function Services({ screen }: { screen: DisplayScreen }) {
  return (
    <section className="services" data-testid="services" data-count={screen.services.length}>
      {screen.services.map((s) => (
        <div className="service" key={s.serviceId} data-testid="service" data-service={s.serviceId}>
          <span className="prefix">{s.prefix}</span>
          <ServiceName name={s.name} />
          <span className="s-count" data-testid="waiting" data-count={s.waiting}>
            <span className="n">{s.waiting}</span>
            <T text={S.waitingLabel} />
          </span>
          {s.wait && (
            // The wait a ticket taken now would have: the kiosk's figure, in brief.
            <span className="s-wait" data-testid="service-wait">
              {s.wait[PRIMARY]}
              <span className="s-wait-second" lang={SECONDARY === 'zh' ? 'zh-CN' : 'en'}>
                {s.wait[SECONDARY]}
              </span>
            </span>
          )}
        </div>
      ))}
    </section>
  );
}

function NoticeLine({ screen }: { screen: DisplayScreen }) {
  const text = screen.notice ?? fillBoth(S.welcome, { branch: screen.branch });
  const line = `${text[PRIMARY]}　　${text[SECONDARY]}`;
  // A long notice scrolls; a short one stands still (moving text is harder to read).
  const long = line.length > 60;
  return (
    <footer className="notice-line" data-testid="notice">
      <div className={long ? 'marquee' : 'still'}>
        <span>{line}</span>
        {long && <span aria-hidden="true">{line}</span>}
      </div>
    </footer>
  );
}

function Screen({ screen, agentConnected }: { screen: DisplayScreen; agentConnected: boolean }) {
  const now = useNow(500);
  if (screen.link === 'connecting' && screen.seq === 0) return <Notice text={S.connecting} />;
  const problem = !agentConnected ? S.agentDown : screen.link !== 'online' ? S.offline : null;
  return (
    <div
      className="screen"
      data-testid="screen"
      data-seq={screen.seq}
      data-link={screen.link}
      data-hall={screen.hall.state}
    >
      <header className="top">
        <T text={screen.branch} className="branch" />
        {problem && (
          <div className="link-problem" data-testid="link-problem">
            <T text={problem} />
          </div>
        )}
        <Clock screen={screen} now={now} />
      </header>
      <main className={`middle${screen.hall.state === 'open' ? '' : ' closed'}`}>
        {screen.hall.state === 'open' ? (
          <>
            <Current call={screen.current} now={now} />
            <Recent calls={screen.recent} now={now} />
          </>
        ) : (
          <HallClosed hall={screen.hall} />
        )}
      </main>
      <Services screen={screen} />
      <NoticeLine screen={screen} />
    </div>
  );
}

function Pairing({ state }: { state: DisplayPairingState }) {
  const [hubUrl, setHubUrl] = useState(state.hubUrl ?? 'http://');
  const [code, setCode] = useState('');
  const [name, setName] = useState(state.name);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Bi | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      const res = await fetch('/local/pair', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          hubUrl: hubUrl.trim().replace(/\/+$/, ''),
          code: code.trim(),
          name: name.trim(),
        }),
      });
      const answer = parseWith(localAnswer, await res.json());
      if (!answer.ok) setError({ zh: '配对失败', en: 'Pairing failed' });
      else if (!answer.value.ok) setError(answer.value.error.message);
    } catch {
      setError(S.agentDown);
    } finally {
      setSending(false);
    }
  };
  const shown = error ?? state.error?.message ?? null;
  return (
    <form className="pairing" onSubmit={submit} data-testid="pairing">
      <h1>
        <T text={S.pairTitle} />
      </h1>
      <p>
        <T text={S.pairIntro} />
      </p>
      <label>
        <T text={S.hubUrl} />
        <input value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} name="hubUrl" />
      </label>
      <label>
        <T text={S.code} />
        <input
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
          name="code"
          inputMode="numeric"
          autoComplete="off"
          className="code"
        />
      </label>
      <label>
        <T text={S.deviceName} />
        <input value={name} onChange={(e) => setName(e.target.value)} name="name" />
      </label>
      {shown && (
        <div className="pair-error" data-testid="pair-error">
          <T text={shown} />
        </div>
      )}
      <button type="submit" disabled={sending || state.busy || code.length !== 6}>
        <T text={sending || state.busy ? S.pairing : S.pair} />
      </button>
    </form>
  );
}
