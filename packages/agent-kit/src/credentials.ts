import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DeviceKind, deviceKind, parseWith } from '@nextup/protocol';
import { z } from 'zod';

/** What a paired device keeps: where its hub is and the token the hub gave it. */
export interface DeviceCredentials {
  hubUrl: string;
  hubId: string;
  deviceId: string;
  kind: DeviceKind;
  name: string;
  token: string;
  pairedAt: number;
}

const schema = z.object({
  hubUrl: z.string().url(),
  hubId: z.string().min(1),
  deviceId: z.string().min(1),
  kind: deviceKind,
  name: z.string(),
  token: z.string().min(32),
  pairedAt: z.number(),
});

/**
 * The device's credentials in one JSON file, readable by its owner only (0600). Nothing else on the
 * box is configuration: everything else comes from the hub.
 */
export class CredentialStore {
  constructor(readonly file: string) {}

  load(): DeviceCredentials | null {
    if (!existsSync(this.file)) return null;
    try {
      const parsed = parseWith(schema, JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.ok ? parsed.value : null;
    } catch {
      return null;
    }
  }

  save(c: DeviceCredentials): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
