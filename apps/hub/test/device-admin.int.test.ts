import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairingCode } from '../src/testing.ts';
import { Client, createTeller, setUpAdmin, startTestHub, type TestHub } from './support.ts';

let hub: TestHub;
let admin: Client;

beforeAll(async () => {
  hub = await startTestHub();
  admin = await setUpAdmin(hub);
});
afterAll(async () => {
  await hub?.close();
});

const deviceNamed = async (id: string) =>
  (await admin.get('/api/v1/admin/devices')).body.devices.find(
    (d: { deviceId: string }) => d.deviceId === id,
  );

describe("branch IT's devices", () => {
  it('a box paired with a code takes the name IT gave the code, not the name the box proposes', async () => {
    const code = await pairingCode(admin, 'kiosk', '二楼取号机');
    const box = new Client(hub.url);
    const r = await box.post('/api/v1/devices/pair', { v: 1, code, name: 'Kiosk kiosk-7f3a' });
    expect(r.status).toBe(200);
    box.token = r.body.token;
    expect((await deviceNamed(r.body.deviceId)).name).toBe('二楼取号机');
    expect((await box.get('/api/v1/devices/me')).body.name).toBe('二楼取号机');
  });

  it('an admin renames a device: an audited event with the admin as actor, seen by the device too', async () => {
    const code = await pairingCode(admin, 'display', '大厅叫号屏');
    const box = new Client(hub.url);
    const paired = await box.post('/api/v1/devices/pair', { v: 1, code, name: 'display-box' });
    box.token = paired.body.token;
    const id = paired.body.deviceId as string;
    const before = hub.hub.head;

    const r = await admin.request('PATCH', `/api/v1/admin/devices/${id}`, { name: '  一楼叫号屏 ' });
    expect(r.status).toBe(200);
    expect((await deviceNamed(id)).name).toBe('一楼叫号屏');
    expect((await box.get('/api/v1/devices/me')).body.name).toBe('一楼叫号屏');
    const events = hub.hub.log.readAfter(before, 10);
    const me = (await admin.get('/api/v1/session')).body.staffId;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { kind: 'staff', id: me },
      event: { type: 'DeviceRenamed', data: { deviceId: id, name: '一楼叫号屏' } },
    });

    // Nothing changes for a blank name, an unknown device, or someone who is not an admin.
    expect((await admin.request('PATCH', `/api/v1/admin/devices/${id}`, { name: '  ' })).status).toBe(400);
    expect((await admin.request('PATCH', '/api/v1/admin/devices/d-nope', { name: 'x' })).status).toBe(404);
    const manager = await createTeller(hub, admin, 'wang.jl', [], 'manager');
    expect((await manager.request('PATCH', `/api/v1/admin/devices/${id}`, { name: 'x' })).status).toBe(403);
    expect((await box.request('PATCH', `/api/v1/admin/devices/${id}`, { name: 'x' })).status).toBe(403);
    expect((await deviceNamed(id)).name).toBe('一楼叫号屏');
  });
});
