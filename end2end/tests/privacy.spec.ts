import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { failOnPageProblems, unique, waitForHydration, PASSWORD } from './helpers';

// A citizen's rights over their data (docs/privacy.md), in Chromium against the real binary:
// the copy of everything held, downloaded from /akun, and erasing the account, with and without
// JavaScript. The reports stay, anonymised; the tracking code keeps working.

failOnPageProblems();

/// Registers a citizen with an email address, submits a report with a contact and claims it.
async function citizenWithAReport(page: Page, js: boolean): Promise<{ email: string; code: string; title: string }> {
  const u = unique();
  const email = `warga-${u}@contoh.id`;
  const title = `Drainase tersumbat ${u}`;
  const res = await page.request.post('/api/v1/reports', {
    data: {
      kind: 'complaint',
      title,
      description: 'Drainase di depan pasar tersumbat lumpur dan sampah sehingga air meluap ke jalan.',
      category_id: 1,
      region_code: '76.04',
      reporter: { name: `Warga ${u}`, email, phone: '081299990000' },
    },
  });
  expect(res.status()).toBe(201);
  const code = (await res.json()).tracking_code as string;
  await page.goto('/daftar');
  if (js) await waitForHydration(page);
  await page.getByLabel('Nama').fill(`Warga ${u}`);
  await page.getByLabel('Email atau nomor HP').fill(email);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Daftar' }).click();
  await expect(page).toHaveURL(/\/laporan-saya(#[\w-]+)?$/);
  if (js) await waitForHydration(page);
  await page.getByLabel('Kode pelacakan').fill(code);
  await page.getByRole('button', { name: 'Tambahkan' }).click();
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  return { email, code, title };
}

async function downloadsTheCopy(page: Page, email: string, title: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-my-data').click(),
  ]);
  expect(download.suggestedFilename()).toBe('aduan-data-saya.json');
  const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(data.account.email).toBe(email);
  expect(data.reports[0].title).toBe(title);
  expect(data.reports[0].contact.phone).toBe('081299990000');
}

async function erasesTheAccount(page: Page, js: boolean) {
  const disclosure = page.getByTestId('erase-account');
  await disclosure.getByText('Hapus akun saya…').click();
  await expect(disclosure.getByText('Penghapusan tidak dapat dibatalkan.', { exact: false })).toBeVisible();
  // axe runs in the page: with JavaScript on only (the markup is the same without).
  if (js) expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  // A wrong password: said at the field, the disclosure still open, nothing erased.
  await page.getByLabel('Kata sandi Anda').fill('salah sekali');
  await page.getByLabel('Saya paham bahwa akun saya dihapus dan tidak dapat dipulihkan.').check();
  await page.getByRole('button', { name: 'Ya, hapus akun saya' }).click();
  await expect(page.getByTestId('erase-account').getByText('Kata sandi saat ini salah').first()).toBeVisible();
  await expect(page.getByTestId('erase-account')).toHaveAttribute('open', '');
  if (!js) {
    // The page came back from the server: the box is to be ticked again.
    await page.getByLabel('Saya paham bahwa akun saya dihapus dan tidak dapat dipulihkan.').check();
  }
  await page.getByLabel('Kata sandi Anda').fill(PASSWORD);
  await page.getByRole('button', { name: 'Ya, hapus akun saya' }).click();
  await expect(page).toHaveURL(/\/\?akun=dihapus(#[\w-]+)?$/);
  await expect(page.getByTestId('account-erased')).toContainText('Akun Anda sudah dihapus');
}

async function theReportStaysWithoutItsReporter(page: Page, email: string, code: string, title: string) {
  // Signed out, and the account cannot sign in again.
  await page.goto('/akun');
  await expect(page.getByTestId('access-refused')).toBeVisible();
  const again = await page.request.post('/api/v1/session', { data: { email, password: PASSWORD } });
  expect(again.status()).toBe(401);
  // The report is still there for its tracking code.
  await page.goto(`/lacak/${code.replace(/-/g, '')}`);
  await expect(page.getByText(title)).toBeVisible();
}

test.describe('a citizen, JavaScript on', () => {
  test.use({ viewport: { width: 360, height: 780 } });

  test('downloads a copy of their data and erases their account', async ({ page }) => {
    const { email, code, title } = await citizenWithAReport(page, true);
    await page.goto('/akun');
    await waitForHydration(page);
    await downloadsTheCopy(page, email, title);
    await erasesTheAccount(page, true);
    await theReportStaysWithoutItsReporter(page, email, code, title);
  });
});

test.describe('a citizen, JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('downloads a copy of their data and erases their account', async ({ page }) => {
    const { email, code, title } = await citizenWithAReport(page, false);
    await page.goto('/akun');
    await downloadsTheCopy(page, email, title);
    await erasesTheAccount(page, false);
    await theReportStaysWithoutItsReporter(page, email, code, title);
  });
});
