import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Branch, startBranch } from './support.ts';

/**
 * Issue 15, defect 2, at the kiosk: its stream carries only the tickets it issued, yet its start
 * screen still follows the whole queue at once (every run of the log, even one with nothing for a
 * kiosk, makes it ask the hub for fresh offers).
 */
let branch: Branch;

beforeAll(async () => {
  branch = await startBranch();
});
afterAll(async () => {
  await branch?.close();
});

describe('a kiosk that reads only its own tickets', () => {
  it('shows other people’s tickets in its waiting counts within moments, and holds none of them', async () => {
    const cashWaiting = () => branch.agent.state.offers.find((o) => o.serviceId === 'cash')?.waiting;
    expect(cashWaiting()).toBe(0);
    // Let the refreshes of start-up (pairing, settings) finish first.
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 2; i++)
      await branch.admin.must({ type: 'IssueTicket', data: { serviceId: 'cash', class: 'normal' } });
    // The periodic refresh is 15 s away: this is the stream's doing.
    await branch.agent.waitFor(() => cashWaiting() === 2, 3000);
    const held = branch.agent.link!.view!.state.tickets;
    expect(Object.keys(held)).toEqual([]);
    const mine = await branch.agent.issue({ requestId: 'live-offers-0001', serviceId: 'cash', lang: 'zh' });
    expect(mine.ok).toBe(true);
    await branch.agent.waitFor(() => cashWaiting() === 3, 3000);
    expect(Object.values(branch.agent.link!.view!.state.tickets).map((t) => t.number)).toEqual(['A003']);
  });
});
