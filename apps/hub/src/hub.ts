import {
  type BranchConfig,
  type Decision,
  decide,
  describeError,
  estimateWait,
  evolveChecked,
  own,
  type QueueCommand,
  type QueueState,
  sampleBranchConfig,
  serviceOffers,
  type Ticket,
  waitWords,
} from '@nextup/core';
import { type BranchView, emptyView, evolveViewAll } from '@nextup/hub-view';
import type {
  Actor,
  ClientCommand,
  CommandAccepted,
  ErrorBody,
  FollowView,
  HubEvent,
  LoggedEvent,
} from '@nextup/protocol';
import type { Clock } from './clock.ts';
import { DeskIndex } from './desk-index.ts';
import { decideHub, type HubCommand, type HubDecision, type HubRefusal } from './hub-decide.ts';
import type { Logger } from './logger.ts';
import { toQueueCommand } from './map-command.ts';
import { actorKey, actorOf, type Principal, permission } from './principal.ts';
import { randomDigits, randomToken } from './security/secrets.ts';
import { type ViewCut, viewCut } from './security/view-cut.ts';
import type { Db } from './store/db.ts';
import { EventLog } from './store/event-log.ts';
import { Identities } from './store/identities.ts';
import { Snapshots } from './store/snapshots.ts';

export interface HubServiceOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** How customers' phones reach the hub, for the follow-page address in the ticket's QR code. */
  publicUrl: string;
  /** Configuration a brand-new hub starts from. Default: the sample branch. */
  initialConfig?: BranchConfig;
  /** Take a snapshot every this many events. Default 500. */
  snapshotEvery?: number;
}

export type Outcome<T> = { status: number; body: T | ErrorBody };

/** A subscriber's sink: returns false when it cannot keep up and must be dropped. */
export type Sink = (message: string) => boolean;

/** Beyond this many events behind, a subscriber gets a snapshot instead of the replay. */
export const REPLAY_LIMIT = 5000;
const BATCH = 1000;

export function errorBody(
  kind: Exclude<ErrorBody['error'], { kind: 'domain' }>['kind'],
  code: string,
  zh: string,
  en: string,
  detail?: string,
): ErrorBody {
  return {
    ok: false,
    error: { kind, code, message: { zh, en }, ...(detail ? { detail: detail.slice(0, 4000) } : {}) },
  };
}

const REFUSAL_STATUS: Record<HubRefusal['kind'], number> = { input: 400, notFound: 404, conflict: 409 };

/** A refused hub command as the edge answers it: the status its kind calls for, the documented body. */
export function refusalOutcome(r: HubRefusal): { status: number; body: ErrorBody } {
  return { status: REFUSAL_STATUS[r.kind], body: errorBody(r.kind, r.code, r.message.zh, r.message.en) };
}

/**
 * The hub's heart, without HTTP: it owns the branch view (the fold of the log), decides commands,
 * commits their events durably before anyone hears of them, and fans them out to subscribers.
 * Everything runs on Node's one thread, and better-sqlite3 is synchronous: between deciding and
 * publishing nothing else runs, so commands are serialised and subscribers never see a gap.
 */
export class HubService {
  readonly hubId: string;
  readonly log: EventLog;
  readonly identities: Identities;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The floor desk's view of the day: who issued, voided and printed what (`desk-index.ts`). */
  readonly desk: DeskIndex;
  #publicUrl: string;
  readonly #db: Db;
  readonly #snapshots: Snapshots;
  readonly #snapshotEvery: number;
  #view: BranchView;
  #sinceSnapshot = 0;
  readonly #subscribers = new Set<{ sink: Sink; onDrop: () => void; cut: ViewCut }>();
  /** Who issued each of today's tickets: a kiosk reads only its own (see `security/view-cut.ts`). */
  readonly #issuers = new Map<string, Actor>();
  /** Today's tickets the floor desk asked a kiosk to print, and which kiosks: theirs to read too. */
  readonly #printAt = new Map<string, Set<string>>();
  /** The cut of a caller that reads everything (admins, the hub's own parts). */
  readonly #whole: ViewCut;

  constructor(options: HubServiceOptions) {
    this.#db = options.db;
    this.clock = options.clock;
    this.logger = options.logger;
    this.#publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.log = new EventLog(this.#db);
    this.identities = new Identities(this.#db);
    this.#snapshots = new Snapshots(this.#db);
    this.#snapshotEvery = options.snapshotEvery ?? 500;
    this.desk = new DeskIndex(this);

    let hubId = this.identities.getMeta('hubId');
    if (!hubId) {
      hubId = `hub-${randomToken(6)}`;
      this.identities.setMeta('hubId', hubId);
    }
    this.hubId = hubId;

    const started = Date.now();
    const head = this.log.head();
    let view = this.#snapshots.latest(head) ?? emptyView();
    const fromSnapshot = view.seq;
    for (
      let batch = this.log.readAfter(view.seq, 5000);
      batch.length > 0;
      batch = this.log.readAfter(view.seq, 5000)
    )
      view = evolveViewAll(view, batch);
    this.#view = view;
    for (const { ticketId, actor } of this.log.issuersOfToday()) this.#issuers.set(ticketId, actor);
    for (const { ticketId, deviceId } of this.log.printRequestsOfToday())
      this.#notePrintAt(ticketId, deviceId);
    this.#whole = this.cutFor({ kind: 'system' });
    this.logger.info(
      { head, fromSnapshot, replayed: head - fromSnapshot, ms: Date.now() - started },
      'event log loaded',
    );
    if (head === 0) this.#bootstrap(options.initialConfig ?? sampleBranchConfig());
  }

  /** How phones reach the hub (the follow page's address in ticket QR codes). */
  get publicUrl(): string {
    return this.#publicUrl;
  }

  setPublicUrl(url: string) {
    this.#publicUrl = url.replace(/\/+$/, '');
  }

  get view(): BranchView {
    return this.#view;
  }

  get head(): number {
    return this.#view.seq;
  }

  /** A brand-new hub writes its starting configuration as ordinary events, so the log is complete. */
  #bootstrap(config: BranchConfig) {
    const at = this.clock.now();
    const commands: QueueCommand[] = [
      { type: 'ConfigureBranch', data: { branch: config.branch, at } },
      ...config.serviceOrder.map((id) => ({
        type: 'UpsertService' as const,
        data: { service: config.services[id]!, at },
      })),
      ...config.counterOrder.map((id) => ({
        type: 'UpsertCounter' as const,
        data: { counter: config.counters[id]!, at },
      })),
      { type: 'SetDispatchSettings', data: { settings: config.dispatch, at } },
    ];
    for (const c of commands) {
      const d = decide(c, this.#view.state);
      if (!d.ok)
        throw new Error(`the initial configuration is invalid: ${c.type}: ${describeError(d.error, 'en')}`);
      this.#commit({ kind: 'system' }, d.events);
    }
    this.logger.info(
      { services: config.serviceOrder.length, counters: config.counterOrder.length },
      'new hub: configuration written',
    );
  }

  /**
   * Appends events durably, folds them in, publishes them. The only way anything enters the log.
   * `folded` is the queue state after `events` when the caller has already folded them (queue events
   * only, checked by `evolveChecked`).
   */
  #commit(
    actor: Actor,
    events: readonly LoggedEvent['event'][],
    extra?: (logged: LoggedEvent[]) => void,
    folded?: QueueState,
  ): LoggedEvent[] {
    if (events.length === 0) return [];
    const logged = this.#db.transaction(() => {
      const rows = this.log.append(this.#view.seq, actor, events);
      extra?.(rows);
      return rows;
    })();
    this.#view = folded
      ? { seq: logged.at(-1)!.seq, state: folded, hub: this.#view.hub }
      : evolveViewAll(this.#view, logged);
    for (const e of logged) {
      if (e.event.type === 'BusinessDayRolled') {
        this.#issuers.clear();
        this.#printAt.clear();
      } else if (e.event.type === 'TicketIssued') this.#issuers.set(e.event.data.ticketId, e.actor);
      else if (e.event.type === 'TicketPrintRequested')
        this.#notePrintAt(e.event.data.ticketId, e.event.data.deviceId);
    }
    this.#publish(logged);
    this.#sinceSnapshot += logged.length;
    if (this.#sinceSnapshot >= this.#snapshotEvery) this.snapshot();
    return logged;
  }

  snapshot(): void {
    this.#snapshots.save(this.#view, this.clock.now());
    this.#sinceSnapshot = 0;
  }

  /**
   * Decides a hub command (devices, staff, keys, pairing codes, the notice, desk prints, the shipper's
   * health: `hub-decide.ts`) against the hub as it is now. Writes nothing: the caller stores what is
   * its own (a renamed device's record, a new account's password hash), then `record`s the events.
   */
  decideHub(command: HubCommand): HubDecision {
    const ids = this.identities;
    return decideHub(command, {
      devices: this.#view.hub.devices,
      config: this.#view.state.config,
      staffById: (id) => ids.staffById(id),
      staffByUsername: (username) => ids.staffByUsername(username),
      apiKeyById: (id) => {
        const key = ids.apiKeyById(id);
        return key ? { id: key.id, revoked: key.revokedAt !== null } : null;
      },
      tickets: this.#view.state.tickets,
      printAwaited: (ticketId, deviceId) => this.desk.printRequested(ticketId, deviceId),
    });
  }

  /** Records hub events (devices, staff, notices) on behalf of `actor`. */
  record(actor: Actor, events: HubEvent[]): LoggedEvent[] {
    return this.#commit(actor, events);
  }

  /**
   * Runs a client's command for `p`. The answer is sent only after the events are committed
   * (`synchronous=FULL`). With a request id, a repeat gets the first answer and changes nothing.
   */
  execute(p: Principal, command: ClientCommand, requestId?: string): Outcome<CommandAccepted> {
    const key = actorKey(p);
    if (requestId) {
      const previous = this.identities.response(key, requestId);
      if (previous) return { status: 200, body: JSON.parse(previous) as CommandAccepted };
    }
    const state = this.#view.state;
    const allowed = permission(p, command, {
      state,
      issuerOf: (ticketId) => this.issuerOf(ticketId),
      settingsOf: (deviceId) =>
        this.#view.hub.devices.find((d) => d.deviceId === deviceId && !d.revoked)?.settings ?? null,
    });
    if (!allowed.ok)
      return { status: 403, body: errorBody('forbidden', 'FORBIDDEN', allowed.reason.zh, allowed.reason.en) };
    const at = this.clock.now();
    const queueCommand = toQueueCommand(command, {
      at,
      newId: () => randomToken(16),
      newCode: () => randomDigits(8),
      source: p.kind === 'device' ? 'kiosk' : 'staff',
      state,
    });
    const decision: Decision = decide(queueCommand, state, { estimator: estimateWait });
    if (!decision.ok) {
      const { error } = decision;
      return {
        status: 409,
        body: {
          ok: false,
          error: {
            kind: 'domain',
            code: error.code,
            messageKey: error.messageKey,
            params: error.params,
            message: { zh: describeError(error, 'zh'), en: describeError(error, 'en') },
          },
        },
      };
    }
    // The last check before the log: every event must find what it names in the state (the fold is
    // total and would ignore one that does not, so such an event must never be written).
    const placed = evolveChecked(state, decision.events);
    if (!placed.ok) {
      this.logger.error(
        { command: command.type, event: placed.event, problem: placed.problem },
        'command refused: its events cannot be placed in the state',
      );
      return {
        status: 409,
        body: errorBody(
          'conflict',
          'NOT_PLACEABLE',
          '此操作无法应用于当前队列，未作任何更改',
          'This change cannot be applied to the queue as it is; nothing was changed',
          placed.problem,
        ),
      };
    }
    let body: CommandAccepted | null = null;
    this.#commit(
      actorOf(p),
      decision.events,
      (logged) => {
        body = this.#accepted(logged, queueCommand, placed.state);
        if (requestId) this.identities.saveResponse(key, requestId, JSON.stringify(body), at);
      },
      placed.state,
    );
    return { status: 200, body: body! };
  }

  #accepted(logged: LoggedEvent[], command: QueueCommand, after: QueueState): CommandAccepted {
    const body: CommandAccepted = { ok: true, seq: logged.at(-1)!.seq, events: logged };
    // The ticket as it will be after these events, for the kiosk to show and print.
    const issued = logged.find((e) => e.event.type === 'TicketIssued');
    if (issued?.event.type === 'TicketIssued') {
      const t = own(after.tickets, issued.event.data.ticketId);
      if (t) body.ticket = { ...t, followUrl: this.followUrl(t.id) };
    }
    if (command.type === 'BookAppointment') {
      const booked = logged.find((e) => e.event.type === 'AppointmentBooked');
      if (booked?.event.type === 'AppointmentBooked') {
        const d = booked.event.data;
        body.appointment = {
          appointmentId: d.appointmentId,
          code: d.code,
          slotStart: d.slotStart,
          slotEnd: d.slotEnd,
        };
      }
    }
    return body;
  }

  followUrl(ticketId: string): string {
    return `${this.publicUrl}/t/${ticketId}`;
  }

  /** Rolls the business day if the local date moved on (the hub's housekeeping timer checks every 30 s, index.ts). */
  rollIfNewDay(): boolean {
    const at = this.clock.now();
    const d = decide({ type: 'RollBusinessDay', data: { at } }, this.#view.state);
    if (!d.ok) return false;
    this.#commit({ kind: 'system' }, d.events);
    this.logger.info({ day: this.#view.state.day }, 'business day rolled');
    return true;
  }

  /** Who issued one of today's tickets, or null. */
  issuerOf(ticketId: string): Actor | null {
    return this.#issuers.get(ticketId) ?? null;
  }

  #notePrintAt(ticketId: string, deviceId: string) {
    const set = this.#printAt.get(ticketId) ?? new Set<string>();
    set.add(deviceId);
    this.#printAt.set(ticketId, set);
  }

  /** What `p` reads of the view and the log (`security/view-cut.ts`). */
  cutFor(p: Principal): ViewCut {
    return viewCut(p, {
      issuerOf: (ticketId) => this.issuerOf(ticketId),
      printRequested: (ticketId, deviceId) => this.#printAt.get(ticketId)?.has(deviceId) ?? false,
    });
  }

  /** The run `(after, through]` of the log as `cut` reads it, as a stream message. */
  #runMessage(cut: ViewCut, events: readonly LoggedEvent[], after: number, through: number): string {
    return JSON.stringify({ type: 'events', ...cut.run(events, after, through, this.#view.state) });
  }

  // ── subscribers ──

  /**
   * Starts a subscription after `lastSeq`: the missing events (or a snapshot if none was given, if it
   * is ahead of the log, or if it is more than `REPLAY_LIMIT` behind), then every new event, all cut
   * to what `cut` reads. Runs synchronously, so no event can slip in between the catch-up and the
   * live stream.
   */
  subscribe(lastSeq: number | null, sink: Sink, onDrop: () => void, cut: ViewCut = this.#whole): () => void {
    const head = this.#view.seq;
    const needSnapshot = lastSeq === null || lastSeq > head || head - lastSeq > REPLAY_LIMIT;
    let ok = true;
    if (needSnapshot) {
      const v = cut.view(this.#view);
      ok = sink(JSON.stringify({ type: 'snapshot', seq: head, state: v.state, hub: v.hub }));
      if (ok) ok = sink(this.#runMessage(cut, [], head, head));
    } else {
      let from = lastSeq;
      let sentAny = false;
      while (ok && from < head) {
        const batch = this.log.readAfter(from, BATCH).filter((e) => e.seq <= head);
        if (batch.length === 0) break;
        const through = batch.at(-1)!.seq;
        ok = sink(this.#runMessage(cut, batch, from, through));
        sentAny = true;
        from = through;
      }
      if (ok && !sentAny) ok = sink(this.#runMessage(cut, [], lastSeq, lastSeq));
    }
    const sub = { sink, onDrop, cut };
    if (!ok) {
      onDrop();
      return () => {};
    }
    this.#subscribers.add(sub);
    return () => {
      this.#subscribers.delete(sub);
    };
  }

  #publish(logged: LoggedEvent[]) {
    if (this.#subscribers.size === 0) return;
    for (let i = 0; i < logged.length; i += BATCH) {
      const slice = logged.slice(i, i + BATCH);
      const after = slice[0]!.seq - 1;
      const through = slice.at(-1)!.seq;
      // Subscribers that read the same get the same message, encoded once.
      const messages = new Map<string, string>();
      for (const sub of [...this.#subscribers]) {
        let message = messages.get(sub.cut.key);
        if (message === undefined) {
          message = this.#runMessage(sub.cut, slice, after, through);
          messages.set(sub.cut.key, message);
        }
        if (!sub.sink(message)) {
          this.#subscribers.delete(sub);
          sub.onDrop();
        }
      }
    }
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  // ── queries ──

  offers() {
    return serviceOffers(this.#view.state, this.clock.now(), estimateWait);
  }

  /** What the customer's phone sees for one ticket: that ticket and nothing else of the queue. */
  follow(ticketId: string): FollowView | null {
    const { state } = this.#view;
    const t: Ticket | undefined = own(state.tickets, ticketId);
    if (!t) return null;
    const service = own(state.config.services, t.serviceId);
    const now = this.clock.now();
    const estimate = t.status === 'waiting' ? estimateWait(state, { kind: 'ticket', ticketId }, now) : null;
    const counter = t.counterId ? own(state.config.counters, t.counterId) : undefined;
    return {
      number: t.number,
      service: service ? service.name : { zh: t.serviceId, en: t.serviceId },
      status: t.status,
      issuedAt: t.issuedAt,
      ahead: estimate ? estimate.ahead : null,
      estimate,
      words: estimate ? waitWords(estimate) : null,
      counter:
        counter && (t.status === 'called' || t.status === 'serving')
          ? { number: counter.number, name: counter.name }
          : null,
      calledAt: t.calledAt,
      branch: state.config.branch.name,
      serverTime: now,
    };
  }
}
