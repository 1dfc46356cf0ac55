import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { failOnPageProblems, unique, waitForHydration, addUser, totp, signIn, PASSWORD } from './helpers';

// Sign-in, two-factor set-up and use, the staff work list and report page, the audited identity
// reveal, and a citizen's account — in Chromium against the real binary. Staff accounts are made
// with the real `aduan user add` command on the same database file.

failOnPageProblems();

async function submitAnonymousReport(page: Page, marker: string): Promise<string> {
  const res = await page.request.post('/api/v1/reports', {
    data: {
      kind: 'complaint',
      title: `Jembatan gantung rusak ${marker.slice(6).toLowerCase()}`,
      description: 'Papan jembatan gantung di desa kami lepas dan membahayakan anak sekolah setiap pagi.',
      category_id: 1,
      region_code: '76.04',
      anonymous: true,
      reporter: { name: `Pelapor ${marker}`, email: `${marker.toLowerCase()}@contoh.id` },
    },
  });
  expect(res.status()).toBe(201);
  return `Jembatan gantung rusak ${marker.slice(6).toLowerCase()}`;
}

test.describe('staff', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('a verifier sets up two-factor, dispatches an anonymous report and reveals the reporter (audited); an officer never sees who', async ({ page, browser }) => {
    const u = unique();
    const verifier = `verifikator-${u}@uji.example.org`;
    const officer = `petugas-${u}@uji.example.org`;
    addUser(verifier, 'verifier', 'PROV-76');
    addUser(officer, 'agency_officer', '76-PUPR');
    const marker = `KANARI${u.toUpperCase()}`;
    const title = await submitAnonymousReport(page, marker);

    // First sign-in: two-factor must be set up before anything else.
    await signIn(page, verifier);
    await expect(page).toHaveURL(/\/akun\/2fa(#[\w-]+)?$/);
    await waitForHydration(page);
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    // The QR code image loads under the CSP (a data: image).
    await expect
      .poll(() => page.getByTestId('totp-qr').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await page.getByLabel('Kode verifikasi').fill('000000' === totp(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Aktifkan' }).click();
    await expect(page.getByRole('link', { name: /Kode verifikasi salah/ })).toBeVisible();
    await page.getByLabel('Kode verifikasi').fill(totp(secret));
    await page.getByRole('button', { name: 'Aktifkan' }).click();
    // Shown in answer, without a reload.
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    expect(codes).toHaveLength(10);
    await page.getByRole('link', { name: 'Lanjut ke daftar kerja' }).click();
    await expect(page).toHaveURL(/\/staf(#[\w-]+)?$/);
    await waitForHydration(page);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);

    // The report: anonymous to everyone, until an audited reveal.
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByTestId('reporter')).toHaveText('Anonim');
    await expect(page.locator('body')).not.toContainText(marker, { ignoreCase: true });
    await page.getByTestId('command-dispatch').getByLabel('Instansi').selectOption({ label: '· Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat' });
    await page.getByTestId('command-dispatch').getByRole('button', { name: 'Teruskan ke instansi' }).click();
    await expect(page.getByTestId('status')).toHaveText('Diteruskan ke instansi');
    // The reveal is behind a confirmation that says what it means.
    await page.getByText('Buka identitas pelapor…').click();
    await page.getByLabel('Alasan', { exact: true }).fill('Klarifikasi dugaan ancaman terhadap pelapor');
    await page.getByRole('button', { name: 'Tampilkan identitas pelapor' }).click();
    await expect(page.getByTestId('revealed')).toContainText(`Pelapor ${marker}`);
    await expect(page.getByText('Pembukaan identitas ini telah dicatat.')).toBeVisible();

    // Signing out ends the session; signing in again asks for the code (a recovery code works).
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('nav-sign-in')).toBeVisible();
    await signIn(page, verifier);
    await expect(page).toHaveURL(/\/masuk\/kode(#[\w-]+)?$/);
    await page.getByLabel('Kode verifikasi').fill(codes[0]);
    await page.getByRole('button', { name: 'Lanjutkan' }).click();
    await expect(page).toHaveURL(/\/staf(#[\w-]+)?$/);

    // The officer of the agency sees the report, anonymous, and no way to reveal.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p2 = await ctx.newPage();
    await signIn(p2, officer);
    await expect(p2).toHaveURL(/\/staf(#[\w-]+)?$/);
    await p2.getByRole('link', { name: title }).click();
    await expect(p2.getByTestId('reporter')).toHaveText('Anonim');
    await expect(p2.getByTestId('reveal-form')).toHaveCount(0);
    await expect(p2.locator('body')).not.toContainText(marker, { ignoreCase: true });
    await p2.getByTestId('command-message').getByRole('button', { name: 'Kirim pesan' }).click();
    await expect(p2.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
    await ctx.close();
  });

  test('a system administrator imports agencies from CSV (preview, errors per row) and invites an officer who signs up', async ({ page, browser }) => {
    const u = unique();
    const admin = `admin-${u}@uji.example.org`;
    addUser(admin, 'system_admin');
    await signIn(page, admin);
    await expect(page).toHaveURL(/\/akun\/2fa(#[\w-]+)?$/);
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    await page.getByLabel('Kode verifikasi').fill(totp(secret));
    await page.getByRole('button', { name: 'Aktifkan' }).click();
    await expect(page.getByTestId('recovery-codes')).toBeVisible();

    await page.goto('/admin/instansi');
    await waitForHydration(page);
    const code = `76-UJI-${u.toUpperCase()}`;
    await page.getByLabel('Isi CSV').fill(`code,name,parent_code,kind\n${code},Badan Uji ${u},PROV-76,opd\n${code}-A,,TIDAK-ADA,unit\n`);
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    await expect(page.getByTestId('import-result')).toContainText('Ada baris yang bermasalah');
    const rows = page.getByTestId('import-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('Nama instansi wajib diisi');
    await expect(rows.nth(1)).toContainText('Instansi induk yang dipilih tidak dikenal');
    await expect(page.getByLabel('Isi CSV')).toHaveValue(new RegExp(code));
    await page.getByLabel('Isi CSV').fill(`code,name,parent_code,kind\n${code},Badan Uji ${u},PROV-76,opd\n${code}-A,Bidang A ${u},${code},unit\n`);
    await page.getByRole('button', { name: 'Impor', exact: true }).click();
    await expect(page.getByTestId('import-result')).toContainText('Impor selesai');
    await expect(page.getByTestId('agency-tree')).toContainText(`Bidang A ${u}`);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);

    // Edit and move the unit: it moves under Dinas PUPR; its own subtree is never offered.
    await page.getByRole('link', { name: `Bidang A ${u}` }).click();
    await waitForHydration(page);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
    await page.getByLabel('Nama instansi').fill(`Bidang A2 ${u}`);
    await page.getByLabel('Instansi induk').selectOption('76-PUPR');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page).toHaveURL(/\/admin\/instansi(#[\w-]+)?$/);
    await expect(page.getByTestId('agency-tree')).toContainText(`Bidang A2 ${u}`);
    await page.getByRole('link', { name: `Badan Uji ${u}` }).click();
    await expect(page.getByLabel('Instansi induk').locator('option', { hasText: `Badan Uji ${u}` })).toHaveCount(0);

    await page.goto('/akun');
    await waitForHydration(page);
    await expect(page.getByTestId('me')).toContainText('Admin sistem');
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);

    await page.goto('/admin/pengguna');
    await waitForHydration(page);
    const invited = `baru-${u}@uji.example.org`;
    await page.getByLabel('Email', { exact: true }).fill(invited);
    await page.getByLabel('Peran', { exact: true }).selectOption('agency_officer');
    await page.getByLabel('Instansi', { exact: true }).selectOption(`${code}-A`);
    await page.getByRole('button', { name: 'Buat tautan undangan' }).click();
    const link = (await page.getByTestId('invite-url').textContent())!;
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p2 = await ctx.newPage();
    await p2.goto(link);
    await expect(p2.getByText(invited)).toBeVisible();
    await p2.getByLabel('Nama').fill('Petugas Baru');
    await p2.getByLabel('Kata sandi').fill('pendek');
    await p2.getByRole('button', { name: 'Buat akun' }).click();
    await expect(p2.getByRole('link', { name: /Kata sandi minimal 10 karakter/ })).toBeVisible();
    await p2.getByLabel('Kata sandi').fill(PASSWORD);
    await p2.getByRole('button', { name: 'Buat akun' }).click();
    await expect(p2).toHaveURL(/\/masuk(#[\w-]+)?$/);
    await signIn(p2, invited);
    await expect(p2).toHaveURL(/\/staf(#[\w-]+)?$/);
    await expect(p2.getByTestId('empty-list')).toBeVisible();

    // The administrator makes the new officer an agency admin, then deactivates the account:
    // the officer's session ends at once.
    await page.goto('/admin/pengguna');
    // Hydrated first: a change made while the page hydrates could land between the two renders.
    await waitForHydration(page);
    const row = page.getByTestId('account-row').filter({ hasText: invited });
    // The row shows the current role; a change without the explicit confirmation changes
    // nothing and says why.
    await expect(row.getByLabel(`Peran ${invited}`)).toHaveValue('agency_officer');
    await row.getByLabel(`Peran ${invited}`).selectOption('agency_admin');
    await row.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByText('Centang "Ya, ubah peran" untuk mengubah peran akun ini').first()).toBeVisible();
    await expect(page.getByTestId('account-row').filter({ hasText: invited }).getByTestId('account-role')).toHaveText('Petugas instansi');
    const again = page.getByTestId('account-row').filter({ hasText: invited });
    await again.getByLabel(`Peran ${invited}`).selectOption('agency_admin');
    await again.getByLabel('Ya, ubah peran').check();
    await again.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByTestId('account-row').filter({ hasText: invited }).getByTestId('account-role')).toHaveText('Admin instansi');
    // Deactivating is behind a confirmation: the disclosure says what will happen, then the
    // red button does it.
    const target = page.getByTestId('account-row').filter({ hasText: invited });
    await target.getByText('Nonaktifkan…').click();
    await target.getByRole('button', { name: `Ya, nonaktifkan ${invited}` }).click();
    await expect(page.getByTestId('account-row').filter({ hasText: invited })).toContainText('nonaktif');
    await p2.goto('/staf');
    await expect(p2.getByTestId('access-refused')).toBeVisible();
    await ctx.close();
  });

  test('wrong passwords get one message, then sign-in is throttled', async ({ page }) => {
    const u = unique();
    const email = `petugas-${u}@uji.example.org`;
    addUser(email, 'agency_officer', '76-PUPR');
    await page.goto('/masuk');
    await waitForHydration(page);
    expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Email atau nomor HP').fill(email);
      await page.getByLabel('Kata sandi').fill('salah sekali');
      await page.getByRole('button', { name: 'Masuk' }).click();
      await expect(page.getByTestId('form-message')).toHaveText('Email, kata sandi atau kode salah.');
      // The email typed is kept; the password is not.
      await expect(page.getByLabel('Email atau nomor HP')).toHaveValue(email);
      await expect(page.getByLabel('Kata sandi')).toHaveValue('');
    }
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect(page.getByTestId('form-message')).toContainText('Terlalu banyak percobaan');
  });
});

test('a forgotten password: from the sign-in page, one answer whether or not the account exists', async ({ page }) => {
  const email = `petugas-lupa-${unique()}@uji.example.org`;
  addUser(email, 'agency_officer', '76-PUPR');
  for (const address of [email, `tidak-ada-${unique()}@uji.example.org`]) {
    await page.goto('/masuk');
    await page.getByRole('link', { name: 'Lupa kata sandi?' }).click();
    await expect(page).toHaveURL(/\/lupa-sandi$/);
    await page.getByLabel('Email').fill(address);
    await page.getByRole('button', { name: 'Kirim tautan' }).click();
    await expect(page.getByTestId('reset-sent')).toContainText('Jika ada akun dengan alamat email itu');
  }
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
  // A link that is not (or no longer) valid says so at the form, and offers a new one.
  await page.goto('/atur-sandi/bukan-tautan');
  await page.getByLabel('Kata sandi baru').fill('kata sandi baru 2026');
  await page.getByRole('button', { name: 'Simpan kata sandi baru' }).click();
  await expect(page.getByTestId('reset-form').getByTestId('form-message')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Minta tautan baru' })).toBeVisible();
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
});

test.describe('citizen account without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  // A form posted without JavaScript goes to `page#form` (a refusal scrolls back to it); the
  // redirect after a success keeps that fragment, so addresses may end with one.

  test('registers, claims a guest report with its code and sees it in "my reports"', async ({ page }) => {
    const u = unique();
    // A guest report first.
    const res = await page.request.post('/api/v1/reports', {
      data: {
        kind: 'aspiration',
        title: `Usulan taman bacaan ${u}`,
        description: 'Mohon disediakan taman bacaan di kelurahan kami untuk anak-anak sepulang sekolah.',
        category_id: 3,
        region_code: '76.04',
      },
    });
    const code = (await res.json()).tracking_code as string;

    await page.goto('/daftar');
    await page.getByLabel('Nama').fill('Warga Uji');
    // A mobile number instead of an email address.
    const phone = `0812${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await page.getByLabel('Email atau nomor HP').fill(phone);
    await page.getByLabel('Kata sandi').fill('pendek');
    await page.getByRole('button', { name: 'Daftar' }).click();
    await expect(page.getByRole('link', { name: /Kata sandi minimal 10 karakter/ })).toBeVisible();
    await expect(page.getByLabel('Nama')).toHaveValue('Warga Uji');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Daftar' }).click();
    await expect(page).toHaveURL(/\/laporan-saya(#[\w-]+)?$/);
    await expect(page.getByTestId('empty-list')).toBeVisible();

    await page.getByLabel('Kode pelacakan').fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: 'Tambahkan' }).click();
    await expect(page.getByRole('link', { name: /Tidak ada laporan dengan kode ini/ })).toBeVisible();
    await page.getByLabel('Kode pelacakan').fill(code);
    await page.getByRole('button', { name: 'Tambahkan' }).click();
    await expect(page.getByRole('link', { name: `Usulan taman bacaan ${u}` })).toBeVisible();
    await page.getByRole('link', { name: `Usulan taman bacaan ${u}` }).click();
    // The report opens in the account as its reporter sees it: nothing to answer yet.
    await expect(page).toHaveURL(/\/laporan-saya\/\d+(#[\w-]+)?$/);
    await expect(page.getByTestId('status')).toHaveText('Menunggu verifikasi');
    await expect(page.getByTestId('thread-empty')).toBeVisible();
    await expect(page.locator('form[data-testid^="reporter-"]')).toHaveCount(0);

    // Changing the password signs out everywhere.
    await page.goto('/akun');
    await page.getByLabel('Kata sandi', { exact: true }).fill('salah sekali');
    await page.getByLabel('Kata sandi baru').fill('kata sandi lain 2026');
    await page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await expect(page.getByRole('link', { name: /Kata sandi saat ini salah/ })).toBeVisible();
    await page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Kata sandi baru').fill('kata sandi lain 2026');
    await page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await expect(page).toHaveURL(/\/masuk(#[\w-]+)?$/);
    await page.goto('/laporan-saya');
    await expect(page.getByTestId('access-refused')).toBeVisible();
  });
});
