/** What a phone or desk scanner does to a page, for the browser tests. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/**
 * What a keyboard-wedge scanner does: types the code fast and presses Enter. A GS1 group separator
 * (\u001d) is sent as Ctrl+], which is how such scanners send it.
 */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  for (const part of text.split(/(\u001d)/)) {
    if (part === '\u001d') await page.keyboard.press('Control+BracketRight');
    else if (part) await page.keyboard.type(part);
  }
  await page.keyboard.press('Enter');
}

/** Types a quantity into the quantity step once it has the focus (a decimal keypad), then Enter. */
export async function typeQuantity(page: Page, qty: string): Promise<void> {
  await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('inputmode')")).toBe('decimal');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(qty);
  await page.keyboard.press('Enter');
}
