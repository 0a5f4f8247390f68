import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
/** `npm run dev`: the API server runs on CANGKU_API (web/scripts/dev.mjs starts it), Vite proxies /api to it. */
const api = process.env.CANGKU_API ?? 'http://127.0.0.1:8080';

/**
 * Fills web/public/sw.js in with this build: its version (a hash of every file built, so any
 * change makes a new worker and a new cache) and the files to precache (index.html and the
 * content-hashed assets). Runs after the bundle is written, over the copy of public/sw.js.
 */
function serviceWorker(): Plugin {
  return {
    name: 'cangku:service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir ?? join(root, 'dist');
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map')).sort();
      const hash = createHash('sha256');
      for (const name of files) {
        const output = bundle[name]!;
        hash.update(name).update('\0').update(output.type === 'chunk' ? output.code : output.source).update('\0');
      }
      const template = readFileSync(join(root, 'public', 'sw.js'), 'utf8');
      hash.update(template);
      const build = hash.digest('hex').slice(0, 16);
      const precache = files.map((name) => `/${name}`);
      let filled = 0;
      const sw = template
        .replace(/^const BUILD = .*\/\/ cangku:build$/m, () => (filled++, `const BUILD = ${JSON.stringify(build)}; // cangku:build`))
        .replace(/^const PRECACHE = .*\/\/ cangku:precache$/m, () => (filled++, `const PRECACHE = ${JSON.stringify(precache)}; // cangku:precache`));
      if (filled !== 2) throw new Error('web/public/sw.js: the BUILD or PRECACHE line (marked // cangku:build, // cangku:precache) is missing');
      if (!precache.includes('/index.html')) throw new Error('the service worker precache has no /index.html');
      writeFileSync(join(outDir, 'sw.js'), sw);
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { '/api': { target: api, changeOrigin: false }, '/healthz': api },
  },
});
