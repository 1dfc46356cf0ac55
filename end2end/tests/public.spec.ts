import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { failOnPageProblems, unique, waitForHydration, addUser, signInWithNewTotp } from './helpers';

// Transparency in Chromium against the real binary: a report goes public when the verifier
// dispatches it (personal data masked), anyone finds it by searching and filtering, and the
// statistics page works with and without JavaScript.

failOnPageProblems();

const PUPR = '· Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat';
const DESKTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };

/** Submits a report on the phone with a phone number in its text; returns nothing (the
 * verifier finds it by title). */
async function submit(page: Page, title: string) {
  await page.goto('/lapor');
  await page.getByLabel('Pengaduan').check();
  await page.getByLabel('Judul laporan').fill(title);
  await page
    .getByLabel('Isi laporan')
    .fill('Lampu penerangan di jalan poros padam sejak dua minggu. Hubungi saya di 0812-3456-7890 bila perlu.');
  await page.getByLabel(/Kategori/).selectOption({ label: 'Perhubungan dan transportasi' });
  await page.getByLabel(/Provinsi/).selectOption('76');
  await page.getByLabel(/Kabupaten\/kota/).selectOption('76.04');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
}

/** A verifier checks the proposed public version and dispatches the report to Dinas PUPR. */
async function dispatchAsVerifier(browser: Browser, title: string) {
  const email = `verifikator-pub-${unique()}@uji.example.org`;
  addUser(email, 'verifier', 'PROV-76');
  const ctx = await browser.newContext(DESKTOP);
  const v = await ctx.newPage();
  await signInWithNewTotp(v, email);
  await v.goto(`/staf?q=${encodeURIComponent(title)}`);
  await v.getByRole('link', { name: title }).click();
  // The phone number is found and masked in the proposal before anything goes public.
  const panel = v.getByTestId('public-version');
  await expect(panel.getByTestId('pii-found')).toContainText('0812-3456-7890');
  await expect(panel.getByLabel('Isi publik')).toHaveValue(/\[telepon\]/);
  const dispatch = v.getByTestId('command-dispatch');
  await dispatch.getByLabel('Instansi').selectOption({ label: PUPR });
  await dispatch.getByRole('button', { name: 'Teruskan ke instansi' }).click();
  await expect(v.getByTestId('status')).toHaveText('Diteruskan ke instansi');
  await ctx.close();
}

test('public list → search and filter → report page, personal data masked', async ({ page, browser }) => {
  const word = `lampuuji${unique()}`;
  const title = `Lampu jalan padam ${word}`;
  await submit(page, title);
  // Not public before verification.
  await page.goto(`/laporan?q=${word}`);
  await expect(page.getByTestId('no-results')).toBeVisible();

  await dispatchAsVerifier(browser, title);

  await page.goto('/laporan');
  await waitForHydration(page);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
  const filters = page.getByTestId('public-filters');
  await filters.getByLabel('Cari').fill(`${word} penerangan`);
  // On a phone the other filters are folded until asked for.
  await filters.getByText('Saringan lainnya').click();
  await filters.getByLabel('Instansi').selectOption({ label: PUPR });
  await filters.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/instansi=3/);
  const row = page.getByTestId('public-row');
  await expect(row).toHaveCount(1);
  // The searched words are highlighted, affixes tolerated ("penerangan" in the text).
  await expect(row.locator('mark').first()).toHaveText(word);
  await expect(row.locator('mark', { hasText: 'penerangan' })).toHaveCount(1);
  await expect(row).not.toContainText('0812');

  // Another agency: nothing.
  await filters.getByLabel('Instansi').selectOption({ label: '· Dinas Kesehatan Provinsi Sulawesi Barat' });
  await filters.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page.getByTestId('no-results')).toBeVisible();

  // Back to PUPR, open the report.
  await page.goto(`/laporan?q=${word}`);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('public-title')).toHaveText(title);
  await expect(page.getByTestId('public-text')).toContainText('[telepon]');
  await expect(page.getByTestId('public-text')).not.toContainText('0812');
  await expect(page.getByTestId('public-meta')).toContainText('Dinas Pekerjaan Umum');
  await waitForHydration(page);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('statistics with charts and drill-down; the public list filters', async ({ page }) => {
    await page.goto('/statistik?instansi=3');
    await expect(page.getByRole('heading', { name: 'Statistik kinerja instansi' })).toBeVisible();
    await expect(page.getByTestId('figures')).toContainText('Diterima');
    // A phone gets the ranking as cards (the ten-column table is for wider screens).
    await expect(page.getByTestId('ranking-cards')).toBeVisible();
    // Each chart is an SVG image the server draws.
    const charts = page.locator('figure img');
    await expect(charts).toHaveCount(4);
    for (let i = 0; i < 4; i++) {
      const res = await page.request.get((await charts.nth(i).getAttribute('src'))!);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('image/svg+xml');
    }
    // The month filter is a plain GET form.
    await page.getByLabel('Dari bulan').fill('2026-01');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect(page).toHaveURL(/dari=2026-01/);
    // Drill-down: the reports behind "received".
    await page.getByRole('link', { name: /lihat laporan: Diterima/ }).click();
    await expect(page.getByTestId('drill-down')).toContainText('diterima');
    // CSV of the ranking.
    await page.goto('/statistik?instansi=1');
    const csv = await page.request.get('/statistik/peringkat.csv?instansi=1');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain('76-PUPR');
  });
});

test('the statistics page has no accessibility violations', async ({ page }) => {
  await page.goto('/statistik');
  await waitForHydration(page);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});
