import type { KioskError, KioskTicket } from '@nextup/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { newRequestId, requestTicket, useAgentState } from './agent.ts';
import { WedgeDetector } from './scanner.ts';
import {
  AgentLostScreen,
  KeypadScreen,
  OfflineScreen,
  PairingScreen,
  StartScreen,
  TicketScreen,
} from './screens/index.ts';
import type { Lang } from './strings.ts';

export type Screen =
  | { kind: 'start' }
  | { kind: 'keypad'; code: string; error: KioskError | null }
  | { kind: 'ticket'; ticket: KioskTicket };

/** How long a ticket whose print failed stays on screen at least (the customer notes the number), s. */
const FAILED_TICKET_SECONDS = 90;

/**
 * The kiosk's screens: start (services) → ticket, start → keypad → ticket, with the pairing, offline
 * and "kiosk restarting" screens when those apply. Returns to the start screen (in Chinese) after the
 * admin's idle seconds without a touch.
 */
export function App() {
  const conn = useAgentState();
  const state = conn.state;
  const [lang, setLang] = useState<Lang>('zh');
  const [screen, setScreen] = useState<Screen>({ kind: 'start' });
  const [busy, setBusy] = useState<'issue' | 'checkIn' | null>(null);
  const [notice, setNotice] = useState<KioskError | null>(null);
  const busyRef = useRef(false);
  const langRef = useRef(lang);
  langRef.current = lang;

  /** The next customer: the start screen, in Chinese. */
  const home = useCallback(() => {
    setScreen({ kind: 'start' });
    setNotice(null);
    setLang('zh');
  }, []);
  /** The same customer goes back a step: their language stays. */
  const back = useCallback(() => {
    setScreen({ kind: 'start' });
    setNotice(null);
  }, []);

  const issue = useCallback(async (serviceId: string) => {
    // One tap, one ticket: further taps while the first is on its way are ignored.
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy('issue');
    const a = await requestTicket('/local/issue', {
      requestId: newRequestId(),
      serviceId,
      lang: langRef.current,
    });
    busyRef.current = false;
    setBusy(null);
    if (a.ok) setScreen({ kind: 'ticket', ticket: a.ticket });
    else setNotice(a.error);
  }, []);

  const closedRef = useRef(state?.appointmentsClosed ?? null);
  closedRef.current = state?.appointmentsClosed ?? null;
  const checkIn = useCallback(async (code: string, via: 'keypad' | 'scanner') => {
    if (busyRef.current || code.length === 0) return;
    // A scan after check-in has closed for the day: say so rather than ask the hub.
    const closed = closedRef.current;
    if (closed) {
      setScreen({
        kind: 'keypad',
        code,
        error: { kind: 'refused', code: 'CHECK_IN_CLOSED', message: closed },
      });
      return;
    }
    busyRef.current = true;
    setBusy('checkIn');
    const a = await requestTicket('/local/check-in', {
      requestId: newRequestId(),
      code,
      via,
      lang: langRef.current,
    });
    busyRef.current = false;
    setBusy(null);
    if (a.ok) setScreen({ kind: 'ticket', ticket: a.ticket });
    else setScreen({ kind: 'keypad', code, error: a.error });
  }, []);

  const ready = state?.phase === 'ready';
  const screenRef = useRef(screen);
  screenRef.current = screen;

  // The keyboard-wedge scanner (and a physical keyboard, if one is attached).
  useEffect(() => {
    if (!ready) return;
    const detector = new WedgeDetector();
    const act = (actions: ReturnType<WedgeDetector['key']>) => {
      for (const a of actions) {
        const s = screenRef.current;
        if (a.type === 'scan') void checkIn(a.code, 'scanner');
        else if (a.type === 'typed') {
          const text = a.text.replace(/[^A-Za-z0-9-]/g, '');
          if (!text || busyRef.current) continue;
          if (s.kind === 'keypad')
            setScreen({ kind: 'keypad', code: (s.code + text).slice(0, 32), error: null });
          else if (s.kind === 'start') setScreen({ kind: 'keypad', code: text.slice(0, 32), error: null });
        } else if (a.type === 'backspace' && s.kind === 'keypad')
          setScreen({ kind: 'keypad', code: s.code.slice(0, -1), error: null });
        else if (a.type === 'enter' && s.kind === 'keypad') void checkIn(s.code, 'keypad');
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      act(detector.key(e.key, e.timeStamp, performance.now()));
    };
    const timer = setInterval(() => act(detector.tick(performance.now())), 25);
    window.addEventListener('keydown', onKey);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [ready, checkIn]);

  // Back to the start screen, in Chinese, after the idle time without a touch.
  const printOf =
    screen.kind === 'ticket' ? state?.prints.find((p) => p.ticketId === screen.ticket.ticketId) : undefined;
  const idleSeconds = state?.idleSeconds ?? 20;
  const atRest = screen.kind === 'start' && lang === 'zh' && notice === null;
  // Only a failed ticket still waiting keeps the screen longer: once called or ended, nothing to note.
  const failedWaiting = printOf?.status === 'failed' && printOf.ticket.status === 'waiting';
  const timeout = failedWaiting ? Math.max(idleSeconds * 4, FAILED_TICKET_SECONDS) : idleSeconds;
  const [lastTouch, setLastTouch] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const touch = () => setLastTouch(Date.now());
    window.addEventListener('pointerdown', touch, true);
    window.addEventListener('keydown', touch, true);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      window.removeEventListener('pointerdown', touch, true);
      window.removeEventListener('keydown', touch, true);
      clearInterval(tick);
    };
  }, []);
  // A new screen starts its own idle count.
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart the count when the screen changes
  useEffect(() => setLastTouch(Date.now()), [screen]);
  const secondsLeft = Math.max(0, Math.ceil(timeout - Math.max(0, now - lastTouch) / 1000));
  useEffect(() => {
    if (!atRest && secondsLeft === 0 && printOf?.status !== 'printing' && !busy) home();
  }, [atRest, secondsLeft, printOf?.status, busy, home]);

  if (!state) return <AgentLostScreen lang={lang} starting />;
  if (!conn.connected) return <AgentLostScreen lang={lang} starting={false} />;
  if (state.phase !== 'ready') return <PairingScreen state={state} />;
  // A ticket already on screen stays there (its number is valid); otherwise no hub, no tickets.
  const offline = state.blocked && ['HUB_OFFLINE', 'CONNECTING', 'NOT_PAIRED'].includes(state.blocked.code);
  if (offline && screen.kind !== 'ticket') return <OfflineScreen state={state} lang={lang} />;

  switch (screen.kind) {
    case 'start':
      return (
        <StartScreen
          state={state}
          lang={lang}
          busy={busy}
          notice={notice}
          onLang={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          onService={(id) => void issue(id)}
          onAppointment={() => setScreen({ kind: 'keypad', code: '', error: null })}
          onDismiss={() => setNotice(null)}
        />
      );
    case 'keypad':
      return (
        <KeypadScreen
          state={state}
          lang={lang}
          code={screen.code}
          error={screen.error}
          busy={busy === 'checkIn'}
          onLang={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          onCode={(code) => setScreen({ kind: 'keypad', code, error: null })}
          onSubmit={() => void checkIn(screen.code, 'keypad')}
          onBack={back}
          secondsLeft={secondsLeft}
        />
      );
    case 'ticket':
      return (
        <TicketScreen
          state={state}
          lang={lang}
          ticket={screen.ticket}
          print={printOf ?? null}
          secondsLeft={secondsLeft}
          onDone={home}
        />
      );
    default: {
      const _: never = screen;
      return _;
    }
  }
}
