import { describe, expect, it } from 'vitest';
import { GS, Gs1Error, gs1CheckDigit, gs1Date, gtinForms, hasValidCheckDigit, parseGs1, toGtin14, toHumanReadable } from '../../web/src/scan/gs1.js';
import { interpretScan } from '../../web/src/scan/interpret.js';

/**
 * GS1 element strings from the GS1 General Specifications and GS1 application guidelines
 * (GTIN 09501101530003, 95012345678903, 10614141000415; SSCC 006141411234567890, 376104250021234569;
 * content GTIN 05412345000013), in every form a scanner or a person sends them.
 */
const today = new Date('2026-11-27T06:00:00Z');
const parse = (s: string, separators?: string[]) => parseGs1(s, { today, ...(separators ? { separators } : {}) });
const failure = (s: string): Gs1Error => {
  try {
    parse(s);
  } catch (e) {
    if (e instanceof Gs1Error) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${JSON.stringify(s)}`);
};

describe('GS1 check digits', () => {
  it('computes the mod-10 check digit of GTINs and SSCCs', () => {
    expect(gs1CheckDigit('0950110153000')).toBe(3);
    expect(gs1CheckDigit('9501234567890')).toBe(3);
    expect(gs1CheckDigit('00614141123456789')).toBe(0);
    expect(gs1CheckDigit('4012345')).toBe(5); // GTIN-8 40123455
    expect(hasValidCheckDigit('09501101530003')).toBe(true);
    expect(hasValidCheckDigit('09501101530004')).toBe(false);
  });

  it('normalizes GTIN-8/12/13/14 to 14 digits and back', () => {
    expect(toGtin14('40123455')).toBe('00000040123455');
    expect(toGtin14('6901234567892')).toBe('06901234567892');
    expect(toGtin14('012345678905')).toBe('00012345678905');
    expect(toGtin14('6901234567893')).toBeUndefined(); // wrong check digit
    expect(toGtin14('BOLT-M8')).toBeUndefined();
    expect(gtinForms('06901234567892')).toEqual(['06901234567892', '6901234567892']);
    expect(gtinForms('00000040123455')).toEqual(['00000040123455', '0000040123455', '000040123455', '40123455']);
    expect(gtinForms('95012345678903')).toEqual(['95012345678903']);
  });
});

describe('GS1 element strings', () => {
  it('parses the human-readable form of the GS1 DataMatrix example: GTIN, expiry, lot', () => {
    const data = parse('(01)09501101530003(17)140704(10)AB-123');
    expect(data).toMatchObject({ symbology: 'human-readable', gtin: '09501101530003', expiry: '2014-07-04', lot: 'AB-123' });
    expect(data.elements.map((e) => e.ai)).toEqual(['01', '17', '10']);
    expect(toHumanReadable(data.elements)).toBe('(01)09501101530003(17)140704(10)AB-123');
  });

  it('parses GS1 DataMatrix (]d2) with GS between variable-length elements', () => {
    const data = parse(']d2' + '0109501101530003' + '17140704' + '10AB-123' + GS + '21SN0001');
    expect(data).toMatchObject({ symbology: 'gs1-datamatrix', gtin: '09501101530003', expiry: '2014-07-04', lot: 'AB-123', serial: 'SN0001' });
  });

  it('needs no separator after predefined-length AIs (01, 17) and tolerates one', () => {
    const withGs = parse(`]d201${'09501101530003'}${GS}17140704${GS}10AB-123`);
    const without = parse(']d2010950110153000317140704' + '10AB-123');
    expect(withGs.lot).toBe('AB-123');
    expect(without).toEqual(withGs);
  });

  it('parses GS1-128 (]C1) with the SSCC of a logistic unit, content and count', () => {
    expect(parse(']C100006141411234567890')).toMatchObject({ symbology: 'gs1-128', sscc: '006141411234567890' });
    const pallet = parse(`]C100376104250021234569020541234500001337${'24'}`);
    expect(pallet).toMatchObject({ sscc: '376104250021234569', content: '05412345000013', count: 24 });
  });

  it('parses GS1 QR Code (]Q3) and a leading FNC1 sent as GS', () => {
    expect(parse(`]Q3${'0195012345678903'}3103000123`)).toMatchObject({ symbology: 'gs1-qr', gtin: '95012345678903', netWeightKg: '0.123' });
    expect(parse(`${GS}0110614141000415${'10'}LOT7${GS}3103001250`)).toMatchObject({ symbology: 'unknown', gtin: '10614141000415', lot: 'LOT7', netWeightKg: '1.250' });
  });

  it('places the decimal point of 310n and 320n weights exactly', () => {
    const el = (s: string) => parse(s).elements[0]!;
    expect(el('(3100)000042')).toMatchObject({ value: '42', unit: 'kg' });
    expect(el('(3103)001250')).toMatchObject({ value: '1.250', unit: 'kg' });
    expect(el('(3105)012345')).toMatchObject({ value: '0.12345', unit: 'kg' });
    expect(el('(3202)001250')).toMatchObject({ value: '12.50', unit: 'lb', title: 'NET WEIGHT (lb)' });
    expect(parse('(01)95012345678903(3202)001250').netWeightLb).toBe('12.50');
  });

  it('reads 30 and 37 counts and the 11/13/15 dates', () => {
    expect(parse('(30)100').count).toBe(100);
    expect(parse('(02)05412345000013(37)0024').count).toBe(24);
    const dates = parse('(01)09501101530003(11)260315(13)260316(15)270101(17)270201');
    expect(dates).toMatchObject({ productionDate: '2026-03-15', packDate: '2026-03-16', bestBefore: '2027-01-01', expiry: '2027-02-01' });
  });

  it('reads day 00 as the last day of the month, leap years included', () => {
    expect(parse('(17)250200').expiry).toBe('2025-02-28');
    expect(parse('(17)240200').expiry).toBe('2024-02-29');
    expect(parse('(17)261100').elements[0]).toMatchObject({ value: '2026-11-30', dayOmitted: true, raw: '261100' });
    expect(parse('(15)270400').bestBefore).toBe('2027-04-30');
  });

  it('chooses the century of YY dates by the GS1 rule (up to 50 years ahead, else the past)', () => {
    expect(gs1Date('761231', today).date).toBe('2076-12-31'); // 50 ahead: this century
    expect(gs1Date('770101', today).date).toBe('1977-01-01'); // 51 ahead: previous century
    expect(gs1Date('990101', today).date).toBe('1999-01-01');
    expect(gs1Date('250101', new Date('2075-06-01T00:00:00Z')).date).toBe('2125-01-01'); // 50 behind: next century
    expect(gs1Date('260101', new Date('2075-06-01T00:00:00Z')).date).toBe('2026-01-01');
  });

  it('accepts the ␝ symbol and a configured separator for FNC1', () => {
    expect(parse('0109501101530003' + '10AB-123\u241d21X9').serial).toBe('X9');
    expect(parse('0109501101530003' + '10AB-123|21X9', ['|']).serial).toBe('X9');
  });

  it('keeps a lot with parentheses in the bracketed form when they do not name a known AI', () => {
    expect(parse('(01)09501101530003(10)A(1)B').lot).toBe('A(1)B');
  });
});

describe('GS1 errors', () => {
  it('refuses bad check digits on GTIN and SSCC', () => {
    expect(failure('(01)09501101530004')).toMatchObject({ code: 'check-digit', ai: '01' });
    expect(failure(']C100006141411234567891')).toMatchObject({ code: 'check-digit', ai: '00' });
    expect(failure('(01)09501101530004').message).toContain('should be 3');
  });

  it('refuses unknown AIs, in both forms, and measures with more than 5 decimals', () => {
    expect(failure('(23)1234')).toMatchObject({ code: 'unknown-ai' });
    expect(failure(`]C10109501101530003${'23'}12345`)).toMatchObject({ code: 'unknown-ai', position: 16 });
    expect(failure('(3106)000001')).toMatchObject({ code: 'unknown-ai' });
  });

  it('refuses impossible dates', () => {
    expect(failure('(17)251332')).toMatchObject({ code: 'date', ai: '17' });
    expect(failure('(17)250230')).toMatchObject({ code: 'date', ai: '17' });
    expect(failure('(11)2503')).toMatchObject({ code: 'length', ai: '11' });
  });

  it('refuses wrong lengths, non-digits and characters outside the GS1 set', () => {
    expect(failure('(01)0950110153000')).toMatchObject({ code: 'length', ai: '01' });
    expect(failure(']C1010950110153')).toMatchObject({ code: 'length', ai: '01' });
    expect(failure(`]C101095011015${GS}0003`)).toMatchObject({ code: 'length', ai: '01' });
    expect(failure('(10)' + 'A'.repeat(21))).toMatchObject({ code: 'length', ai: '10' });
    expect(failure('(37)12a')).toMatchObject({ code: 'format', ai: '37' });
    expect(failure('(10)AB 123')).toMatchObject({ code: 'charset', ai: '10' });
    expect(failure('(10)批号1')).toMatchObject({ code: 'charset', ai: '10' });
    expect(failure('(10)')).toMatchObject({ code: 'length', ai: '10' });
  });

  it('refuses contradictions, non-GS1 symbologies and empty input', () => {
    expect(failure('(10)A(10)B')).toMatchObject({ code: 'format', ai: '10' });
    expect(failure(']C0BOLT')).toMatchObject({ code: 'not-gs1' });
    expect(failure('   ')).toMatchObject({ code: 'empty' });
    expect(failure('AB(01)09501101530003')).toMatchObject({ code: 'format' });
  });
});

describe('interpreting a scan', () => {
  it('treats symbology ids, GS and brackets as GS1 and offers the GTIN forms for the item lookup', () => {
    const scan = interpretScan('(01)06901234567892(10)L7(17)271231', { today });
    expect(scan.kind).toBe('gs1');
    if (scan.kind !== 'gs1') return;
    expect(scan.data).toMatchObject({ gtin: '06901234567892', lot: 'L7', expiry: '2027-12-31' });
    expect(scan.itemCodes).toEqual(['06901234567892', '6901234567892']);
  });

  it('reads the SKU of Cangku lot labels from AI 240', () => {
    const scan = interpretScan(']C1240BOLT-M8' + GS + '10L1', { today });
    expect(scan).toMatchObject({ kind: 'gs1', itemCodes: ['BOLT-M8'], data: { lot: 'L1' } });
  });

  it('keeps SKUs, location codes and EAN-13 barcodes plain', () => {
    expect(interpretScan('BOLT-M8\n')).toMatchObject({ kind: 'plain', code: 'BOLT-M8', itemCodes: ['BOLT-M8'] });
    expect(interpretScan('WH1/Stock/A/A-01')).toMatchObject({ kind: 'plain', code: 'WH1/Stock/A/A-01' });
    const ean = interpretScan(']E06901234567892');
    expect(ean).toMatchObject({ kind: 'plain', code: '6901234567892', gtin: '06901234567892' });
    expect(ean.kind === 'plain' && ean.itemCodes).toEqual(['6901234567892', '06901234567892']);
  });

  it('recognizes GS1 data whose symbology id the scanner dropped, but not a long plain number', () => {
    expect(interpretScan('010950110153000317140704', { today })).toMatchObject({ kind: 'gs1', data: { gtin: '09501101530003', expiry: '2014-07-04' } });
    expect(interpretScan('0123456789012345678')).toMatchObject({ kind: 'plain', code: '0123456789012345678' });
  });

  it('reports a GS1 error instead of guessing', () => {
    expect(interpretScan(']d20109501101530004')).toMatchObject({ kind: 'error', error: { code: 'check-digit' } });
    expect(interpretScan('')).toMatchObject({ kind: 'error', error: { code: 'empty' } });
  });
});
