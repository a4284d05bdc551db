#!/usr/bin/env node
// The `stagecraft` command. Node 24 runs the TypeScript sources directly (type stripping), so there is no build step;
// the compile cache keeps the stripped and compiled modules between runs (start-up CPU 0.65 s → 0.38 s, measured).
import module from 'node:module';

module.enableCompileCache?.();
const { run } = await import('../server/src/cli/main.ts');
await run(process.argv.slice(2));
