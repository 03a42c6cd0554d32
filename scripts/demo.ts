/**
 * `pnpm start`: the demo branch. It grows as each part lands; today only the queue domain exists,
 * so it says so and shows the sample branch that every part will start from.
 */
import { sampleBranchConfig } from '@nextup/core';

const config = sampleBranchConfig();
process.stdout.write('Nextup demo branch\n');
process.stdout.write('  started: nothing yet: the hub, kiosk, display and virtual devices have not landed\n');
process.stdout.write(
  `  sample branch: ${config.branch.name.zh} / ${config.branch.name.en} (${config.branch.timeZone})\n`,
);
for (const id of config.serviceOrder) {
  const s = config.services[id]!;
  process.stdout.write(`    ${s.prefix}  ${s.name.zh} / ${s.name.en}, ~${s.expectedMinutes} min\n`);
}
for (const id of config.counterOrder) {
  const c = config.counters[id]!;
  process.stdout.write(`    counter ${c.number}: ${c.services.join(' > ')}\n`);
}
