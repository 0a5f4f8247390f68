/**
 * Registers the service worker (web/public/sw.js, filled in by `vite build`) that keeps the app
 * shell offline. Built apps only (`vite build`, mode production): in `npm run dev` a worker would
 * serve stale modules over hot reload, so one left over from a build served on the same address is
 * removed instead. The mode, not import.meta.env.PROD: that follows NODE_ENV, and the e2e tests
 * build under NODE_ENV=test (React's development build, for its warnings) yet need the worker.
 * Browsers allow service workers on secure contexts only (https, or localhost / 127.0.0.1).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  if (import.meta.env.MODE !== 'production') {
    void navigator.serviceWorker.getRegistrations().then(
      (registrations) => registrations.forEach((r) => void r.unregister()),
      () => undefined,
    );
    return;
  }
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch((error: unknown) => {
      // Not fatal (e.g. storage disabled, private mode): the app works online, only without its offline shell.
      console.warn('service worker not registered:', (error as Error).message);
    });
  // After the page's own loading, so precaching does not compete with it.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
