import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addUser, failOnPageProblems, signIn, unique, waitForHydration } from './helpers';

// A citizen on a weak signal: drafts that survive, reports that wait on the phone and go when
// the connection returns (once), and a bundle a phone downloads once.

failOnPageProblems();

async function typeReport(page: Page, title: string) {
  await page.getByLabel('Pengaduan').check();
  await page.getByLabel('Judul laporan').fill(title);
  await page.getByLabel('Isi laporan').fill(
    'Saluran air di depan puskesmas tersumbat sampah sehingga jalan tergenang setiap kali hujan turun.',
  );
  await page.getByLabel(/Provinsi/).selectOption('76');
  await page.getByLabel(/Kabupaten\/kota/).selectOption('76.04');
}

/** Until the service worker controls the page (it claims pages as soon as it is active). */
async function serviceWorkerControls(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

test('what was typed survives a reload, until it is discarded', async ({ page }) => {
  const title = `Saluran tersumbat ${unique()}`;
  // Reached the usual way: the home page, then the form (the app moves without a page load).
  await page.goto('/');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Buat laporan' }).first().click();
  await expect(page).toHaveURL(/\/lapor$/);
  await typeReport(page, title);
  await page.getByLabel('Anonim').check();
  // Kept as it is typed (a moment after the last key).
  await page.waitForFunction((t) => (localStorage.getItem('aduan.draft.v1') ?? '').includes(t), title);

  await page.reload();
  await expect(page.getByTestId('draft-restored')).toContainText('Draf laporan Anda dipulihkan dari ponsel ini');
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);
  await expect(page.getByLabel('Isi laporan')).toHaveValue(/Saluran air di depan puskesmas/);
  await expect(page.getByLabel('Pengaduan')).toBeChecked();
  await expect(page.getByLabel('Anonim')).toBeChecked();
  await expect(page.getByLabel(/Kabupaten\/kota/)).toHaveValue('76.04');
  // The restored text is what the interactive form sees too: its checks pass on it.
  await waitForHydration(page);
  await page.getByLabel('Judul laporan').focus();
  await page.getByLabel('Judul laporan').blur();
  await expect(page.locator('#error-summary')).toHaveCount(0);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  // Away to another page and back, without page loads: the notice goes with the form, and the
  // draft comes back with it.
  await page.getByRole('link', { name: 'Lacak laporan' }).first().click();
  await expect(page).toHaveURL(/\/lacak$/);
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await page.getByRole('link', { name: 'Buat laporan' }).first().click();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);

  await page.getByRole('button', { name: 'Buang draf' }).click();
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await expect(page.getByLabel('Anonim')).not.toBeChecked();
  await page.reload();
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});

test('a restored draft is sent as it is, and is done once its report is received', async ({ page }) => {
  const title = `Saluran tersumbat ${unique()}`;
  await page.goto('/lapor');
  await waitForHydration(page);
  await typeReport(page, title);
  await page.waitForFunction((t) => (localStorage.getItem('aduan.draft.v1') ?? '').includes(t), title);
  await page.reload();
  await expect(page.getByTestId('draft-restored')).toBeVisible();
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('aduan.draft.v1'))).toBeNull();
  await page.goto('/lapor');
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);
});

test('sent without a connection, a report waits on the phone and goes once when it returns', async ({ page, context, request }) => {
  const title = `Saluran tersumbat ${unique()}`;
  await page.goto('/lapor');
  await waitForHydration(page);
  await serviceWorkerControls(page);
  await typeReport(page, title);

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  const waiting = page.getByTestId('queue-waiting');
  await expect(waiting).toContainText('Tersimpan di ponsel ini, belum terkirim');
  // The form is free for another report; the saved one is not a draft any more.
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  // The service worker keeps the form and its bundle for a page opened without a connection.
  const kept = await page.evaluate(async () => {
    const wasm = document.querySelector('link[rel="preload"][href$=".wasm"]')!.getAttribute('href')!;
    return [!!(await caches.match('/lapor')), !!(await caches.match(wasm)), !!(await caches.match('/offline.js'))];
  });
  expect(kept).toEqual([true, true, true]);
  // Still offline, the page comes back and still says the report is waiting.
  await page.reload();
  await expect(waiting).toContainText('Tersimpan di ponsel ini, belum terkirim');
  await expect(page.getByTestId('draft-restored')).toHaveCount(0);

  await context.setOffline(false);
  const code = page.getByTestId('queue-code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/, { timeout: 20_000 });
  await expect(waiting).toHaveCount(0);
  const tracking = (await code.innerText()).trim().replace(/-/g, '');

  // Sending again (another tab, a sync that fires late) finds nothing left to send, and the
  // same key again is the same report, not a second one.
  const again = await page.evaluate(async () => {
    const w = window as any;
    await w.AduanQueue.flush();
    return (await w.AduanQueue.all()).filter((i: any) => !i.code).length;
  });
  expect(again).toBe(0);

  await page.getByRole('link', { name: 'Buka laporan' }).click();
  await expect(page).toHaveURL(new RegExp(`/lacak/${tracking}\\?baru=1$`));
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('Menunggu verifikasi');
  // Opened: the notice is done.
  await page.goto('/');
  await expect(page.getByTestId('queue-code')).toHaveCount(0);
  const track = await request.get(`/api/v1/track/${tracking}`);
  expect(track.status()).toBe(200);
  expect((await track.json()).title).toBe(title);
});

test('the interactive form hands a report it could not send to the phone, which sends it later', async ({ page }) => {
  const title = `Saluran tersumbat ${unique()}`;
  await page.goto('/lapor');
  await waitForHydration(page);
  await typeReport(page, title);
  // The phone believes it is online, but the server cannot be reached (a dead signal): the
  // form's own request fails for as long as this test runs.
  await page.route('**/api/act/**', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  // Handed to the phone's queue: the form is free again, and no error is shown.
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await expect(page.getByTestId('form-notice')).toHaveCount(0);
  // Where the browser has Background Sync, the service worker sends it at once by itself;
  // else the person asks (or the next visit does). Either way through the form post, not the
  // request that failed.
  await page.getByRole('button', { name: 'Kirim sekarang' }).click({ timeout: 3_000 }).catch(() => {});
  await expect(page.getByTestId('queue-code')).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await page.getByRole('link', { name: 'Buka laporan' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
});

test("a signed-in person's pages are never kept on the phone", async ({ page }) => {
  const email = `warga-${unique()}@contoh.id`;
  addUser(email, 'citizen');
  await page.goto('/');
  await waitForHydration(page);
  await serviceWorkerControls(page);
  // The guest's pages are kept (nothing personal in them)…
  await page.waitForFunction(async () => !!(await caches.match('/lapor')));
  await signIn(page, email);
  await expect(page.getByTestId('nav-account')).toBeVisible();
  for (const path of ['/', '/lapor']) {
    await page.goto(path);
    await expect(page.getByTestId('nav-account')).toBeVisible();
  }
  // …the signed-in person's are not (their name is in them), and the guest copies are gone.
  const kept = await page.evaluate(async () =>
    Promise.all(['/', '/lapor'].map(async (p) => ((await caches.match(p)) ? await (await caches.match(p))!.text() : ''))),
  );
  for (const html of kept) expect(html).not.toContain('nav-account');
});

test('the bundle is named by its content, sent compressed, and kept a year', async ({ page, request }) => {
  await page.goto('/lapor');
  const wasm = await page.locator('link[rel="preload"][href$=".wasm"]').getAttribute('href');
  expect(wasm).toMatch(/^\/pkg\/aduan\.[\w-]{22}\.wasm$/);
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  expect(css).toMatch(/^\/pkg\/aduan\.[\w-]{22}\.css$/);
  for (const file of [wasm!, css!]) {
    const res = await request.get(file, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-encoding']).toBe('br');
    expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  const gz = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip' } });
  expect(gz.headers()['content-encoding']).toBe('gzip');
  // Fixed names are checked on every use, so a new release is picked up at once.
  for (const file of ['/offline.js', '/sw.js', '/manifest.webmanifest']) {
    expect((await request.get(file)).headers()['cache-control']).toBe('no-cache');
  }
  // The site can be added to the home screen: a manifest with icons that exist.
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest.short_name).toBe('Aduan');
  expect(manifest.start_url).toBe('/');
  expect(manifest.display).toBe('standalone');
  const sizes = manifest.icons.map((i: any) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type']).toBe(icon.type);
  }
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#065f46');
});
