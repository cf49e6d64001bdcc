/**
 * The HTML report opened in a real browser: Debian's Chromium driven by playwright-core, one
 * launch for the file, one page at 1280 px and one at 360 px (a phone). A 16-request offline run
 * of two rounds with a sweep and a check that holds whatever the load (failed==0) writes
 * test-output/report.html; the page must render without console errors, request nothing but
 * itself, answer first (the verdict banner above every chart), never scroll sideways at 360 px,
 * keep every SVG text at least 10 px tall, and draw one waterfall per result (folded behind
 * <details>: four results) with one bar per request. Screenshots at both widths go to test-output/ for people to look at.
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
import { ROOT, describeRun } from '../helpers/cli.js';
import { runBuiltInProcess } from '../helpers/in-process.js';
import { parseJsonReport } from '../helpers/expectations.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test-output');
const REPORT = join(OUTPUT, 'report.html');
const SCREENSHOT = join(OUTPUT, 'report.png');
const SCREENSHOT_DARK = join(OUTPUT, 'report-dark.png');
const SCREENSHOT_NARROW = join(OUTPUT, 'report-360.png');
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 360, height: 780 };
const ROUNDS = 2;

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
  results: Array<{ strategy: string; concurrency: number | null; requests: number; runs: unknown[] }>;
  recommendation?: { concurrency: number };
  thresholds?: unknown[];
}

const keyOf = (r: Doc['results'][number]): string => (r.strategy === 'bounded' ? `bounded@${r.concurrency}` : r.strategy);

let doc: Doc;
let context: BrowserContext;
let page: Page;
/** The same report at 360 px. */
let narrow: Page;
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
  // In this process: the page is what is tested here, and a spawned CLI would only add its start-up.
  const result = await runBuiltInProcess(['pokemon', '--offline', '-n', '16', '--latency', '20-80', '--seed', '7', '-c', '3,6', '--runs', String(ROUNDS), '--threshold', 'failed==0', '--json', '--report', REPORT]);
  expect(result.code, describeRun(result)).toBe(0);
  doc = parseJsonReport<Doc>(result);

  // A fresh profile each time: no cache, no state from an earlier run.
  profile = mkdtempSync(join(tmpdir(), 'async-bench-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: WIDE,
  });
  context.on('request', (request) => void requested.push(request.url()));
  const open = async (viewport: { width: number; height: number }): Promise<Page> => {
    const p = await context.newPage();
    await p.setViewportSize(viewport);
    p.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    p.on('pageerror', (error) => void consoleErrors.push(error.message));
    await p.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
    return p;
  };
  page = await open(WIDE);
  narrow = await open(NARROW);
}, 90_000);

/** Opens every folded figure: the first by a click on its caption, as a reader would, the rest at once. */
async function unfold(p: Page): Promise<void> {
  const folded = p.locator('details.figure:not([open]) > summary');
  if ((await folded.count()) === 0) return;
  await folded.first().click();
  await p.evaluate(`document.querySelectorAll('details.figure').forEach((d) => { d.open = true; })`);
}

/*
 * Code run in the page, as text: the type check knows Node's globals, not the browser's.
 * SVG_TEXT_SIZES: the em size in CSS px of every SVG text that is drawn (font size times the
 * element's scale on screen; the narrow screen hides some labels). WIDTHS: how wide the page and
 * the summary table are laid out.
 */
const SVG_TEXT_SIZES = `[...document.querySelectorAll('svg text')]
  .filter((t) => t.getBoundingClientRect().width > 0)
  .map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.d ?? 1) }))`;
const WIDTHS = `({ page: document.documentElement.scrollWidth, table: document.querySelector('table.summary').scrollWidth })`;

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
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

  test('answers first: the verdict banner and the command, above every chart, in the first screen at 360 px', async () => {
    for (const p of [narrow, page]) {
      const banner = (await p.locator('#verdict').boundingBox())!;
      const firstChart = (await p.locator('svg').first().boundingBox())!;
      expect(banner.y + banner.height).toBeLessThanOrEqual(firstChart.y);
      expect(await p.locator('#verdict').innerText()).toMatch(/Fastest like for like\s+\S[\s\S]*Recommended limit\s+-c \d+[\s\S]*Checks\s+PASS/);
    }
    const command = (await narrow.locator('#verdict pre.command').boundingBox())!;
    expect(command.y + command.height).toBeLessThanOrEqual(NARROW.height);
    expect(await narrow.locator('#verdict pre.command').innerText()).toMatch(/^async-bench pokemon --offline -n 16 .*--report /);
    expect(await narrow.locator('header time').getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('folds the four waterfalls behind their captions', async () => {
    for (const p of [narrow, page]) {
      expect(await p.locator('details.figure:not([open]) svg.waterfall').count()).toBe(4);
      expect(await p.locator('svg.waterfall').first().isVisible()).toBe(false);
      await unfold(p);
      expect(await p.locator('details.figure[open] svg.waterfall').count()).toBe(4);
    }
  });

  test('never scrolls sideways, at 360 px as at 1280 px: wide tables scroll in their own box', async () => {
    for (const [p, viewport] of [[narrow, NARROW], [page, WIDE]] as const) {
      const widths = (await p.evaluate(WIDTHS)) as { page: number; table: number };
      expect(widths.page).toBeLessThanOrEqual(viewport.width);
      if (p === narrow) expect(widths.table).toBeGreaterThan(viewport.width); // the table is wider, and scrolls in its box
    }
  });

  test('keeps every SVG text at least 10 px tall, at 360 px as at 1280 px', async () => {
    for (const p of [narrow, page]) {
      await unfold(p);
      const sizes = (await p.evaluate(SVG_TEXT_SIZES)) as Array<{ text: string; px: number }>;
      expect(sizes.length).toBeGreaterThan(50);
      expect(sizes.filter((s) => s.px < 10)).toEqual([]);
    }
  });

  test('draws one waterfall per result, with one visible bar per request', async () => {
    await unfold(page);
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
      // The median round's requests.
      const requests = doc.results[i]!.requests / ROUNDS;
      expect(requests).toBe(16);
      expect(d.bars, d.key ?? '').toBe(requests);
      expect(d.visibleBars, d.key ?? '').toBe(requests);
      expect(d.width).toBeGreaterThan(500);
    });
  });

  test('draws the latency histograms, the sweep curve with its recommendation, every round, the checks and the configuration', async () => {
    expect(await page.locator('svg.histogram').count()).toBe(doc.results.length);
    expect(await page.locator('svg.runs circle.run').count()).toBe(doc.results.length * ROUNDS);
    expect(await page.locator('svg.sweep circle.point').count()).toBe(2);
    expect(await page.locator('svg.sweep circle.recommended').count()).toBe(1);
    expect(await page.locator('#sweep').innerText()).toContain(`Recommended concurrency: ${doc.recommendation!.concurrency}`);
    expect(await page.locator('#checks tbody tr').count()).toBe(doc.thresholds!.length);
    expect(await page.locator('table.summary tbody tr').count()).toBe(doc.results.length);
    expect(await page.locator('#config').innerText()).toContain('seed');
  });

  test('writes screenshots for people to look at: 1280 px (light and dark) and 360 px', async () => {
    await unfold(page);
    await unfold(narrow);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await narrow.screenshot({ path: SCREENSHOT_NARROW, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: SCREENSHOT_DARK, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const file of [SCREENSHOT, SCREENSHOT_DARK, SCREENSHOT_NARROW]) expect(statSync(file).size).toBeGreaterThan(10_000);
  });
});
