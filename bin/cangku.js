#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx); no build step between a checkout and a running server.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
await import(fileURLToPath(new URL('../src/cli.ts', import.meta.url)));
