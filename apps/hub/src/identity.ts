import { writeFileSync } from 'node:fs';
import { MINUTE } from '@nextup/core';
import {
  DEVICE_KIND_NAMES,
  type DeviceKind,
  type PairingCode,
  type SessionInfo,
  type StaffAccount,
  type StaffCreatedResponse,
  type StaffRole,
} from '@nextup/protocol';
import { errorBody, type HubService, type Outcome, refusalOutcome } from './hub.ts';
import type { HubCommand } from './hub-decide.ts';
import type { Principal } from './principal.ts';
import { AttemptLimiter, beginAttempt } from './security/attempts.ts';
import { PairingCodes } from './security/pairing-codes.ts';
import {
  csrfTokenOf,
  hashPassword,
  randomDigits,
  randomToken,
  safeEqual,
  sha256,
  verifyPassword,
} from './security/secrets.ts';
import type { DeviceRecord, StaffRecord } from './store/identities.ts';

export interface IdentityOptions {
  /** Session lifetime without activity, hours. Default 12. */
  sessionHours?: number;
  /** How long a pairing code lives, minutes. Default 10. */
  pairingCodeMinutes?: number;
  /** Also write the first-run setup token to this file (mode 0600), for automation (the demo). */
  setupTokenFile?: string | null;
}

export interface NewSession {
  cookie: string;
  info: SessionInfo;
  expiresAt: number;
}

/**
 * Who may act: staff accounts (scrypt passwords, sessions with a CSRF token), the one-time setup
 * token that creates the first admin (no default password ever), and devices, which join with a
 * short-lived single-use pairing code and then hold a revocable token. Every change is an audited
 * event in the log.
 */
export class IdentityService {
  readonly #hub: HubService;
  readonly #sessionMs: number;
  readonly #pairingMs: number;
  readonly #setupTokenFile: string | null;
  /**
   * Sign-in attempts (`security/attempts.ts`): each is counted before the password is checked. An
   * account is slowed down from the address that fails it (5 free failures, then 30 s doubling up to
   * 15 min), an address for all accounts (10 free), and an account from everywhere only mildly (20
   * free, then 5 s doubling up to 1 min): one attacker blocks only their own address and can never
   * lock the branch's admin out.
   */
  readonly #loginByAccountFromAddress = new AttemptLimiter({
    free: 5,
    windowMs: 15 * MINUTE,
    baseMs: 30_000,
    maxMs: 15 * MINUTE,
  });
  readonly #loginByAddress = new AttemptLimiter({
    free: 10,
    windowMs: 15 * MINUTE,
    baseMs: 30_000,
    maxMs: 15 * MINUTE,
  });
  readonly #loginByAccount = new AttemptLimiter({
    free: 20,
    windowMs: 15 * MINUTE,
    baseMs: 5000,
    maxMs: MINUTE,
  });
  /**
   * Pairing-code guesses, per address only (5 free, then 1 min doubling up to 10 min): a guesser
   * blocks itself, never pairing for the whole hub. A code is six digits, lives 10 minutes and works
   * once, so guessing it takes on the order of 10⁵ addresses.
   */
  readonly #pairByAddress = new AttemptLimiter({
    free: 5,
    windowMs: 10 * MINUTE,
    baseMs: MINUTE,
    maxMs: 10 * MINUTE,
  });
  /** Outstanding pairing codes: in memory only (`security/pairing-codes.ts`). */
  readonly #pairingCodes = new PairingCodes();
  /** Called when a device is revoked or a staff account disabled: close their live connections. */
  onRevoked: (who: { deviceId?: string; staffId?: string }) => void = () => {};

  constructor(hub: HubService, options: IdentityOptions = {}) {
    this.#hub = hub;
    this.#sessionMs = (options.sessionHours ?? 12) * 60 * MINUTE;
    this.#pairingMs = (options.pairingCodeMinutes ?? 10) * MINUTE;
    this.#setupTokenFile = options.setupTokenFile ?? null;
  }

  get #ids() {
    return this.#hub.identities;
  }
  get #now() {
    return this.#hub.clock.now();
  }

  /** Decides a hub command that is never refused (sign-ins, pairing) and records it for `staffId`. */
  #decideAndRecord(staffId: string, command: HubCommand) {
    const d = this.#hub.decideHub(command);
    if (!d.ok) throw new Error(`${command.type} was refused: ${d.refusal.code}`);
    this.#hub.record({ kind: 'staff', id: staffId }, d.events);
  }

  needsSetup(): boolean {
    return this.#ids.staffCount() === 0;
  }

  /**
   * On a hub with no staff, makes a fresh one-time setup token, logs it (and writes it to the
   * configured file). Returns it, or null when setup is done.
   */
  issueSetupToken(): string | null {
    if (!this.needsSetup()) {
      this.#ids.deleteMeta('setupTokenHash');
      return null;
    }
    const token = randomToken(18);
    this.#ids.setMeta('setupTokenHash', sha256(token));
    if (this.#setupTokenFile) writeFileSync(this.#setupTokenFile, `${token}\n`, { mode: 0o600 });
    this.#hub.logger.warn(
      { setupToken: token, setupUrl: `${this.#hub.publicUrl}/setup` },
      `FIRST RUN: create the IT admin at ${this.#hub.publicUrl}/setup with setup token ${token}`,
    );
    return token;
  }

  async setup(
    token: string,
    username: string,
    displayName: string,
    password: string,
  ): Promise<Outcome<NewSession>> {
    const expected = this.#ids.getMeta('setupTokenHash');
    if (!this.needsSetup() || !expected)
      return {
        status: 409,
        body: errorBody(
          'conflict',
          'ALREADY_SET_UP',
          '已完成初始设置，请登录',
          'Setup is already done; sign in',
        ),
      };
    if (sha256(token) !== expected)
      return {
        status: 403,
        body: errorBody('forbidden', 'BAD_SETUP_TOKEN', '初始设置令牌不正确', 'Wrong setup token'),
      };
    const staff: StaffRecord = {
      id: `s-${randomToken(8)}`,
      username,
      displayName,
      role: 'admin',
      counterIds: [],
      passwordHash: await hashPassword(password),
      disabled: false,
      createdAt: this.#now,
    };
    if (!this.needsSetup())
      return {
        status: 409,
        body: errorBody(
          'conflict',
          'ALREADY_SET_UP',
          '已完成初始设置，请登录',
          'Setup is already done; sign in',
        ),
      };
    const d = this.#hub.decideHub({
      type: 'CreateStaff',
      data: { staffId: staff.id, username, displayName, role: 'admin', counterIds: [], at: this.#now },
    });
    if (!d.ok) return refusalOutcome(d.refusal);
    this.#ids.insertStaff(staff);
    this.#ids.deleteMeta('setupTokenHash');
    this.#hub.record({ kind: 'staff', id: staff.id }, d.events);
    return { status: 200, body: this.#newSession(staff) };
  }

  #newSession(staff: StaffRecord): NewSession {
    const cookie = randomToken(32);
    const csrfToken = csrfTokenOf(cookie);
    const now = this.#now;
    const expiresAt = now + this.#sessionMs;
    // Neither the cookie nor its CSRF token is stored: only their SHA-256.
    this.#ids.insertSession({
      tokenHash: sha256(cookie),
      staffId: staff.id,
      csrfHash: sha256(csrfToken),
      createdAt: now,
      expiresAt,
    });
    return { cookie, expiresAt, info: sessionInfo(staff, csrfToken) };
  }

  async login(username: string, password: string, ip: string): Promise<Outcome<NewSession>> {
    const now = this.#now;
    const accountFromAddress = JSON.stringify([username, ip]);
    // Reserved before the (slow, asynchronous) password check: parallel guesses count at once.
    const { waitMs: wait, attempt } = beginAttempt(
      [
        [this.#loginByAccountFromAddress, accountFromAddress],
        [this.#loginByAddress, ip],
        [this.#loginByAccount, username],
      ],
      now,
    );
    if (!attempt) {
      const s = Math.ceil(wait / 1000);
      return {
        status: 429,
        body: errorBody(
          'rateLimited',
          'TOO_MANY_ATTEMPTS',
          `尝试次数过多，请 ${s} 秒后再试`,
          `Too many attempts; try again in ${s} s`,
        ),
      };
    }
    const staff = this.#ids.staffByUsername(username);
    // Verify against a dummy hash for unknown users so the timing does not tell who exists.
    const ok = await verifyPassword(password, staff?.passwordHash ?? DUMMY_HASH);
    if (!staff || !ok || staff.disabled) {
      // The reserved attempt stays counted as a failure.
      return {
        status: 401,
        body: errorBody('auth', 'BAD_CREDENTIALS', '用户名或密码不正确', 'Wrong username or password'),
      };
    }
    attempt.release();
    this.#loginByAccountFromAddress.reset(accountFromAddress);
    // Stamped after the password check: the hub's clock moved on during the async scrypt (by
    // seconds on a fast demo clock), and the log's times never go backwards.
    this.#decideAndRecord(staff.id, { type: 'SignIn', data: { staffId: staff.id, at: this.#now } });
    return { status: 200, body: this.#newSession(staff) };
  }

  logout(cookie: string): void {
    const session = this.#ids.session(sha256(cookie));
    if (!session) return;
    this.#ids.deleteSession(session.tokenHash);
    this.#decideAndRecord(session.staffId, {
      type: 'SignOut',
      data: { staffId: session.staffId, at: this.#now },
    });
  }

  /**
   * The staff member behind a session cookie, with the session's CSRF token (derived from the
   * cookie, for the console to pick up again after a reload) and its stored hash; sliding expiry.
   */
  fromSession(
    cookie: string,
  ): { principal: Principal & { kind: 'staff' }; csrfToken: string; csrfHash: string } | null {
    const hash = sha256(cookie);
    const session = this.#ids.session(hash);
    const now = this.#now;
    if (!session) return null;
    if (session.expiresAt < now) {
      this.#ids.deleteSession(hash);
      return null;
    }
    const staff = this.#ids.staffById(session.staffId);
    if (!staff || staff.disabled) return null;
    // Extend at most once a minute, not on every request.
    if (session.expiresAt - now < this.#sessionMs - MINUTE)
      this.#ids.extendSession(hash, now + this.#sessionMs);
    return {
      principal: { kind: 'staff', staff },
      csrfToken: csrfTokenOf(cookie),
      csrfHash: session.csrfHash,
    };
  }

  /** Whether a request's `x-csrf-token` is the session's, checked against the stored hash. */
  csrfMatches(header: string, csrfHash: string): boolean {
    return header.length <= 128 && safeEqual(sha256(header), csrfHash);
  }

  /** The device behind a bearer token; null for an unknown or revoked token. */
  fromDeviceToken(token: string): (Principal & { kind: 'device' }) | null {
    const device = this.#ids.deviceByTokenHash(sha256(token));
    if (!device || device.revokedAt !== null) return null;
    return { kind: 'device', device };
  }

  sessionInfo(staff: StaffRecord, csrfToken: string): SessionInfo {
    return sessionInfo(staff, csrfToken);
  }

  // ── devices ──

  createPairingCode(admin: StaffRecord, kind: DeviceKind, name: string): PairingCode {
    const now = this.#now;
    const expiresAt = now + this.#pairingMs;
    const code = this.#pairingCodes.create(
      { kind, name, createdBy: admin.id, expiresAt, usedAt: null },
      () => randomDigits(6),
      now,
    );
    this.#decideAndRecord(admin.id, { type: 'CreatePairingCode', data: { kind, name, expiresAt, at: now } });
    return { code, kind, name, expiresAt, validForSeconds: Math.round(this.#pairingMs / 1000) };
  }

  pair(
    code: string,
    name: string,
    ip: string,
    /** What the box says it is; a code for another kind is refused and stays unused. */
    kind?: DeviceKind,
  ): Outcome<{ ok: true; deviceId: string; kind: DeviceKind; token: string; hubId: string; name: string }> {
    const now = this.#now;
    const { waitMs: wait, attempt } = beginAttempt([[this.#pairByAddress, ip]], now);
    if (!attempt) {
      const s = Math.ceil(wait / 1000);
      return {
        status: 429,
        body: errorBody(
          'rateLimited',
          'TOO_MANY_ATTEMPTS',
          `配对尝试过多，请 ${s} 秒后再试`,
          `Too many pairing attempts; try again in ${s} s`,
        ),
      };
    }
    const record = this.#pairingCodes.find(code);
    // A wrong, used or expired code keeps the reserved attempt counted as a failure.
    const fail = (codeName: string, zh: string, en: string) => ({
      status: 403,
      body: errorBody('forbidden', codeName, zh, en),
    });
    if (!record) return fail('BAD_PAIRING_CODE', '配对码不正确', 'Wrong pairing code');
    if (record.usedAt !== null)
      return fail('PAIRING_CODE_USED', '配对码已被使用', 'This pairing code was already used');
    if (record.expiresAt < now)
      return fail(
        'PAIRING_CODE_EXPIRED',
        '配对码已过期，请管理员重新生成',
        'This pairing code has expired; ask the admin for a new one',
      );
    if (kind !== undefined && kind !== record.kind) {
      // The right code on the wrong box: not a guess, so the attempt is not counted, and the code is
      // left unused for the box it was made for.
      attempt.release();
      const [want, got] = [DEVICE_KIND_NAMES[record.kind], DEVICE_KIND_NAMES[kind]];
      return {
        status: 409,
        body: errorBody(
          'conflict',
          'WRONG_KIND',
          `此配对码用于${want.zh}，不是${got.zh}`,
          `This pairing code is for a ${want.en}, not a ${got.en}`,
        ),
      };
    }
    if (!this.#pairingCodes.use(code, now))
      return fail('PAIRING_CODE_USED', '配对码已被使用', 'This pairing code was already used');
    attempt.release();
    const token = randomToken(32);
    const device: DeviceRecord = {
      id: `d-${randomToken(8)}`,
      kind: record.kind,
      // Branch IT named the code for the box it set up ("二楼取号机"): that is the device's name. The
      // name the box proposes (its host name) only stands in for a code made without one.
      name: record.name || name,
      tokenHash: sha256(token),
      pairedAt: now,
      revokedAt: null,
    };
    this.#ids.insertDevice(device);
    this.#decideAndRecord(record.createdBy, {
      type: 'PairDevice',
      data: { deviceId: device.id, kind: device.kind, name: device.name, at: now },
    });
    return {
      status: 200,
      body: {
        ok: true,
        deviceId: device.id,
        kind: device.kind,
        token,
        hubId: this.#hub.hubId,
        name: device.name,
      },
    };
  }

  revokeDevice(admin: StaffRecord, deviceId: string): Outcome<{ ok: true }> {
    const now = this.#now;
    const d = this.#hub.decideHub({ type: 'RevokeDevice', data: { deviceId, at: now } });
    if (!d.ok) return refusalOutcome(d.refusal);
    if (d.events.length > 0) {
      this.#ids.revokeDevice(deviceId, now);
      this.#hub.record({ kind: 'staff', id: admin.id }, d.events);
    }
    this.onRevoked({ deviceId });
    return { status: 200, body: { ok: true } };
  }

  // ── staff ──

  async createStaff(
    admin: StaffRecord,
    s: { username: string; displayName: string; role: StaffRole; password: string; counterIds: string[] },
  ): Promise<Outcome<StaffCreatedResponse>> {
    const staffId = `s-${randomToken(8)}`;
    const command = (at: number): HubCommand => ({
      type: 'CreateStaff',
      data: {
        staffId,
        username: s.username,
        displayName: s.displayName,
        role: s.role,
        counterIds: s.counterIds,
        at,
      },
    });
    // Decided before the (slow) password hash so a refusal costs nothing, and again after it: the
    // clock moved on, and another request may have taken the username meanwhile.
    const early = this.#hub.decideHub(command(this.#now));
    if (!early.ok) return refusalOutcome(early.refusal);
    const passwordHash = await hashPassword(s.password);
    const d = this.#hub.decideHub(command(this.#now));
    if (!d.ok) return refusalOutcome(d.refusal);
    const staff: StaffRecord = {
      id: staffId,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      counterIds: s.counterIds,
      passwordHash,
      disabled: false,
      createdAt: this.#now,
    };
    this.#ids.insertStaff(staff);
    this.#hub.record({ kind: 'staff', id: admin.id }, d.events);
    return { status: 200, body: { ok: true, staffId: staff.id } };
  }

  async updateStaff(
    admin: StaffRecord,
    staffId: string,
    patch: {
      displayName?: string;
      role?: StaffRole;
      counterIds?: string[];
      disabled?: boolean;
      password?: string;
    },
  ): Promise<Outcome<{ ok: true }>> {
    const command = (at: number): HubCommand => ({
      type: 'UpdateStaff',
      data: {
        staffId,
        by: admin.id,
        displayName: patch.displayName,
        role: patch.role,
        counterIds: patch.counterIds,
        disabled: patch.disabled,
        passwordChanged: Boolean(patch.password),
        at,
      },
    });
    // Decided before the (slow) password hash so a refusal costs nothing, and again after it with
    // the clock as it is then (the log's times never go backwards).
    const early = this.#hub.decideHub(command(this.#now));
    if (!early.ok) return refusalOutcome(early.refusal);
    const passwordHash = patch.password ? await hashPassword(patch.password) : null;
    const d = this.#hub.decideHub(command(this.#now));
    if (!d.ok) return refusalOutcome(d.refusal);
    const staff = this.#ids.staffById(staffId)!;
    const updated = d.events[0];
    if (updated?.type !== 'StaffAccountUpdated')
      throw new Error('UpdateStaff decided no StaffAccountUpdated');
    const next: StaffRecord = {
      ...staff,
      displayName: updated.data.displayName,
      role: updated.data.role,
      counterIds: updated.data.counterIds,
      disabled: updated.data.disabled,
      passwordHash: passwordHash ?? staff.passwordHash,
    };
    this.#ids.updateStaff(next);
    this.#hub.record({ kind: 'staff', id: admin.id }, d.events);
    if (next.disabled || patch.password) {
      this.#ids.deleteSessionsOf(staffId);
      this.onRevoked({ staffId });
    } else if (next.role !== staff.role) {
      // What a stream carries was cut to the role it opened with: the console reconnects and gets
      // the new role's cut (the session itself stays valid).
      this.onRevoked({ staffId });
    }
    return { status: 200, body: { ok: true } };
  }

  listStaff(): StaffAccount[] {
    return this.#ids.allStaff().map((s) => ({
      staffId: s.id,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      counterIds: s.counterIds,
      disabled: s.disabled,
      createdAt: s.createdAt,
    }));
  }
}

function sessionInfo(staff: StaffRecord, csrfToken: string): SessionInfo {
  return {
    staffId: staff.id,
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role,
    counterIds: staff.counterIds,
    csrfToken,
  };
}

// A valid scrypt hash of a random password, for constant-time failure on unknown usernames.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86);
