import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import zxing from '@zxing/library';
import { itemLabel, locationLabel, lotLabel, type LabelContent, type Symbology } from '../../src/modules/labels/content.js';
import { barcodePng } from '../../src/modules/labels/render.js';
import { interpretScan } from '../../web/src/scan/interpret.js';

/** png-js (pdfkit's PNG decoder) ships no types. */
type PngImage = { width: number; height: number; decode(cb: (pixels: Buffer) => void): void };
const PNG = createRequire(import.meta.url)('png-js') as new (data: Buffer) => PngImage;

/**
 * Round trip of every kind of label: the barcode image the label PDF embeds (bwip-js), decoded by
 * the zxing JS decoder the phone uses when it has no BarcodeDetector, then read by the phone's
 * scan interpreter: the fields come back.
 */
const { BinaryBitmap, HybridBinarizer, RGBLuminanceSource, MultiFormatReader, DecodeHintType, BarcodeFormat } = zxing;
const FORMAT: Record<Symbology, number> = { code128: BarcodeFormat.CODE_128, qr: BarcodeFormat.QR_CODE, datamatrix: BarcodeFormat.DATA_MATRIX };

async function decode(content: LabelContent, symbology: Symbology): Promise<string> {
  const png = await barcodePng(content, symbology, 'x');
  const image = new PNG(png);
  const pixels = await new Promise<Buffer>((resolve) => image.decode(resolve));
  const { width, height } = image;
  const channels = pixels.length / (width * height);
  // bwip-js draws on a transparent background: transparent is white paper.
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++) luminance[i] = channels === 4 && pixels[i * 4 + 3]! < 128 ? 255 : pixels[i * channels]!;
  // A quiet zone around the symbol, as on a printed label.
  const pad = 40;
  const padded = new Uint8ClampedArray((width + 2 * pad) * (height + 2 * pad)).fill(255);
  for (let y = 0; y < height; y++) padded.set(luminance.subarray(y * width, (y + 1) * width), (y + pad) * (width + 2 * pad) + pad);
  const hints = new Map<number, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [FORMAT[symbology]]], [DecodeHintType.ASSUME_GS1, true], [DecodeHintType.TRY_HARDER, true]]);
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(padded, width + 2 * pad, height + 2 * pad)));
  return new MultiFormatReader().decode(bitmap, hints as Map<never, unknown>).getText();
}

const today = new Date('2026-11-27T00:00:00Z');
const milk = { sku: 'MILK', name: '牛奶', unit: 'L', barcode: null, category: null, tracking: 'lot' as const };
const bolt = { sku: 'BOLT-M8', name: '螺丝', unit: 'pcs', barcode: '6901234567892', category: null, tracking: 'lot' as const };

describe.each(['code128', 'qr', 'datamatrix'] as const)('label barcodes read back by the phone (%s)', (symbology) => {
  it('item with a GTIN: GS1 (01), found by its EAN-13', async () => {
    const scan = interpretScan(await decode(itemLabel(bolt), symbology), { today });
    expect(scan).toMatchObject({ kind: 'gs1', data: { gtin: '06901234567892' } });
    expect(scan.kind === 'gs1' && scan.itemCodes).toContain('6901234567892');
  });

  it('item without a GTIN: its SKU', async () => {
    expect(interpretScan(await decode(itemLabel(milk), symbology))).toMatchObject({ kind: 'plain', code: 'MILK' });
  });

  it('bin: its full location code', async () => {
    const content = locationLabel({ code: 'WH1/Stock/A/A-01', name: 'A-01', kind: 'bin', warehouseCode: 'WH1', warehouseName: 'Main' });
    expect(interpretScan(await decode(content, symbology))).toMatchObject({ kind: 'plain', code: 'WH1/Stock/A/A-01' });
  });

  it('lot with and without a GTIN: item, expiry and lot in one scan', async () => {
    const withGtin = interpretScan(await decode(lotLabel({ code: 'L7', expiresOn: '2030-12-31', item: bolt }, today), symbology), { today });
    expect(withGtin).toMatchObject({ kind: 'gs1', data: { gtin: '06901234567892', lot: 'L7', expiry: '2030-12-31' } });
    const internal = interpretScan(await decode(lotLabel({ code: 'L-9', expiresOn: '2027-02-28', item: milk }, today), symbology), { today });
    expect(internal).toMatchObject({ kind: 'gs1', itemCodes: ['MILK'], data: { lot: 'L-9', expiry: '2027-02-28' } });
  });
});
