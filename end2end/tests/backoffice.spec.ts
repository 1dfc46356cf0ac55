import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { failOnPageProblems, unique, waitForHydration, addUser, signIn, signInWithNewTotp, markDocument, expectSameDocument, holdActions } from './helpers';

// The back office and the reporter's answer, in Chromium against the real binary: a citizen on a
// phone, a verifier and an agency officer at desktops, each in their own browser context.

failOnPageProblems();

const PUPR = '· Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat';
const DESKTOP = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };

/** A real JPEG photo, drawn and encoded by the browser itself. */
async function photo(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 120;
    c.height = 80;
    const g = c.getContext('2d')!;
    g.fillStyle = '#8a6d3b';
    g.fillRect(0, 0, 120, 80);
    g.fillStyle = '#333';
    g.beginPath();
    g.ellipse(60, 45, 30, 14, 0, 0, 2 * Math.PI);
    g.fill();
    return c.toDataURL('image/jpeg', 0.8).split(',')[1];
  });
  return Buffer.from(data, 'base64');
}

async function submitOnPhone(page: Page, title: string, withPhoto = false): Promise<string> {
  await page.goto('/lapor');
  if (withPhoto) {
    await page.getByLabel('Lampiran (opsional)').setInputFiles({ name: 'jalan.jpg', mimeType: 'image/jpeg', buffer: await photo(page) });
  }
  await page.getByLabel('Pengaduan').check();
  await page.getByLabel('Judul laporan').fill(title);
  await page
    .getByLabel('Isi laporan')
    .fill('Jalan di depan pasar berlubang besar sejak hujan deras minggu lalu dan sudah dua motor jatuh.');
  await page.getByLabel(/Kategori/).selectOption({ label: 'Perhubungan dan transportasi' });
  await page.getByLabel(/Provinsi/).selectOption('76');
  await page.getByLabel(/Kabupaten\/kota/).selectOption('76.04');
  await page.getByLabel('Email').fill('warga@contoh.id');
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.getByRole('heading', { name: 'Laporan Anda telah terkirim' })).toBeVisible();
  return (await page.getByTestId('tracking-code').innerText()).trim();
}

async function staffPage(browser: Browser, email: string, totp: boolean): Promise<Page> {
  const ctx = await browser.newContext(DESKTOP);
  const p = await ctx.newPage();
  if (totp) {
    await signInWithNewTotp(p, email);
  } else {
    await signIn(p, email);
    await expect(p).toHaveURL(/\/staf(#[\w-]+)?$/);
  }
  return p;
}

async function openReport(p: Page, title: string, js = true) {
  // Found by its words among everything this person may see (the default view holds only what
  // needs them now, and a long day's list has more than one page).
  await p.goto(`/staf?tampil=semua&q=${encodeURIComponent(title)}`);
  // Hydrated first (JavaScript on): the report opens in the browser, whose template links then
  // fill the form in place (a click while the page is still hydrating could land between the
  // two renders).
  if (js) await waitForHydration(p);
  await p.getByRole('link', { name: title }).click();
  await expect(p.getByRole('heading', { name: title })).toBeVisible();
}

test('citizen on a phone → verifier asks and dispatches → officer follows up with a photo and answers → citizen confirms and rates', async ({ page, browser }) => {
  const u = unique();
  const title = `Jalan berlubang depan pasar ${u}`;
  const verifierEmail = `verifikator-bo-${u}@uji.example.org`;
  const officerEmail = `petugas-bo-${u}@uji.example.org`;
  addUser(verifierEmail, 'verifier', 'PROV-76');
  addUser(officerEmail, 'agency_officer', '76-PUPR');

  const code = await submitOnPhone(page, title, true);

  // The verifier asks the reporter a question (the report waits on hold).
  const verifier = await staffPage(browser, verifierEmail, true);
  await openReport(verifier, title);
  // The reporter's photo came with the report.
  await expect(verifier.getByTestId('attachment')).toHaveCount(1);
  const hold = verifier.getByTestId('command-hold');
  await hold.getByLabel('Pertanyaan untuk pelapor').fill('Di depan pasar mana tepatnya, dan sisi jalan yang mana?');
  await hold.getByRole('button', { name: 'Tunda: minta keterangan pelapor' }).click();
  await expect(verifier.getByTestId('status')).toHaveText('Ditunda, menunggu informasi dari pelapor');

  // The reporter reads the question on the phone and answers.
  await page.goto(`/lacak/${code}`);
  await waitForHydration(page);
  await expect(page.getByTestId('thread')).toContainText('Di depan pasar mana tepatnya');
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
  // At the top, on the first screen of the phone: what is asked, and the form to answer it.
  const banner = page.getByTestId('act-banner');
  await expect(banner).toContainText('Verifikator menunggu jawaban Anda');
  await expect(banner.getByTestId('banner-message')).toContainText('Di depan pasar mana tepatnya');
  expect((await banner.boundingBox())!.y).toBeLessThan(page.viewportSize()!.height);
  await test.info().attach('the citizen is asked a question (360 px)', { body: await page.screenshot(), contentType: 'image/png' });
  const answer = page.getByTestId('reporter-answer_hold');
  await answer.getByLabel('Pesan').fill('Pasar Sentral Mamuju, sisi timur, dekat halte.');
  // Hydrated, the answer goes through its server function: the document stays, the button
  // says it is working while the (held back) request is under way.
  const stay = await markDocument(page);
  const release = await holdActions(page);
  await answer.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(answer.getByRole('button', { name: 'Memproses…' })).toBeDisabled();
  await expect(answer).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(page.getByTestId('sent')).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('Menunggu verifikasi');
  await expectSameDocument(page, stay);

  // The verifier reads the answer and dispatches to Dinas PUPR.
  await verifier.reload();
  await expect(verifier.getByTestId('thread')).toContainText('Pasar Sentral Mamuju, sisi timur');
  const dispatch = verifier.getByTestId('command-dispatch');
  await dispatch.getByLabel('Instansi').selectOption({ label: PUPR });
  await dispatch.getByRole('button', { name: 'Teruskan ke instansi' }).click();
  await expect(verifier.getByTestId('status')).toHaveText('Diteruskan ke instansi');

  // The officer follows up with a photo, then answers.
  const officer = await staffPage(browser, officerEmail, false);
  await openReport(officer, title);
  await waitForHydration(officer);
  await expect(officer.getByTestId('thread')).toContainText('Pasar Sentral Mamuju');
  // One message form: what the message is, chosen by a radio.
  const follow = officer.getByTestId('command-message');
  await follow.getByLabel('Catat tindak lanjut').check();
  await follow.getByLabel('Pesan untuk pelapor').fill('Tim sudah memeriksa lokasi; penambalan dijadwalkan Kamis.');
  await follow.getByLabel('Lampiran (opsional)').setInputFiles({ name: 'lokasi.jpg', mimeType: 'image/jpeg', buffer: await photo(officer) });
  // A staff command with a photo, hydrated: multipart through the server function, no reload.
  const officerStay = await markDocument(officer);
  const releaseOfficer = await holdActions(officer);
  await follow.getByRole('button', { name: 'Kirim pesan' }).click();
  await expect(follow.getByRole('button', { name: 'Mengirim…' })).toBeDisabled();
  releaseOfficer();
  await expect(officer.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
  // Said where the officer is looking, with the way on.
  await expect(officer.getByTestId('acted')).toContainText('Tersimpan. Status kini: Sedang ditindaklanjuti');
  await expect(officer.getByTestId('attachment')).toHaveCount(2);
  await expectSameDocument(officer, officerStay);
  expect(await new AxeBuilder({ page: officer }).analyze().then((r) => r.violations)).toEqual([]);
  const answerForm = officer.getByTestId('command-message');
  await answerForm.getByLabel('Tandai sudah dijawab').check();
  await answerForm.getByLabel('Pesan untuk pelapor').fill('Lubang sudah ditambal pada hari Kamis. Mohon konfirmasi.');
  await answerForm.getByRole('button', { name: 'Kirim pesan' }).click();
  await expect(officer.getByTestId('status')).toHaveText('Menunggu tanggapan pelapor');

  // The reporter sees the follow-up, opens the photo, confirms and rates.
  await page.goto(`/lacak/${code}`);
  await waitForHydration(page);
  await expect(page.getByTestId('thread')).toContainText('penambalan dijadwalkan Kamis');
  const link = page.getByTestId('attachment');
  await expect(link).toHaveCount(2);
  const res = await page.request.get((await link.last().getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/jpeg');
  await expect(page.getByTestId('banner-message')).toContainText('Lubang sudah ditambal pada hari Kamis');
  const confirm = page.getByTestId('reporter-confirm');
  await confirm.getByLabel('4 — baik').check();
  await confirm.getByLabel('Komentar (opsional)').fill('Terima kasih, jalan sudah rata.');
  await confirm.getByRole('button', { name: 'Konfirmasi selesai' }).click();
  await expect(page.getByTestId('status')).toHaveText('Selesai');
  await expect(page.getByTestId('thread')).toContainText('Terima kasih, jalan sudah rata.');
  await verifier.context().close();
  await officer.context().close();
});

test.describe('without JavaScript on the phone', () => {
  test.use({ javaScriptEnabled: false });

  test('the reporter disputes twice from a phone → an appeal → the verifier upholds it; a bounce goes back to verification', async ({ page, browser }) => {
    const u = unique();
    const title = `Lampu jalan padam ${u}`;
    const verifierEmail = `verifikator-nojs-${u}@uji.example.org`;
    const officerEmail = `petugas-nojs-${u}@uji.example.org`;
    addUser(verifierEmail, 'verifier', 'PROV-76');
    addUser(officerEmail, 'agency_officer', '76-PUPR');
    const adminEmail = `admin-opd-${u}@uji.example.org`;
    addUser(adminEmail, 'agency_admin', '76-DINKES');
    const code = await submitOnPhone(page, title);

    // Dispatched to the wrong agency first: Dinas Kesehatan returns it as not its business.
    const verifier = await staffPage(browser, verifierEmail, true);
    await openReport(verifier, title, false);
    await verifier.getByTestId('command-dispatch').getByLabel('Instansi').selectOption({ label: '· Dinas Kesehatan Provinsi Sulawesi Barat' });
    await verifier.getByTestId('command-dispatch').getByRole('button', { name: 'Teruskan ke instansi' }).click();
    const admin = await staffPage(browser, adminEmail, true);
    await openReport(admin, title, false);
    // Handing a report back is behind a confirmation.
    await admin.getByText('Kembalikan: bukan kewenangan kami…').click();
    const back = admin.getByTestId('command-return_not_ours');
    await back.getByLabel('Alasan (catatan internal)').fill('Penerangan jalan adalah kewenangan Dinas PUPR.');
    await back.getByRole('button', { name: 'Kembalikan: bukan kewenangan kami' }).click();
    // Out of the agency's hands: back to its work list, where the report is gone.
    // (`#form`: the post without JavaScript went to the form's own fragment.)
    await expect(admin).toHaveURL(/\/staf\?dikembalikan=1(#[\w-]+)?$/);
    await expect(admin.getByRole('link', { name: title })).toHaveCount(0);
    await admin.context().close();
    // The reason is an internal note: the verifier reads it, the reporter does not.
    await verifier.reload();
    await expect(verifier.getByTestId('thread')).toContainText('kewenangan Dinas PUPR');
    await verifier.getByTestId('command-dispatch').getByLabel('Instansi').selectOption({ label: PUPR });
    await verifier.getByTestId('command-dispatch').getByRole('button', { name: 'Teruskan ke instansi' }).click();
    await expect(verifier.getByTestId('status')).toHaveText('Diteruskan ke instansi');

    const officer = await staffPage(browser, officerEmail, false);
    const answerOnce = async (text: string) => {
      await openReport(officer, title, false);
      const form = officer.getByTestId('command-message');
      await form.getByLabel('Tandai sudah dijawab').check();
      await form.getByLabel('Pesan untuk pelapor').fill(text);
      await form.getByRole('button', { name: 'Kirim pesan' }).click();
      await expect(officer.getByTestId('status')).toHaveText('Menunggu tanggapan pelapor');
      // Without JavaScript the address says what was recorded, and the page says it at the actions.
      await expect(officer).toHaveURL(/\?tercatat=answered#tindakan$/);
      await expect(officer.getByTestId('acted')).toContainText('Status kini: Menunggu tanggapan pelapor');
    };
    await openReport(officer, title, false);
    await officer.getByTestId('command-message').getByLabel('Pesan untuk pelapor').fill('Petugas dijadwalkan memeriksa.');
    await officer.getByTestId('command-message').getByRole('button', { name: 'Kirim pesan' }).click();
    await expect(officer.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
    await answerOnce('Lampu sudah diperbaiki.');

    // Without JavaScript, the reporter reads and disputes; an empty dispute is refused first.
    await page.goto(`/lacak/${code}`);
    await expect(page.getByTestId('thread')).toContainText('Lampu sudah diperbaiki.');
    await expect(page.getByTestId('thread')).not.toContainText('kewenangan Dinas PUPR');
    const dispute = page.getByTestId('reporter-dispute');
    await dispute.getByRole('button', { name: 'Kirim sanggahan' }).click();
    await expect(page.getByTestId('reporter-dispute').getByRole('alert')).toContainText('Pesan wajib diisi');
    await page.getByTestId('reporter-dispute').getByLabel('Pesan').fill('Lampu masih padam setiap malam.');
    await page.getByTestId('reporter-dispute').getByRole('button', { name: 'Kirim sanggahan' }).click();
    await expect(page.getByTestId('sent')).toBeVisible();
    await expect(page.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');

    await answerOnce('Kabel sudah diganti, lampu menyala.');
    await page.goto(`/lacak/${code}`);
    await page.getByTestId('reporter-dispute').getByLabel('Pesan').fill('Masih padam. Saya ajukan banding.');
    await page.getByTestId('reporter-dispute').getByRole('button', { name: 'Kirim sanggahan' }).click();
    await expect(page.getByTestId('status')).toHaveText('Banding, menunggu keputusan verifikator');

    // The verifier upholds the appeal: the report goes back to the agency.
    await openReport(verifier, title, false);
    await expect(verifier.getByTestId('thread')).toContainText('Saya ajukan banding');
    const uphold = verifier.getByTestId('command-uphold_appeal');
    await uphold.getByRole('button', { name: 'Terima banding' }).click();
    await expect(verifier.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
    await verifier.context().close();
    await officer.context().close();
  });
});

test('routing rule → suggested dispatch; a joint case with a co-agency; templates and the copy-paste warning', async ({ page, browser }) => {
  const u = unique();
  const adminEmail = `admin-rute-${u}@uji.example.org`;
  const verifierEmail = `verifikator-rute-${u}@uji.example.org`;
  const puprAdminEmail = `admin-pupr-${u}@uji.example.org`;
  const puprOfficerEmail = `petugas-pupr-${u}@uji.example.org`;
  const dinkesOfficerEmail = `petugas-dinkes-${u}@uji.example.org`;
  addUser(adminEmail, 'system_admin');
  addUser(verifierEmail, 'verifier', 'PROV-76');
  addUser(puprAdminEmail, 'agency_admin', '76-PUPR');
  addUser(puprOfficerEmail, 'agency_officer', '76-PUPR');
  addUser(dinkesOfficerEmail, 'agency_officer', '76-DINKES');

  // Two reports about roads in Mamuju.
  const titles = [`Drainase tersumbat ${u}`, `Gorong-gorong ambrol ${u}`];
  for (const title of titles) {
    const res = await page.request.post('/api/v1/reports', {
      data: {
        kind: 'complaint',
        title,
        description: 'Air meluap ke jalan setiap hujan karena saluran tersumbat dan rusak di beberapa titik.',
        category_id: 1,
        region_code: '76.04',
      },
    });
    expect(res.status()).toBe(201);
  }

  // The system administrator routes roads in Mamuju to Dinas PUPR.
  const admin = await staffPage(browser, adminEmail, true);
  await admin.goto('/admin/rute');
  const rule = admin.getByTestId('rule-form');
  await rule.getByLabel('Kategori').selectOption({ label: 'Infrastruktur (jalan, jembatan, drainase)' });
  await rule.getByLabel('Wilayah').selectOption('76.04');
  await rule.getByLabel('Instansi').selectOption({ label: PUPR });
  await rule.getByRole('button', { name: 'Tambah aturan' }).click();
  await expect(admin.getByTestId('rule')).toContainText('Dinas Pekerjaan Umum dan Penataan Ruang');
  expect(await new AxeBuilder({ page: admin }).analyze().then((r) => r.violations)).toEqual([]);
  await admin.context().close();

  // The verifier finds the suggestion pre-selected, dispatches both, and makes the first a
  // joint case with Dinas Kesehatan.
  const verifier = await staffPage(browser, verifierEmail, true);
  await verifier.goto(`/staf?q=${u}`);
  await expect(verifier.getByTestId('report-list').getByRole('link')).toHaveCount(2);
  for (const title of titles) {
    await openReport(verifier, title);
    await expect(verifier.getByTestId('suggestion')).toContainText('Dinas Pekerjaan Umum dan Penataan Ruang');
    await verifier.getByTestId('command-dispatch').getByRole('button', { name: 'Teruskan ke instansi' }).click();
    await expect(verifier.getByTestId('agency')).toContainText('Dinas Pekerjaan Umum dan Penataan Ruang');
  }
  await openReport(verifier, titles[0]);
  const co = verifier.getByTestId('co-agency-form');
  await co.getByLabel(/instansi pendamping/).selectOption({ label: '· Dinas Kesehatan Provinsi Sulawesi Barat' });
  await co.getByRole('button', { name: 'Tambahkan' }).click();
  await expect(verifier.getByTestId('co-agencies')).toContainText('Dinas Kesehatan');
  await verifier.context().close();

  // The co-agency's officer sees the joint case and contributes, but cannot answer it.
  const dinkes = await staffPage(browser, dinkesOfficerEmail, false);
  await expect(dinkes.getByTestId('nav-bell').getByTestId('unread')).toBeVisible();
  await openReport(dinkes, titles[0]);
  const dfollow = dinkes.getByTestId('command-message');
  await expect(dfollow.getByLabel('Tandai sudah dijawab')).toHaveCount(0);
  await dfollow.getByLabel('Catat tindak lanjut').check();
  await dfollow.getByLabel('Pesan untuk pelapor').fill('Dinkes memeriksa genangan untuk mencegah penyakit berbasis air.');
  await dfollow.getByRole('button', { name: 'Kirim pesan' }).click();
  await expect(dinkes.getByTestId('thread')).toContainText('Dinas Kesehatan');
  await dinkes.context().close();

  // Dinas PUPR keeps a reply template.
  const puprAdmin = await staffPage(browser, puprAdminEmail, true);
  await puprAdmin.goto('/staf/templat');
  const form = puprAdmin.getByTestId('template-form');
  await form.getByLabel('Judul laporan').fill(`Peninjauan ${u}`);
  await form.getByLabel('Pesan').fill('Terima kasih atas laporan {nomor}. {instansi} menjadwalkan peninjauan lokasi minggu ini dan akan mengabarkan hasilnya di sini.');
  await form.getByRole('button', { name: 'Simpan templat' }).click();
  await expect(puprAdmin.getByTestId('template')).toContainText(`Peninjauan ${u}`);
  await puprAdmin.context().close();

  // The officer starts both replies from the template: the second is held back as a near copy.
  const officer = await staffPage(browser, puprOfficerEmail, false);
  for (const [i, title] of titles.entries()) {
    await openReport(officer, title);
    await officer.getByTestId('templates').locator('summary').click();
    await officer.getByRole('link', { name: `Peninjauan ${u}` }).click();
    const form = officer.getByTestId('command-message');
    await expect(form.getByLabel('Pesan untuk pelapor')).toHaveValue(/menjadwalkan peninjauan lokasi/);
    await expect(form.getByLabel('Pesan untuk pelapor')).not.toHaveValue(/\{nomor\}/);
    if (i === 0) {
      await form.getByRole('button', { name: 'Kirim pesan' }).click();
      await expect(officer.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
      continue;
    }
    // The second is held: unmistakably not sent, in place.
    await form.getByRole('button', { name: 'Kirim pesan' }).click();
    const hold = officer.getByTestId('near-duplicate');
    await expect(hold).toBeVisible();
    await expect(hold).toContainText('Belum terkirim');
    await expect(officer.getByTestId('status')).toHaveText('Diteruskan ke instansi');
    await expect(officer.getByTestId('acted')).toHaveCount(0);
    // What was typed and chosen stays.
    await expect(form.getByLabel('Pesan untuk pelapor')).toHaveValue(/menjadwalkan peninjauan lokasi/);
    await expect(form.getByLabel('Catat tindak lanjut')).toBeChecked();
    await test.info().attach('answer held by the copy-paste check', { body: await form.screenshot(), contentType: 'image/png' });
    await hold.getByLabel('Tetap kirim balasan ini').check();
    await form.getByRole('button', { name: 'Kirim pesan' }).click();
    await expect(officer.getByTestId('status')).toHaveText('Sedang ditindaklanjuti');
    await expect(officer.getByTestId('acted')).toContainText('Status kini: Sedang ditindaklanjuti');
    await test.info().attach('answer sent after the hold', { body: await officer.getByTestId('acted').screenshot(), contentType: 'image/png' });
  }
  await officer.context().close();
});

test("a verifier's working day: count, pages of 50, urgent and assigned at once, a saved view, next-report flow, 30 cleared", async ({ page, browser }) => {
  const u = unique();
  const email = `verifikator-hari-${u}@uji.example.org`;
  addUser(email, 'verifier', 'PROV-76');
  // 52 reports of one morning.
  const titles: string[] = [];
  for (let i = 0; i < 52; i++) {
    const title = `Lampu jalan padam ${u} nomor ${i}`;
    titles.push(title);
    const res = await page.request.post('/api/v1/reports', {
      data: {
        kind: 'complaint',
        title,
        description: 'Lampu penerangan jalan padam sejak seminggu sehingga jalan gelap dan rawan di malam hari.',
        category_id: 1,
        region_code: '76.04',
      },
    });
    expect(res.status()).toBe(201);
  }
  const v = await staffPage(browser, email, true);
  // The list opens on what needs a verifier now, counted.
  const needs = v.getByTestId('list-tabs').getByRole('link', { name: /Perlu tindakan saya \(\d+\)/ });
  await expect(needs).toHaveAttribute('aria-current', 'page');
  await expect(v.getByTestId('list-count')).toContainText('laporan');

  // The morning's reports: 52, in pages of 50.
  await v.goto(`/staf?tampil=semua&q=${u}`);
  await waitForHydration(v);
  await expect(v.getByTestId('list-count')).toContainText('52 laporan');
  const rows = v.getByTestId('report-list').locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await test.info().attach('work list at 1280 px', { body: await v.screenshot({ fullPage: true }), contentType: 'image/png' });

  // Applying with nothing ticked says what is missing, where the person is looking.
  await v.getByLabel('Prioritas').selectOption('2');
  await v.getByRole('button', { name: 'Terapkan ke yang dicentang' }).click();
  await expect(v.getByText('Pilih sedikitnya satu laporan di daftar')).toBeVisible();

  // Two of them are urgent and the verifier takes them: one action.
  const urgent = [titles[40], titles[41]];
  for (const t of urgent) await v.getByRole('checkbox', { name: t, exact: true }).check();
  await v.getByLabel('Prioritas').selectOption('2');
  const me = await v.getByLabel('Petugas').locator('option', { hasText: '(saya)' }).getAttribute('value');
  await v.getByLabel('Petugas').selectOption(me!);
  await v.getByRole('button', { name: 'Terapkan ke yang dicentang' }).click();
  await expect(v.getByTestId('list-notice')).toHaveText('Selesai: 2 laporan diubah.');
  // Urgent reports lead the list.
  await v.reload();
  const firstTwo = await rows.locator('a[id^="judul-"]').evaluateAll((as) => as.slice(0, 2).map((a) => a.textContent));
  expect(firstTwo.sort()).toEqual([...urgent].sort());
  await expect(rows.first().getByTestId('row-assignee')).not.toContainText('belum ditugaskan');

  // The next page holds the other two, none repeated.
  await v.getByTestId('next-page').click();
  await expect(rows).toHaveCount(2);
  await expect(v.getByRole('link', { name: /Ke awal daftar/ })).toBeVisible();

  // "Assigned to me" holds exactly the two taken.
  await v.goto('/staf?tampil=semua&tugas=saya');
  await expect(v.getByTestId('list-count')).toContainText('2 laporan');
  for (const t of urgent) await expect(v.getByRole('link', { name: t, exact: true })).toBeVisible();
  expect(await new AxeBuilder({ page: v }).analyze().then((r) => r.violations)).toEqual([]);

  // Oldest first, saved as a view: one click brings it back.
  await v.goto(`/staf?tampil=semua&q=${u}&urut=terlama`);
  await waitForHydration(v);
  await expect(rows.locator('a[id^="judul-"]').first()).toHaveText(titles[0]);
  await v.getByLabel('Simpan saringan ini sebagai').fill(`Pagi ${u}`);
  await v.getByRole('button', { name: 'Simpan tampilan' }).click();
  const saved = v.getByTestId('saved-views').getByRole('link', { name: `Pagi ${u}` });
  await expect(saved).toBeVisible();
  await v.goto('/staf');
  await v.getByTestId('saved-views').getByRole('link', { name: `Pagi ${u}` }).click();
  await expect(v).toHaveURL(/urut=terlama/);
  await expect(rows.locator('a[id^="judul-"]').first()).toHaveText(titles[0]);

  // The next-report flow: the urgent two, one after the other, without going back to the list.
  await v.goto('/staf');
  await waitForHydration(v);
  await v.getByRole('link', { name: urgent[0], exact: true }).click();
  await expect(v.getByTestId('next-report')).toHaveAttribute('accesskey', 'n');
  for (const title of urgent) {
    await expect(v.getByRole('heading', { name: title })).toBeVisible();
    const dispatch = v.getByTestId('command-dispatch');
    await dispatch.getByLabel('Instansi').selectOption({ label: PUPR });
    await dispatch.getByRole('button', { name: 'Teruskan ke instansi' }).click();
    await expect(v.getByTestId('acted')).toContainText('Status kini: Diteruskan ke instansi');
    if (title === urgent[0]) {
      await expect(v.getByTestId('acted-next')).toContainText(urgent[1]);
      await test.info().attach('after dispatching: saved, and the next report', { body: await v.screenshot(), contentType: 'image/png' });
      await v.getByTestId('acted-next').click();
    }
  }

  // Twenty-eight more for the same agency: ticked, one choice, one confirmation.
  await v.goto(`/staf?tampil=semua&q=${u}`);
  await waitForHydration(v);
  const batch = titles.slice(0, 28);
  for (const t of batch) await v.getByRole('checkbox', { name: t, exact: true }).check();
  await v.getByTestId('bulk-dispatch').locator('summary').click();
  await v.getByLabel('Instansi tujuan').selectOption({ label: PUPR });
  await v.getByTestId('bulk-dispatch-confirm').click();
  await expect(v.getByTestId('list-notice')).toHaveText('Selesai: 28 laporan diubah.');
  await v.goto(`/staf?tampil=semua&q=${u}&status=dispatched`);
  await expect(v.getByTestId('list-count')).toContainText('30 laporan');
  await v.goto(`/staf?tampil=semua&q=${u}&status=awaiting_verification`);
  await expect(v.getByTestId('list-count')).toContainText('22 laporan');

  // On a phone the same list stacks as cards, and nothing is wider than the screen.
  await v.setViewportSize({ width: 360, height: 740 });
  await v.goto(`/staf?tampil=semua&q=${u}`);
  expect(await v.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await test.info().attach('work list at 360 px', { body: await v.screenshot({ fullPage: true }), contentType: 'image/png' });
  await v.context().close();
});
