import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';

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

// ---------------------------------------------------------------------------------------------
// Actions without a page load (the hydrated path of typed actions).

/** Marks the current document, to prove later that no navigation replaced it. */
export async function markDocument(page: Page): Promise<number> {
  const mark = Math.random();
  await page.evaluate((m) => { (window as any).__aduan_mark = m; }, mark);
  return mark;
}

export async function expectSameDocument(page: Page, mark: number) {
  expect(await page.evaluate(() => (window as any).__aduan_mark)).toBe(mark);
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
}

/** Holds every action's server-function request until the returned function is called. */
export async function holdActions(page: Page): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  await page.route('**/api/act/**', async (route) => {
    await gate;
    await route.continue();
  });
  return () => {
    release();
  };
}

// ---------------------------------------------------------------------------------------------
// Staff accounts, made with the real `aduan user add` command on the e2e database file.

const repo = path.resolve(__dirname, '../..');
const db = process.env.ADUAN_E2E_DB ?? '/tmp/aduan-e2e.db';
export const PASSWORD = 'kata sandi e2e 2026';

export function addUser(email: string, role: string, agency?: string) {
  const args = ['user', 'add', '--email', email, '--role', role];
  if (agency) args.push('--agency', agency);
  execFileSync(path.join(repo, 'target/release/aduan'), args, {
    cwd: repo,
    input: `${PASSWORD}\n`,
    env: {
      ...process.env,
      ADUAN_DATABASE_URL: process.env.ADUAN_E2E_DATABASE_URL ?? `sqlite://${db}?mode=rwc`,
      RUST_LOG: 'error',
    },
  });
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret. */
export function totp(secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const off = h[h.length - 1] & 0xf;
  const n = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

export async function signIn(page: Page, email: string) {
  await page.goto('/masuk');
  await page.getByLabel('Email atau nomor HP').fill(email);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
}

/** First sign-in of a role that must use two-factor: set it up and go on to the work list. */
export async function signInWithNewTotp(page: Page, email: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/akun\/2fa(#[\w-]+)?$/);
  const secret = (await page.getByTestId('totp-secret').textContent())!;
  await page.getByLabel('Kode verifikasi').fill(totp(secret));
  await page.getByRole('button', { name: 'Aktifkan' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();
  await page.getByRole('link', { name: 'Lanjut ke daftar kerja' }).click();
  await expect(page).toHaveURL(/\/staf(#[\w-]+)?$/);
}
