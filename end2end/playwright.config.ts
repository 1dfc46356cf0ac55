import { defineConfig, devices } from '@playwright/test';

// Runs the real `aduan` release binary (built by `cargo leptos build --release`) on a fresh
// SQLite file, in Debian's Chromium. scripts/test sets ADUAN_E2E_PORT and ADUAN_E2E_DB.
const port = Number(process.env.ADUAN_E2E_PORT ?? 3210);
const db = process.env.ADUAN_E2E_DB ?? '/tmp/aduan-e2e.db';
// ADUAN_E2E_DATABASE_URL runs the same journeys on PostgreSQL instead of the SQLite file.
const databaseUrl = process.env.ADUAN_E2E_DATABASE_URL ?? `sqlite://${db}?mode=rwc`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Pixel 5'],
    viewport: { width: 360, height: 740 },
    // Citizens' phones in Indonesia: the first visit is answered in the browser's language.
    locale: 'id-ID',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'target/release/aduan',
    cwd: '..',
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ADUAN_DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      ADUAN_TRACK_LOOKUPS_PER_MINUTE: '1000',
      // The tests' key for two-step secrets (a real deployment generates its own).
      ADUAN_SECRET_KEY: '2a'.repeat(32),
      // Development pages (`/dev/komponen`); the key above is still the one used.
      ADUAN_DEMO: '1',
      RUST_LOG: 'warn',
    },
  },
});
