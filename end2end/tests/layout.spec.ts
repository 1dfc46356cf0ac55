import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { addUser, failOnPageProblems, signInWithNewTotp, unique } from './helpers';

// Every screen at 360 px: nothing wider than the phone, and on the citizen's pages every tap
// target at least 44 px tall (links inside running text excepted, as WCAG 2.5.8 does).

failOnPageProblems();

async function widthOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Visible controls shorter than 44 px, as "tag 'text' (height)"; inline links in text skipped. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
    for (const el of Array.from(controls)) {
      const box = (el as HTMLElement).getBoundingClientRect();
      // Hidden, or visually hidden (the skip link until it is focused).
      if (box.width <= 1 || box.height <= 1) continue;
      if ((el as HTMLElement).closest('[hidden]')) continue;
      // A link inside a sentence: its size is the text's (the exception of WCAG 2.5.8).
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') continue;
      // A radio or checkbox counts with its label (the label is the target).
      const input = el as HTMLInputElement;
      if (el.tagName === 'INPUT' && (input.type === 'radio' || input.type === 'checkbox')) {
        const label = input.labels?.[0]?.getBoundingClientRect();
        if (label && label.height >= 44) continue;
      }
      if (box.height < 43.5) out.push(`${el.tagName.toLowerCase()} '${(el.textContent ?? '').trim().slice(0, 30)}' (${Math.round(box.height)} px)`);
    }
    return out;
  });
}

test('citizen pages fit 360 px and their tap targets are 44 px', async ({ page }) => {
  // A report to track.
  const res = await page.request.post('/api/v1/reports', {
    data: {
      kind: 'complaint',
      title: `Jalan berlubang ${unique()}`,
      description: 'Lubang besar di jalan depan pasar membuat pengendara motor jatuh saat hujan turun.',
      category_id: 1,
      region_code: '76.04',
    },
  });
  expect(res.status()).toBe(201);
  const { tracking_code } = await res.json();
  const pages = ['/', '/lapor', '/lacak', `/lacak/${tracking_code}`, '/laporan', '/statistik', '/masuk', '/daftar', '/lupa-sandi'];
  const problems: string[] = [];
  for (const path of pages) {
    await page.goto(path);
    const width = await widthOf(page);
    if (width > 360) problems.push(`${path}: ${width} px wide`);
    for (const s of await smallTargets(page)) problems.push(`${path}: ${s}`);
  }
  expect(problems).toEqual([]);
});

test('staff and admin pages fit 360 px', async ({ browser }) => {
  const email = `sysadmin-layout-${unique()}@uji.example.org`;
  addUser(email, 'system_admin');
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await signInWithNewTotp(page, email);
  const problems: string[] = [];
  for (const path of ['/staf', '/staf?tampil=semua', '/pengawasan', '/akun', '/notifikasi', '/admin/pengguna', '/admin/instansi', '/admin/rute', '/admin/libur']) {
    await page.goto(path);
    const width = await widthOf(page);
    if (width > 360) problems.push(`${path}: ${width} px wide`);
  }
  // A report page too.
  await page.goto('/staf?tampil=semua');
  const first = page.locator('a[id^="judul-"]').first();
  if ((await first.count()) > 0) {
    await first.click();
    await expect(page.getByTestId('report-nav')).toBeVisible();
    const width = await widthOf(page);
    if (width > 360) problems.push(`report page: ${width} px wide`);
  }
  expect(problems).toEqual([]);
  await ctx.close();
});

test('the component gallery (development only): every piece fits 360 px, axe 0, both widths attached', async ({ page }) => {
  await page.goto('/dev/komponen');
  await expect(page.getByRole('heading', { name: 'Komponen Aduan' })).toBeVisible();
  expect(await page.getByTestId('component').count()).toBeGreaterThanOrEqual(9);
  expect(await widthOf(page)).toBeLessThanOrEqual(360);
  expect(await new AxeBuilder({ page }).analyze().then((r) => r.violations)).toEqual([]);
  await test.info().attach('components at 360 px', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await test.info().attach('components at 1280 px', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test.describe('a browser set to English', () => {
  test.use({ locale: 'en-US' });

  test('is answered in English on its first visit, until the switch chooses Indonesian', async ({ page }) => {
    await page.goto('/laporan');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    // The public pages name their versions in each language.
    await expect(page.locator('link[rel="alternate"][hreflang="id"]')).toHaveAttribute('href', '/laporan?lang=id');
    await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute('href', '/laporan?lang=en');
    await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute('href', '/laporan');
    await page.getByTestId('lang-switch').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    // The choice is kept (the cookie) over the browser's language.
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'id');
    // Staff pages are not alternates of anything.
    await page.goto('/masuk');
    await expect(page.locator('link[rel="alternate"][hreflang]')).toHaveCount(0);
  });
});
