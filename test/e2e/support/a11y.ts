/**
 * Accessibility audit for the browser tests: axe-core (node_modules/axe-core/axe.min.js) is
 * injected into a playwright page and run against the whole document with the WCAG 2.0/2.1
 * level A and AA rules.
 *
 *   const result = await auditPage(page, { exceptions });
 *   expect(result.blocking, formatViolations(result.blocking)).toEqual([]);
 *
 * With `bestPractice: true` axe's best-practice rules (landmarks, heading order, ...) run too;
 * they are returned apart and are not WCAG failures.
 *
 * An exception removes exactly one rule on exactly the nodes whose axe target matches its
 * selector (Ant Design internals we cannot change from our code); every other node of that rule
 * still counts.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface A11yViolation {
  rule: string;
  impact: Impact | null;
  help: string;
  helpUrl: string;
  /** axe's selector for each failing node (an iframe/shadow path joined with " >> "). */
  targets: string[];
  /** axe's explanation for the first node (e.g. the measured contrast). */
  summary: string;
  /** The explanation per node, in the order of `targets`. */
  summaries: string[];
}

export interface A11yException {
  rule: string;
  /** Matched against each failing node's target: a substring, or a pattern. */
  target: string | RegExp;
  why: string;
}

export interface A11yResult {
  url: string;
  /** Violations of the WCAG rules. */
  violations: A11yViolation[];
  /** Impact serious or critical: what the tests fail on. */
  blocking: A11yViolation[];
  /** Impact moderate or minor: listed in the report. */
  advisory: A11yViolation[];
  /** With `bestPractice`: axe's best-practice rules (landmarks, heading order), report only. */
  bestPractice: A11yViolation[];
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeRawViolation {
  id: string;
  tags: string[];
  impact: Impact | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

function targetText(target: unknown[]): string {
  return target.map((t) => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >> ');
}

function excepted(rule: string, target: string, exceptions: A11yException[]): boolean {
  return exceptions.some((e) => e.rule === rule && (typeof e.target === 'string' ? target.includes(e.target) : e.target.test(target)));
}

export async function auditPage(page: Page, options: { exceptions?: A11yException[]; bestPractice?: boolean } = {}): Promise<A11yResult> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE_PATH });
  const tags: string[] = [...WCAG_TAGS, ...(options.bestPractice ? ['best-practice'] : [])];
  // Runs in the page (a string, so this file needs no DOM types).
  const raw = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, tags: v.tags, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`)) as AxeRawViolation[];
  const exceptions = options.exceptions ?? [];
  const violations: A11yViolation[] = [];
  const bestPractice: A11yViolation[] = [];
  for (const v of raw) {
    const nodes = v.nodes.filter((n) => !excepted(v.id, targetText(n.target), exceptions));
    if (nodes.length === 0) continue;
    const summaries = nodes.map((n) => (n.failureSummary ?? '').split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim());
    const violation = { rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: nodes.map((n) => targetText(n.target)), summary: summaries[0] ?? '', summaries };
    (v.tags.some((t) => (WCAG_TAGS as readonly string[]).includes(t)) ? violations : bestPractice).push(violation);
  }
  const serious = (v: A11yViolation) => v.impact === 'serious' || v.impact === 'critical';
  return { url: page.url(), violations, blocking: violations.filter(serious), advisory: violations.filter((v) => !serious(v)), bestPractice };
}

/**
 * One readable block per violation: rule, impact, help, the failing nodes (at most 12), each with
 * its own explanation where it differs from the first (another colour pair, say).
 */
export function formatViolations(violations: A11yViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.targets.slice(0, 12).map((t, i) => {
        const own = v.summaries[i] && v.summaries[i] !== v.summary ? `  <- ${v.summaries[i]!.replace(/^Fix any of the following: /, '')}` : '';
        return `    - ${t}${own}`;
      });
      if (v.targets.length > 12) nodes.push(`    - ... and ${v.targets.length - 12} more`);
      return [`  [${v.impact ?? 'n/a'}] ${v.rule}: ${v.help} (${v.helpUrl})`, v.summary ? `    ${v.summary}` : '', ...nodes].filter(Boolean).join('\n');
    })
    .join('\n');
}
