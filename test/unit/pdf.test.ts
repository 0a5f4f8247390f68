import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/print/pdf.js';

describe('printable documents', () => {
  it('renders a PDF with Chinese text and many lines over several pages', async () => {
    const pdf = await renderPdf({
      title: '采购订单 Purchase order',
      number: 'PO-000001',
      fields: [['供应商 Supplier', '上海螺丝有限公司'], ['仓库 Warehouse', 'WH1']],
      columns: [{ header: '#', width: 1 }, { header: '物料 Item', width: 5 }, { header: '数量 Qty', width: 2, align: 'right' }],
      rows: Array.from({ length: 80 }, (_, i) => [String(i + 1), `螺丝 M${i}`, String(i * 10)]),
      footer: ['签字 Signature: ________'],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThan(1);
    expect(text).toContain('NotoSansSC');
  });
});
