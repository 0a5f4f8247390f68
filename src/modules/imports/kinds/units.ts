/**
 * Units an item import accepts without being told: common units in English and Chinese. A
 * company's own units are accepted once any item uses them, and more can be named per import
 * (`units=`); anything else is reported as an unknown unit, which catches typos (pcs / psc).
 */
export const KNOWN_UNITS = [
  'pcs', 'pc', 'ea', 'each', 'unit', 'set', 'pair', 'dozen', 'box', 'carton', 'ctn', 'case', 'pack', 'pkg', 'bag', 'roll', 'sheet',
  'bottle', 'can', 'drum', 'pallet', 'kg', 'g', 'mg', 't', 'lb', 'oz', 'l', 'ml', 'm', 'cm', 'mm', 'km', 'm2', 'm3', 'ft', 'in',
  'yd', 'gal', 'h', 'day',
  '个', '件', '只', '支', '根', '条', '张', '片', '块', '台', '套', '双', '对', '箱', '盒', '包', '袋', '卷', '瓶', '罐', '桶',
  '吨', '千克', '公斤', '克', '斤', '升', '毫升', '米', '厘米', '毫米', '平方米', '立方米', '把', '本', '组', '批', '粒', '枚', '副',
];

/** Units by their case-folded spelling; the first spelling registered is the one kept. */
export class UnitList {
  private readonly units = new Map<string, string>();
  constructor(...lists: Iterable<string>[]) {
    for (const list of lists) for (const unit of list) this.add(unit);
  }
  add(unit: string): void {
    const key = unit.toLowerCase();
    if (!this.units.has(key)) this.units.set(key, unit);
  }
  /** The registered spelling of a unit (PCS -> pcs), or undefined when unknown. */
  canonical(unit: string): string | undefined {
    return this.units.get(unit.toLowerCase());
  }
}
