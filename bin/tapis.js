#!/usr/bin/env node
// The `tapis` command. It runs the TypeScript sources directly through tsx, so that
// `npx tapis …` works right after `npm install` with no build step (see
// docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
