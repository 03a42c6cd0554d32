import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, pairDevice, signIn, tempDir } from './support.ts';

/**
 * Power cut in the middle of a rush: a real hub process, ten kiosks issuing tickets at once, and a
 * SIGKILL (no shutdown code runs, like pulling the plug on the process). Every ticket a kiosk got an
 * answer for must be there after the restart, with the same number.
 */

const hubDir = join(import.meta.dirname, '..');
const children: ChildProcess[] = [];

function startHubProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main.ts',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--public-url',
      'http://hub.test:8300',
      '--time-origin',
      '2026-11-23T09:00:00+08:00',
      '--setup-token-file',
      join(dataDir, 'setup-token'),
    ],
    { cwd: hubDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('hub listening')) continue;
        const port = (JSON.parse(line) as { port: number }).port;
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${port}` });
        return;
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}:\n${out}`)));
  });
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('a hub killed mid-burst', () => {
  it('keeps every acknowledged ticket, with unique numbers and no gaps, after a restart', async () => {
    const { dir, remove } = tempDir('nextup-crash-');
    try {
      const first = await startHubProcess(dir);
      const token = readFileSync(join(dir, 'setup-token'), 'utf8').trim();
      const admin = new Client(first.url);
      const setup = await admin.post('/api/v1/setup', {
        token,
        username: 'admin',
        displayName: 'A',
        password: 'crash-test-password',
      });
      expect(setup.status).toBe(200);
      admin.csrf = setup.body.csrfToken;
      const hubLike = { url: first.url } as never;
      const kiosks = [];
      for (let i = 0; i < 10; i++) kiosks.push(await pairDevice(hubLike, admin, 'kiosk', `kiosk ${i}`));

      // Ten kiosks issue as fast as they can; the hub is killed once 150 answers have arrived.
      const acked: { id: string; number: string; serviceId: string }[] = [];
      let killed = false;
      const services = ['cash', 'personal', 'business', 'wealth'];
      const burst = kiosks.map(async (k, i) => {
        for (let n = 0; !killed; n++) {
          const serviceId = services[(i + n) % services.length]!;
          try {
            const r = await k.command({ type: 'IssueTicket', data: { serviceId, class: 'normal' } });
            if (r.status === 200)
              acked.push({ id: r.body.ticket.id, number: r.body.ticket.number, serviceId });
            else throw new Error(`refused: ${JSON.stringify(r.body)}`);
          } catch (e) {
            if (killed) return;
            if ((e as Error).message.startsWith('refused')) throw e;
            return;
          }
          if (acked.length >= 150 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      });
      await Promise.all(burst);
      await new Promise((r) =>
        first.child.exitCode !== null || first.child.signalCode ? r(null) : first.child.once('exit', r),
      );
      expect(first.child.signalCode).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(150);

      const second = await startHubProcess(dir);
      const reader = await signIn(second.url, 'admin', 'crash-test-password');
      const state = (await reader.get('/api/v1/state')).body.state;
      const tickets = Object.values(state.tickets) as {
        id: string;
        number: string;
        serviceId: string;
        seq: number;
      }[];
      // Every acknowledged ticket exists, with the number its kiosk printed.
      for (const a of acked) expect(state.tickets[a.id]?.number, a.number).toBe(a.number);
      // Numbers are unique and, per service, run 1…n with no gap.
      const numbers = tickets.map((t) => t.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      for (const s of services) {
        const seqs = tickets
          .filter((t) => t.serviceId === s)
          .map((t) => t.seq)
          .sort((x, y) => x - y);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
        const ackedSeqs = acked.filter((a) => a.serviceId === s).map((a) => Number(a.number.slice(1)));
        expect(Math.max(0, ...ackedSeqs)).toBeLessThanOrEqual(seqs.length);
      }
      // And numbering carries on after the restart, with the same kiosk token.
      const k = new Client(second.url);
      k.token = kiosks[0]!.token;
      const next = await k.command({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
      const cashCount = tickets.filter((t) => t.serviceId === 'cash').length;
      expect(next.body.ticket.number).toBe(`A${String(cashCount + 1).padStart(3, '0')}`);
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    } finally {
      remove();
    }
  });
});
