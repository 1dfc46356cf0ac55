import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { failOnPageProblems, unique, waitForHydration, markDocument, expectSameDocument, holdActions } from './helpers';

failOnPageProblems();

async function fillReport(page: Page, title: string) {
  await page.getByLabel('Pengaduan').check();
  await page.getByLabel('Judul laporan').fill(title);
  await page.getByLabel('Isi laporan').fill(
    'Lampu lalu lintas di simpang empat mati sejak seminggu yang lalu dan menyebabkan kemacetan parah.',
  );
  await page.getByLabel(/Kategori/).selectOption({ label: 'Perhubungan dan transportasi' });
  await page.getByLabel(/Provinsi/).selectOption('76');
  await page.getByLabel(/Kabupaten\/kota/).selectOption('76.04');
  await page.getByLabel(/Tanggal kejadian/).fill('2026-11-20');
  await page.getByLabel('Anonim').check();
  await page.getByLabel('Email').fill('warga@contoh.id');
}

async function expectTracked(page: Page, title: string) {
  await expect(page.getByTestId('status')).toHaveText('Menunggu verifikasi');
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText('Laporan diterima');
  await expect(page.getByTestId('countdown')).toHaveText(/sisa \d hari kerja|batas waktu hari ini/);
  await expect(page.getByTestId('privacy')).toHaveText('Anonim');
}

test.describe('with JavaScript', () => {
  test('submit, see the tracking code, track the report', async ({ page }) => {
    const title = `Lampu lalu lintas mati ${unique()}`;
    await page.goto('/lapor');
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    await waitForHydration(page);
    await fillReport(page, title);
    // Hydrated, the report goes through its server function: the button says it is sending
    // (and cannot be tapped twice), and the confirmation comes without a page load.
    const stay = await markDocument(page);
    const release = await holdActions(page);
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await expect(page.getByTestId('submit-report')).toHaveText('Mengirim…');
    await expect(page.getByTestId('submit-report')).toBeDisabled();
    release();

    await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
    await expectSameDocument(page, stay);
    await expect(page).toHaveURL(/\/lacak\/[0-9A-Z]{16}\?baru=1$/);
    const code = (await page.getByTestId('tracking-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const reference = (await page.getByTestId('reference').innerText()).trim();
    expect(reference).toMatch(/^ADU-/);
    await waitForHydration(page);
    await expect(page.getByTestId('copy-code')).toBeVisible();

    // Track it by typing the code in lower case without dashes.
    await page.goto('/lacak');
    await page.getByLabel('Kode pelacakan').fill(code.replace(/-/g, '').toLowerCase());
    await page.getByRole('button', { name: 'Lacak' }).click();
    await expect(page).toHaveURL(new RegExp(`/lacak/${code.replace(/-/g, '')}$`));
    await expectTracked(page, title);
    await expect(page.getByTestId('report-reference')).toHaveText(reference);
  });

  test('the privacy preview follows the choices: who sees the report and the reporter', async ({ page }) => {
    await page.goto('/lapor');
    await waitForHydration(page);
    await page.getByLabel('Nama', { exact: true }).fill('Siti Aminah');
    // The public sees no name unless the reporter ticks the separate choice; the agency does.
    await expect(page.getByTestId('preview-public')).toContainText('pelapor: tanpa nama');
    await expect(page.getByTestId('preview-public')).not.toContainText('Siti');
    await expect(page.getByTestId('preview-agency')).toContainText('pelapor: Siti Aminah');
    await page.getByLabel('Tampilkan nama saya pada laporan publik').check();
    await expect(page.getByTestId('preview-public')).toContainText('pelapor: Siti Aminah');
    await page.getByLabel('Anonim').check();
    for (const who of ['public', 'agency', 'verifier']) {
      await expect(page.getByTestId(`preview-${who}`)).toContainText('pelapor: Anonim');
      await expect(page.getByTestId(`preview-${who}`)).not.toContainText('Siti');
    }
    await page.getByLabel('Rahasia').check();
    await expect(page.getByTestId('preview-public')).toHaveText('Tidak melihat laporan ini sama sekali');
    await expect(page.getByTestId('preview-verifier')).toContainText('tercatat');
  });

  test('instant field messages, and nothing typed is lost', async ({ page }) => {
    await page.goto('/lapor');
    await waitForHydration(page);
    await page.getByLabel('Judul laporan').fill('Pendek');
    await page.getByLabel('Judul laporan').blur();
    await expect(page.locator('#f-title-error')).toHaveText(/minimal 10 karakter/);
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    const summary = page.locator('#error-summary');
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Pilih jenis laporan');
    await expect(summary).toContainText('Isi laporan wajib diisi');
    await expect(page.getByLabel('Judul laporan')).toHaveValue('Pendek');
    // Fixing the field clears its message as the user types.
    await page.getByLabel('Judul laporan').fill('Judul yang cukup panjang');
    await expect(page.locator('#f-title-error')).toHaveCount(0);
  });

  test('the regency list follows the chosen province', async ({ page }) => {
    await page.goto('/lapor');
    await waitForHydration(page);
    await page.getByLabel(/Provinsi/).selectOption('11');
    await expect(page.locator('#f-regency option[value="76.04"]')).toHaveCount(0);
    await page.getByLabel(/Provinsi/).selectOption('76');
    await expect(page.locator('#f-regency option[value="76.04"]')).toHaveCount(1);
  });

  test('an unknown code says so, with a 404', async ({ page }) => {
    const res = await page.goto('/lacak/0000-0000-0000-0000');
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId('not-found')).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('submit, see the tracking code, track the report', async ({ page }) => {
    const title = `Lampu lalu lintas mati ${unique()}`;
    await page.goto('/lapor');
    await fillReport(page, title);
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
    const code = (await page.getByTestId('tracking-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    await page.goto('/lacak');
    await page.getByLabel('Kode pelacakan').fill(code);
    await page.getByRole('button', { name: 'Lacak' }).click();
    await expectTracked(page, title);
  });

  test('refused input comes back with every value and a message per field', async ({ page }) => {
    await page.goto('/lapor');
    await page.getByLabel('Aspirasi').check();
    await page.getByLabel('Judul laporan').fill('Pendek');
    await page.getByLabel('Isi laporan').fill('Terlalu singkat');
    await page.getByLabel('Email').fill('bukan-email');
    await page.getByLabel('Nomor telepon').fill('0812 3456 7890');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/lapor') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Kirim laporan' }).click(),
    ]);
    expect(response.status()).toBe(422);
    const summary = page.locator('#error-summary');
    await expect(summary).toContainText('Judul laporan minimal 10 karakter');
    await expect(summary).toContainText('Isi laporan minimal 30 karakter');
    await expect(summary).toContainText('Masukkan alamat email yang benar');
    await expect(page.getByLabel('Judul laporan')).toHaveValue('Pendek');
    await expect(page.getByLabel('Isi laporan')).toHaveValue('Terlalu singkat');
    await expect(page.getByLabel('Email')).toHaveValue('bukan-email');
    await expect(page.getByLabel('Nomor telepon')).toHaveValue('0812 3456 7890');
    await expect(page.getByLabel('Aspirasi')).toBeChecked();
  });

  test('a refused report with a photo names the photo to choose again and keeps everything typed', async ({ page }) => {
    const title = `Lampu lalu lintas mati ${unique()}`;
    // A valid 1×1 PNG.
    const png = {
      name: 'simpang-empat.png',
      mimeType: 'image/png',
      buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    };
    await page.goto('/lapor');
    await fillReport(page, title);
    await page.getByLabel('Judul laporan').fill('Pendek');
    await page.getByLabel('Lampiran (opsional)').setInputFiles(png);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/lapor') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Kirim laporan' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    // A page cannot put a file back: it says which one to choose again, at the file input.
    await expect(page.getByTestId('files-again')).toContainText('simpang-empat.png');
    await expect(page.getByLabel('Isi laporan')).toHaveValue(/Lampu lalu lintas di simpang empat/);
    await expect(page.getByLabel('Email')).toHaveValue('warga@contoh.id');
    await test.info().attach('refused without JavaScript: the photo asked again', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    await page.getByLabel('Judul laporan').fill(title);
    await page.getByLabel('Lampiran (opsional)').setInputFiles(png);
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
    const code = (await page.getByTestId('tracking-code').innerText()).trim();
    await page.goto(`/lacak/${code}`);
    await expect(page.getByTestId('attachment')).toHaveCount(1);
  });

  test('a malformed code is explained on the lookup page', async ({ page }) => {
    await page.goto('/lacak');
    await page.getByLabel('Kode pelacakan').fill('ABC');
    await page.getByRole('button', { name: 'Lacak' }).click();
    await expect(page.locator('#f-code-error')).toContainText('16 huruf dan angka');
    await expect(page.getByLabel('Kode pelacakan')).toHaveValue('ABC');
  });
});

test('in English, remembered across pages', async ({ page }) => {
  await page.goto('/lapor?lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await waitForHydration(page);
  await page.getByLabel('Complaint').check();
  await page.getByLabel('Title').fill('Broken street lights on the Majene road');
  await page.getByLabel('What happened').fill('Most street lights on the main Majene road have been off for two weeks.');
  await page.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByRole('heading', { name: 'Your report has been sent' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('status')).toHaveText('Awaiting verification');
  await expect(page.getByTestId('countdown')).toHaveText(/working days? left|due today/);
  // Switch back with the visible link.
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.getByTestId('status')).toHaveText('Menunggu verifikasi');
});

test.describe('accessibility (axe-core)', () => {
  for (const path of ['/', '/lapor', '/lacak']) {
    test(`no violations on ${path}`, async ({ page }) => {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
    });
  }

  test('no violations on a tracking page, and on the form showing errors', async ({ page }) => {
    const res = await page.request.post('/api/v1/reports', {
      data: {
        kind: 'complaint',
        title: 'Jembatan gantung rusak di Mamasa',
        description: 'Papan lantai jembatan gantung banyak yang lepas sehingga berbahaya bagi anak sekolah.',
        region_code: '76.03',
      },
    });
    expect(res.status()).toBe(201);
    const { tracking_code } = await res.json();
    await page.goto(`/lacak/${tracking_code}?baru=1`);
    await expect(page.getByTestId('status')).toBeVisible();
    let results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);

    await page.goto('/lapor');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await expect(page.locator('#error-summary')).toBeVisible();
    results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
  });
});
