import { createStaff, signIn } from '@nextup/hub/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Branch, type Client, startBranch } from './support.ts';

let branch: Branch;
let floor: Client;

beforeAll(async () => {
  branch = await startBranch();
  await createStaff(branch.admin, 'zhou.min', 'teller', [], '周敏');
  floor = await signIn(branch.hub.url, 'zhou.min');
});
afterAll(async () => {
  await branch?.close();
});

const deskTicket = async (number: string) =>
  (await floor.get('/api/v1/desk/tickets')).body.tickets.find((t: { number: string }) => t.number === number);

describe('a ticket issued at the floor desk', () => {
  it('prints on the kiosk the staff member picked, and the desk learns that it printed', async () => {
    const before = branch.printer.tickets.length;
    const r = await floor.post('/api/v1/desk/tickets', {
      v: 1,
      serviceId: 'personal',
      class: 'priority',
      printAt: branch.agent.deviceId,
      lang: 'zh',
    });
    expect(r.status).toBe(200);
    const number = r.body.ticket.number as string;
    await expect
      .poll(() => branch.printer.tickets.length === before + 1, {
        timeout: 10_000,
        message: 'the kiosk printed',
      })
      .toBeTruthy();
    const paper = branch.printer.tickets.at(-1)!;
    expect(paper.cut).toBe(true);
    expect(paper.text).toContain(number);
    expect(paper.text).toContain('个人综合业务');
    await expect
      .poll(async () => (await deskTicket(number))?.prints[0]?.outcome === 'printed', {
        timeout: 10_000,
        message: 'reported',
      })
      .toBeTruthy();
    expect((await deskTicket(number)).prints[0]).toMatchObject({ deviceName: '大厅取号机', problem: null });
  });

  it('says why when the kiosk cannot print it (paper out), and prints it once the desk asks again', async () => {
    branch.printer.setStatus({ paperOut: true });
    await branch.agent.waitFor((s) => s.printer.problem?.code === 'PAPER_OUT', 10_000);
    const before = branch.printer.tickets.length;
    const r = await floor.post('/api/v1/desk/tickets', {
      v: 1,
      serviceId: 'wealth',
      class: 'vip',
      printAt: branch.agent.deviceId,
      lang: 'en',
    });
    const number = r.body.ticket.number as string;
    await expect
      .poll(async () => (await deskTicket(number))?.prints[0]?.outcome === 'failed', {
        timeout: 10_000,
        message: 'reported',
      })
      .toBeTruthy();
    expect((await deskTicket(number)).prints[0].problem).toBe('PAPER_OUT');
    expect(branch.printer.tickets.length).toBe(before);

    branch.printer.setStatus({ paperOut: false });
    await branch.agent.waitFor((s) => s.printer.problem === null, 10_000);
    const again = await floor.post(`/api/v1/desk/tickets/${r.body.ticket.id}/print`, {
      v: 1,
      printAt: branch.agent.deviceId,
      lang: 'en',
    });
    expect(again.status).toBe(200);
    await expect
      .poll(async () => (await deskTicket(number))?.prints[1]?.outcome === 'printed', {
        timeout: 10_000,
        message: 'printed',
      })
      .toBeTruthy();
    expect(branch.printer.tickets.at(-1)!.text).toContain(number);
  });
});
