import { test, expect, Page } from '@playwright/test';

/**
 * Fails the calling spec's tests on any console error, uncaught exception (hydration mismatch,
 * CSP violation, panic) or failed sub-resource (script, style, wasm, icon). Pages answered
 * 401/404/422 on purpose are documents, checked by the tests themselves.
 */
export function failOnPageProblems() {
  let problems: string[] = [];
  test.beforeEach(async ({ page }) => {
    problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${m.text()}`);
      }
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document' && r.request().resourceType() !== 'fetch') {
        problems.push(`${r.status()} ${r.request().resourceType()} ${r.url()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  });
  test.afterEach(() => {
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

export const unique = () => Math.random().toString(36).slice(2, 8);

/** Waits until the WASM has hydrated the page. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__aduan_hydrated === true, null, { timeout: 30_000 });
}
