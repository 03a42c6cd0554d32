import { sampleBranchConfig } from '@nextup/core';
import type { CliArea } from '../lib/cli.ts';

/** `pnpm nextup domain sample-config`: the sample branch configuration every part starts from. */
export default {
  name: 'domain',
  summary: 'show the sample branch configuration (services, counters, dispatch policy)',
  async run(args) {
    if (args[0] !== 'sample-config') {
      process.stdout.write('usage: pnpm nextup domain sample-config\n');
      return args[0] === '--help' || args.length === 0 ? 0 : 2;
    }
    process.stdout.write(`${JSON.stringify(sampleBranchConfig(), null, 2)}\n`);
    return 0;
  },
} satisfies CliArea;
