/**
 * The virtual LED bus as a process: `tsx packages/ledbus-twin/src/main.ts [--boards 1-5]
 * [--main 200] [--keypads 101-105] [--http PORT] [--dialect v1] [--pace]`. Prints the path a master
 * opens, then redraws what every board shows until Ctrl-C. `pnpm nextup led virtual` runs the same.
 */
import { parseArgs } from 'node:util';
import { runVirtualBusCommand } from './run.ts';

const { values } = parseArgs({
  options: {
    boards: { type: 'string' },
    main: { type: 'string' },
    keypads: { type: 'string' },
    http: { type: 'string' },
    dialect: { type: 'string' },
    pace: { type: 'boolean' },
  },
});
process.exitCode = await runVirtualBusCommand(values);
