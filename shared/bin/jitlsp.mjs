#!/usr/bin/env node
// The `jitlsp` command. The project runs its TypeScript through tsx (no separate emit step).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
