import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExponentialBackoff } from '../../src/orchestrator/retry-policy.js';
import { startDashboardServer, type DashboardServer } from '../helpers/dashboard-server.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

const CHROMIUM = '/usr/bin/chromium';
// Screenshots go to docs/ (shown in the README) only when asked, so a test run leaves the tree clean.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(import.meta.dirname, '..', '..', 'docs')
  : mkdtempSync(join(tmpdir(), 'megamind-shots-'));

let browser: Browser;
let server: DashboardServer;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium"`,
    );
  dir = mkdtempSync(join(tmpdir(), 'megamind-e2e-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Short waits everywhere: a hang is stuck after 3 s, retries come back within a second. The
  // demo's first job hangs once for sure (its database migration): the test follows it.
  server = await startDashboardServer(
    join(dir, 'megamind.db'),
    {
      seed: 11,
      initialJobs: 5,
      intervalMs: 700,
      largeShare: 0.2,
      services: {
        faults: {
          hang: 0.1,
          overloaded: 0.1,
          truncated: 0.1,
          modelReset: 0.1,
          registryReset: 0.15,
        },
        msPerFile: 10,
        rateLimit: { requests: 12, windowMs: 1000 },
      },
      // Stuck for 3 s: long enough for a loaded machine to show it at 25% before the heal.
      pipeline: { timeoutMs: 5000, stuckAfterMs: 3000, maxAttempts: 6 },
    },
    // The monitor scans often, so a hang is found stuck well before its attempt would time out.
    {
      retryPolicy: new ExponentialBackoff({ initialDelayMs: 200, maxDelayMs: 1000 }),
      monitor: { scanIntervalMs: 250 },
      heal: true,
    },
    undefined,
    // The page opens first and sees the jobs arrive.
    { runDemo: false },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (!process.env.UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
});

/** Requests the page made to anywhere but this server. */
function outsideRequests(page: Page): string[] {
  const outside: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:'))
      outside.push(request.url());
  });
  return outside;
}

/** Controls with no accessible name (no label, aria-label or text). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.$$eval('button, input:not([type=hidden]), select, textarea, a', (elements) =>
    elements
      .filter((element) => {
        const labels = (element as unknown as { labels?: { length: number } }).labels;
        const labelled =
          labels?.length ||
          element.getAttribute('aria-label') ||
          element.getAttribute('aria-labelledby');
        return !labelled && (element.textContent ?? '').trim() === '';
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
}

// A browser on a busy two-core machine: generous bounds, though a run takes about 10 s.
describe('the /self-healing dashboard in Chromium', { timeout: 60_000 }, () => {
  it('shows the demo pipeline live: jobs with stage and progress, learned patterns, a healing scan and a pattern page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside = outsideRequests(page);
    await page.goto(`${server.url}/self-healing`);
    await expect.poll(() => page.textContent('#live'), { timeout: 10_000 }).toBe('live');
    // Marks this page load: a reload would lose it.
    await page.evaluate('window.__sameLoad = true');
    const jobCount = async () =>
      Number(/All (\d+) jobs/.exec((await page.textContent('#jobs')) ?? '')?.[1] ?? 0);
    const jobsAtLoad = await jobCount();
    const [stuckJob] = await server.demo.run();

    // The demo's first job hangs in its database migration: the page shows it stuck at 25%, live.
    const row = page.locator(`#jobs tr[data-job-id="${stuckJob!.id}"]`);
    await row
      .locator('.progress-label', { hasText: 'Setting up database foundation — 25%' })
      .waitFor({ timeout: 30_000 });
    await expect.poll(jobCount, { timeout: 20_000 }).toBeGreaterThan(jobsAtLoad);

    // Its page follows it: the monitor finds it stuck, the healer restarts it, and it completes.
    await row.getByRole('link', { name: `job ${stuckJob!.id}` }).click();
    await page.waitForURL(/\/self-healing\/jobs\/[^/]+$/);
    await expect.poll(() => page.textContent('#live'), { timeout: 10_000 }).toBe('live');
    const heals = page.locator('#job-heals tr[data-improvement-id]');
    const stuckHeal = heals.filter({
      has: page.locator('.detected', {
        hasText: /stuck at 'Setting up database foundation' \(25%\)/,
      }),
    });
    await stuckHeal.waitFor({ timeout: 30_000 });
    // What was detected, and whether the stuck pattern was new (or known from another hung job).
    expect(await stuckHeal.locator('.badge.new, .badge.known').textContent()).toMatch(
      /^(new|known)$/,
    );
    expect(await stuckHeal.locator('td code').first().textContent()).not.toBe('');
    await page.locator('#job .badge.state-completed').waitFor({ timeout: 45_000 });
    expect(await page.locator('#job .badge.healed').textContent()).toBe('self-healed');
    // The completion validates the heal that let it through.
    await heals
      .filter({ has: page.locator('.badge.validation-validated') })
      .first()
      .waitFor({ timeout: SLOW_MACHINE.timeout });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-healed-job.png'), fullPage: true });
    expect(await unnamedControls(page)).toEqual([]);
    await page.goBack();
    await page.waitForURL(/\/self-healing$/);
    await expect.poll(() => page.textContent('#live'), { timeout: 10_000 }).toBe('live');
    await page.evaluate('window.__sameLoad = true');
    await page.locator('#jobs .states .badge.state-completed').first().waitFor({ timeout: 30_000 });

    // The monitor finds a job stuck at 25% and restarts it: the stuck pattern is learned.
    await page
      .locator('#patterns table.patterns code', { hasText: /stuck/i })
      .first()
      .waitFor({ timeout: 30_000 });
    await expect.poll(() => page.textContent('#monitor'), SLOW_MACHINE).toMatch(/Leader\S+:\d+/);
    // The healer is on, as in `megamind start`: a job completes after a heal and shows it, live.
    await page
      .locator('#jobs .badge.healed', { hasText: 'self-healed' })
      .first()
      .waitFor({ timeout: 45_000 });

    // A pattern appears with its success rate: the healer's heals are decided as jobs go on.
    await page
      .locator('#patterns table.patterns tbody tr .success-rate', {
        hasText: /^\d+% \(\d+\/\d+\)$/,
      })
      .first()
      .waitFor({ timeout: 30_000 });

    // The scan answers, whatever the server can do: a report, or an honest "not available yet".
    await page.getByRole('button', { name: 'Trigger healing scan' }).click();
    await expect
      .poll(() => page.textContent('#scan-result'), { timeout: 15_000 })
      .toMatch(/^(Scanned \d+ jobs?|Not available yet: )/);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-overview.png'), fullPage: true });
    expect(await unnamedControls(page)).toEqual([]);
    expect(await page.evaluate('window.__sameLoad')).toBe(true);

    // A pattern's page: what it is, how its remedies did, where it occurred. One learned from a
    // failed attempt, so the job it leads to has that attempt to show (a stuck job is restarted).
    await page
      .locator('#patterns table.patterns tbody tr', {
        hasNot: page.locator('code', { hasText: /stuck/i }),
      })
      .locator('a')
      .first()
      .click();
    await page.waitForURL(/\/self-healing\/patterns\/[^/]+$/);
    await expect.poll(() => page.textContent('h1'), SLOW_MACHINE).toMatch(/^Pattern /);
    expect(await page.locator('#pattern dt', { hasText: 'Root cause' }).count()).toBe(1);
    await page.locator('#occurrences li').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-pattern.png'), fullPage: true });
    expect(await unnamedControls(page)).toEqual([]);

    // Without API keys everyone is an admin: a corrected root cause saves and shows at once.
    await page.getByText('Edit root cause, solution and prevention').click();
    await page
      .getByLabel('Root cause', { exact: true })
      .fill('The demo model API throttles bursts.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.textContent('#edit-result'), SLOW_MACHINE).toBe('Saved.');
    await expect
      .poll(() => page.textContent('#pattern [data-field=rootCause]'), SLOW_MACHINE)
      .toBe('The demo model API throttles bursts.');

    // A job's page: its state and progress, attempts and errors, checkpoint and heals.
    await page.locator('#occurrences li a').first().click();
    await page.waitForURL(/\/self-healing\/jobs\/[^/]+$/);
    await expect
      .poll(() => page.textContent('h1'), SLOW_MACHINE)
      .toMatch(/^Job \S+ · generate-app$/);
    await page.locator('#attempts tbody tr').first().waitFor();
    expect(await page.locator('#job .progress-label').textContent()).toMatch(/ — \d+%$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-job.png'), fullPage: true });
    expect(outside).toEqual([]);
    await page.close();
  });

  it('asks for an API key when the server has keys; a read key sees everything and cannot trigger a scan', async () => {
    const keyed = await startDashboardServer(
      join(dir, 'keyed.db'),
      { initialJobs: 2, intervalMs: 60_000, largeShare: 0 },
      {},
      { 'read-key-0123456789': 'read' },
    );
    try {
      const page = await browser.newPage();
      await page.goto(`${keyed.url}/self-healing`);
      await page.getByLabel('API key', { exact: true }).fill('read-key-0123456789');
      await page.getByRole('button', { name: 'Use this key' }).click();
      await page.locator('#jobs .progress-label').first().waitFor({ timeout: 15_000 });
      await expect.poll(() => page.textContent('#live'), { timeout: 10_000 }).toBe('live');
      await page.getByRole('button', { name: 'Trigger healing scan' }).click();
      await expect
        .poll(() => page.textContent('#scan-result'), { timeout: 10_000 })
        .toMatch(/^Your API key may not do this/);
      await page.getByRole('button', { name: 'Forget API key' }).click();
      await page.getByLabel('API key', { exact: true }).waitFor();
      await page.close();
    } finally {
      await keyed.close();
    }
  });

  it('reads on a phone: one column, nothing wider than the screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${server.url}/self-healing`);
    await page.locator('#jobs .progress-label').first().waitFor({ timeout: 20_000 });
    // A string, because this project's TypeScript has no DOM types; it runs in the page.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-phone.png') });
    await page.close();
  });
});
