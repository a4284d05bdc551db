// Writes the default stage gates as `sf data tree import` files (data/gates/), from the default playbook, so the
// package's gate records and the companion's playbook can never drift. Run: node scripts/gate-data.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_PLAYBOOK } from '../shared/src/playbook/default-playbook.ts';
import { gateDataTree } from '../server/src/crm/gate-data-tree.ts';

const dir = new URL('../data/gates/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
for (const [file, content] of Object.entries(gateDataTree(DEFAULT_PLAYBOOK))) writeFileSync(`${dir}${file}`, `${JSON.stringify(content, null, 2)}\n`);
console.log(`wrote ${dir}: import with \`sf data tree import --plan data/gates/gates-plan.json --target-org <alias>\``);
