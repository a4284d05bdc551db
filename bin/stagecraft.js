#!/usr/bin/env node
// The `stagecraft` command. Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
import { run } from '../server/src/cli/main.ts';

await run(process.argv.slice(2));
