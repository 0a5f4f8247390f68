#!/usr/bin/env node
/**
 * Builds the web app (vite build) when web/dist is missing or older than any source file, so
 * `npm start` and the e2e tests always serve what is in the checkout. `--force` always builds.
 */
import { copyFileSync, utimesSync, existsSync, readdirSync, renameSync, statSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(web);
const dist = join(web, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function webBuildIsStale() {
  if (!existsSync(dist)) return true;
  const built = statSync(dist).mtimeMs;
  const sources = [join(web, 'src'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'package-lock.json')].filter(existsSync);
  return sources.some((p) => newest(p) > built);
}

/** Build unless up to date; a lock directory keeps two processes from building at once. */
export function buildWebIfStale({ force = false, quiet = false } = {}) {
  if (!force && !webBuildIsStale()) return false;
  const lock = join(web, '.build-lock');
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 300_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      if (!force && !webBuildIsStale()) return false; // someone else just built it
    }
  }
  try {
    if (!quiet) console.log('building the web app (vite build)…');
    // Build beside web/dist and swap it in: a server running meanwhile never sees a half-built
    // directory, and pages it served earlier still find their (content-hashed) chunks, which are
    // kept for an hour.
    const outDir = join(web, `dist.building-${process.pid}`);
    rmSync(outDir, { recursive: true, force: true });
    const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(web, 'vite.config.ts'), '--outDir', outDir, ...(quiet ? ['--logLevel', 'warn'] : [])], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) {
      rmSync(outDir, { recursive: true, force: true });
      throw new Error(`vite build failed (exit ${result.status})`);
    }
    const current = join(web, 'dist');
    const oldAssets = join(current, 'assets');
    if (existsSync(oldAssets)) {
      mkdirSync(join(outDir, 'assets'), { recursive: true });
      for (const name of readdirSync(oldAssets)) {
        const from = join(oldAssets, name);
        const to = join(outDir, 'assets', name);
        const { atime, mtime } = statSync(from);
        if (existsSync(to) || Date.now() - mtime.getTime() > 3_600_000) continue;
        copyFileSync(from, to);
        utimesSync(to, atime, mtime); // keeps its age, so it goes after its hour

      }
    }
    const retired = join(web, `dist.old-${process.pid}`);
    if (existsSync(current)) renameSync(current, retired);
    renameSync(outDir, current);
    rmSync(retired, { recursive: true, force: true });
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildWebIfStale({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
