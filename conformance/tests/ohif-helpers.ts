// Helpers of the OHIF Viewer conformance test (ohif.test.ts): the published OHIF build (npm package
// @ohif/app, fetched by `npm run ohif:fetch` into node_modules/.cache) served by
// conformance/ohif/ohif.mjs with OHIF's default DICOMweb data source pointed at Fovea, driven by a
// headless Chromium (puppeteer-core, the Debian chromium package). Every response with status >= 400,
// every failed request, page error and console error is recorded, so a test can assert there were none.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, ConsoleMessage, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import { REPO_ROOT } from './dicomweb-helpers';

export const OHIF_VERSION = '3.13.2';
export const OHIF_DIST = path.join(REPO_ROOT, 'node_modules', '.cache', `ohif-app-${OHIF_VERSION}`);
export const OHIF_MJS = path.join(REPO_ROOT, 'conformance', 'ohif', 'ohif.mjs');
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'ohif');

/** Why the OHIF test cannot run here, or undefined when it can. */
export function ohifUnavailable(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
  if (!fs.existsSync(path.join(OHIF_DIST, 'index.html')))
    return `no OHIF build in ${OHIF_DIST} (run: npm run ohif:fetch)`;
  return undefined;
}

export interface OhifServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts conformance/ohif/ohif.mjs serve on a free port; resolves once it prints its URL. */
export async function startOhif(dicomweb: string): Promise<OhifServer> {
  const child: ChildProcess = spawn(process.execPath, [OHIF_MJS, 'serve', '--dicomweb', dicomweb, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`ohif.mjs serve did not start: ${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ohif.mjs serve exited (${code}): ${out}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LaunchedBrowser {
  browser: Browser;
  stop(): Promise<void>;
}

/** Headless Chromium with a fresh profile and no background traffic (the machine is offline). */
export async function launchChromium(): Promise<LaunchedBrowser> {
  const { launch } = await import('puppeteer-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-ohif-chromium-'));
  const browser = await launch({
    executablePath: CHROMIUM,
    headless: true,
    protocolTimeout: 120_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    stop: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Everything that went wrong on a page while recording. */
export class PageProblems {
  readonly problems: string[] = [];
  readonly requests: string[] = [];
  private readonly onResponse = (r: HTTPResponse): void => {
    if (r.status() >= 400) this.problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  };
  private readonly onRequest = (r: HTTPRequest): void => {
    this.requests.push(`${r.method()} ${r.url()} Accept: ${r.headers()['accept'] ?? ''}`);
  };
  private readonly onFailed = (r: HTTPRequest): void => {
    this.problems.push(`request failed (${r.failure()?.errorText ?? '?'}) ${r.method()} ${r.url()}`);
  };
  private readonly onPageError = (e: unknown): void => {
    this.problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`);
  };
  private readonly onConsole = (m: ConsoleMessage): void => {
    if (m.type() === 'error') this.problems.push(`console error: ${m.text().slice(0, 500)}`);
  };

  constructor(private readonly page: Page) {
    page.on('response', this.onResponse);
    page.on('request', this.onRequest);
    page.on('requestfailed', this.onFailed);
    page.on('pageerror', this.onPageError);
    page.on('console', this.onConsole);
  }

  /** Stops recording (before the page navigates away and aborts what is still in flight). */
  detach(): void {
    this.page.off('response', this.onResponse);
    this.page.off('request', this.onRequest);
    this.page.off('requestfailed', this.onFailed);
    this.page.off('pageerror', this.onPageError);
    this.page.off('console', this.onConsole);
  }
}

export interface PixelStats {
  /** Share of pixels whose luma differs from the most common one (the background). */
  varied: number;
  /** Distinct luma values. */
  levels: number;
  /** Share of pixels with luma above 200 (near white). */
  bright: number;
}

/** Pixel statistics of the viewport canvas (its own pixels, without the DOM overlays on it). */
export async function canvasStats(page: Page): Promise<PixelStats> {
  const url = (await page.evaluate(
    `(() => { const c = document.querySelector('canvas.cornerstone-canvas'); return c ? c.toDataURL('image/png') : ''; })()`,
  )) as string;
  if (!url.startsWith('data:image/png;base64,')) return { varied: 0, levels: 0, bright: 0 };
  const img = PNG.sync.read(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
  const counts = new Map<number, number>();
  let bright = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const luma = Math.round(0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!);
    counts.set(luma, (counts.get(luma) ?? 0) + 1);
    if (luma > 200) bright++;
  }
  const total = img.width * img.height;
  const mode = Math.max(0, ...counts.values());
  return {
    varied: total === 0 ? 0 : (total - mode) / total,
    levels: counts.size,
    bright: total === 0 ? 0 : bright / total,
  };
}

/** An image is drawn: at least 1 % of the canvas differs from its most common colour (a canvas
 *  cornerstone has not drawn into is uniformly black). Not "many grey levels": under its own
 *  window a file may show as one flat colour (JPEG2KLossless_1s_1f_u_16_16.dcm: all pixels above
 *  32744, window centre 2725 width 5310, so white inside black margins), and dark ones pass too. */
export function looksLikeImage(s: PixelStats): boolean {
  return s.varied >= 0.01;
}

/** Clicks a button by its text, when it is there (OHIF's first-visit banner and tour). Page code
 *  is passed as a string: the project compiles without the DOM library. */
export async function clickIfPresent(page: Page, text: string): Promise<void> {
  await page.evaluate(
    `for (const b of document.querySelectorAll('button')) if (b.innerText.trim() === ${JSON.stringify(text)}) b.click();`,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
