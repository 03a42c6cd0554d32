/** Test support (`@nextup/display/testing`), for tests and benchmarks; never the agent's own code. */
import type { DisplayAgent } from './agent/display-agent.ts';

/** Resolves when the agent's boards and voice have nothing left to do. */
export async function settle(agent: DisplayAgent): Promise<void> {
  await agent.voice.idle();
  await agent.led.sync?.idle();
}
