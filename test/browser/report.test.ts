/**
 * The HTML report opened in a real browser: Debian's Chromium driven by playwright-core.
 * A 20-request offline run with a sweep and a threshold writes test-output/report.html; the
 * page must render without console errors, draw one waterfall per result with one bar per
 * request, and request nothing but itself. Screenshots go to test-output/ for people to look at.
 *
 * Under CI, Chromium is not optional: .ci/run installs it (apt-get install chromium) when
 * /usr/bin/chromium is missing, and without it this suite fails and says so. On a developer's
 * machine with only Node and npm, `npm test` must still pass: there the suite is skipped, with
 * a line saying why and how to run it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, cleanupCli, describeRun, run } from '../helpers/cli.js';
import { parseJsonReport } from '../helpers/expectations.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test-output');
const REPORT = join(OUTPUT, 'report.html');
const SCREENSHOT = join(OUTPUT, 'report.png');
const SCREENSHOT_DARK = join(OUTPUT, 'report-dark.png');

/**
 * Headless, and quiet on the network: this machine's closed network refuses Chromium's own
 * background connections (updates, sync, QUIC probes), which would otherwise stall or log.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Doc {
  results: Array<{ strategy: string; concurrency: number | null; requests: number }>;
  recommendation?: { concurrency: number };
  thresholds?: unknown[];
}

const keyOf = (r: Doc['results'][number]): string => (r.strategy === 'bounded' ? `bounded@${r.concurrency}` : r.strategy);

let doc: Doc;
let context: BrowserContext;
let page: Page;
let profile: string;
/** Every URL the browser requested for the page, in order. */
const requested: string[] = [];
const consoleErrors: string[] = [];

const HAVE_CHROMIUM = existsSync(CHROMIUM);
const RUN_BROWSER = HAVE_CHROMIUM || Boolean(process.env.CI);
if (!RUN_BROWSER) {
  process.stderr.write(`browser test skipped: ${CHROMIUM} is missing (CI installs it through .ci/run; apt-get install chromium to run it here)\n`);
}

beforeAll(async () => {
  if (!RUN_BROWSER) return;
  if (!HAVE_CHROMIUM) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's chromium package. .ci/run installs it (apt-get update && apt-get install -y chromium); run that, or install it yourself, then npm test again.`);
  }
  mkdirSync(OUTPUT, { recursive: true });
  rmSync(REPORT, { force: true });
  const result = await run(['pokemon', '--offline', '-n', '20', '--latency', '40-160', '--seed', '7', '-c', '3,6', '--threshold', 'speedup>=2', '--json', '--report', REPORT]);
  expect(result.code, describeRun(result)).toBe(0);
  doc = parseJsonReport<Doc>(result);

  // A fresh profile each time: no cache, no state from an earlier run.
  profile = mkdtempSync(join(tmpdir(), 'async-bench-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  context.on('request', (request) => void requested.push(request.url()));
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => void consoleErrors.push(error.message));
  await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
}, 90_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  cleanupCli();
});

describe.runIf(RUN_BROWSER)('the HTML report in Chromium', () => {
  test('is one file well under 1 MB', () => {
    expect(statSync(REPORT).size).toBeLessThan(1_000_000);
  });

  test('renders without console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  test('loads nothing from the network: every request is the file itself or data:', () => {
    expect(requested).toContain(pathToFileURL(REPORT).href);
    const elsewhere = requested.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'));
    expect(elsewhere).toEqual([]);
  });

  test('draws one waterfall per result, with one visible bar per request', async () => {
    const drawn = await page.$$eval('svg.waterfall', (svgs) =>
      svgs.map((svg) => ({
        key: svg.getAttribute('data-result'),
        bars: svg.querySelectorAll('rect.bar').length,
        // Laid out and painted at a real size, not an empty box.
        width: svg.getBoundingClientRect().width,
        visibleBars: [...svg.querySelectorAll('rect.bar')].filter((bar) => bar.getBoundingClientRect().width > 0).length,
      })),
    );
    expect(drawn.map((d) => d.key)).toEqual(doc.results.map(keyOf));
    expect(doc.results.map(keyOf)).toEqual(['sequential', 'all', 'bounded@3', 'bounded@6']);
    drawn.forEach((d, i) => {
      const requests = doc.results[i]!.requests;
      expect(requests).toBe(20);
      expect(d.bars, d.key ?? '').toBe(requests);
      expect(d.visibleBars, d.key ?? '').toBe(requests);
      expect(d.width).toBeGreaterThan(500);
    });
  });

  test('draws the latency histograms, the sweep curve with its recommendation, the checks and the configuration', async () => {
    expect(await page.locator('svg.histogram').count()).toBe(doc.results.length);
    expect(await page.locator('svg.sweep circle.point').count()).toBe(2);
    expect(await page.locator('svg.sweep circle.recommended').count()).toBe(1);
    expect(await page.locator('#sweep').innerText()).toContain(`Recommended concurrency: ${doc.recommendation!.concurrency}`);
    expect(await page.locator('#checks tbody tr').count()).toBe(doc.thresholds!.length);
    expect(await page.locator('table.summary tbody tr').count()).toBe(doc.results.length);
    expect(await page.locator('#config').innerText()).toContain('seed');
  });

  test('writes screenshots for people to look at', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: SCREENSHOT_DARK, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const file of [SCREENSHOT, SCREENSHOT_DARK]) expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
