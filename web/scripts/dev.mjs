#!/usr/bin/env node
/**
 * `npm run dev`: the API server (PORT, default 8080) and Vite's dev server with hot reload
 * (WEB_PORT, default 5173) proxying /api to it. Open the Vite address; Ctrl+C stops both.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const port = process.env.PORT ?? '8080';
const env = { ...process.env, PORT: port, CANGKU_API: `http://${process.env.HOST ?? '127.0.0.1'}:${port}` };
const children = [
  spawn(process.execPath, [join(root, 'bin', 'cangku.js'), 'serve'], { cwd: root, env, stdio: 'inherit' }),
  spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', join(root, 'web', 'vite.config.ts')], { cwd: root, env, stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
};
for (const c of children) c.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
