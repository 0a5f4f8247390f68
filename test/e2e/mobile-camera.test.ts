import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bwipjs from 'bwip-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, startE2E, type E2E } from './support/browser.js';

/** png-js (pdfkit's PNG decoder) ships no types. */
type PngImage = { width: number; height: number; decode(cb: (pixels: Buffer) => void): void };
const PNG = createRequire(import.meta.url)('png-js') as new (data: Buffer) => PngImage;

/**
 * Camera scanning: Chromium's fake camera plays a video of a GS1 DataMatrix label (a Y4M file
 * made here from the bwip-js image the label PDFs use). Headless Chromium on Linux has no
 * BarcodeDetector, so this drives the zxing fallback of the camera scanner end to end.
 */
async function labelVideo(dir: string, bcid: string, text: string): Promise<string> {
  const png = await bwipjs.toBuffer({ bcid, text, scale: 8 } as Parameters<typeof bwipjs.toBuffer>[0]);
  const image = new PNG(png);
  const pixels = await new Promise<Buffer>((resolve) => image.decode(resolve));
  const [W, H] = [640, 480];
  const channels = pixels.length / (image.width * image.height);
  const y = Buffer.alloc(W * H, 235); // white paper
  const left = Math.floor((W - image.width) / 2);
  const top = Math.floor((H - image.height) / 2);
  for (let r = 0; r < image.height; r++) {
    for (let c = 0; c < image.width; c++) {
      const i = (r * image.width + c) * channels;
      const transparent = channels === 4 && pixels[i + 3]! < 128;
      y[(top + r) * W + left + c] = transparent ? 235 : pixels[i]! < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  const file = join(dir, 'label.y4m');
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]));
  return file;
}

describe('phone camera scanning', () => {
  let e2e: E2E;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    e2e = await startE2E();
    dir = mkdtempSync(join(tmpdir(), 'cangku-camera-'));
    await e2e.api('POST', '/items', { sku: 'BOLT-M8', name: 'Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    const video = await labelVideo(dir, 'gs1datamatrix', '(01)06901234567892(17)301231(10)L7');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await e2e?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a GS1 DataMatrix through the camera with the zxing decoder and looks the item up', async () => {
    const context = await browser.newContext({ baseURL: e2e.baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en' });
    await context.grantPermissions(['camera'], { origin: e2e.baseUrl });
    await context.addInitScript("localStorage.setItem('cangku.locale', 'en')");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await e2e.login(page, { path: '/m/lookup' });
    await page.goto('/m/lookup');
    await page.getByTestId('camera-button').tap();
    await expect.poll(() => page.getByTestId('camera-scanner').getAttribute('data-engine'), { timeout: 15_000 }).toBe('zxing');
    await expect.poll(() => page.getByTestId('lookup-sku').textContent().catch(() => null), { timeout: 30_000 }).toBe('BOLT-M8');
    expect(await page.getByTestId('lookup-item').textContent()).toContain('L7');
    await e2e.screenshot(page, 'mobile-camera-lookup');
    expect(errors).toEqual([]);
    await context.close();
  });
});
