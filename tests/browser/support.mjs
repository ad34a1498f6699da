// Shared helpers for the browser tests: Debian's chromium driven by
// playwright-core (no browser download), the base URL of the running stack,
// an axe-core scan, and where screenshots go.
//
// Run against a running stack (the runner sets MEDVERK_TEST_BASE_URL):
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/

import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

export const ROOT = resolve(here, "..", "..");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");
export const CHROMIUM = process.env.MEDVERK_CHROMIUM || "/usr/bin/chromium";

/** The gateway under test, without a trailing slash. */
export function baseUrl() {
  const url = process.env.MEDVERK_TEST_BASE_URL;
  if (!url) {
    throw new Error(
      "MEDVERK_TEST_BASE_URL is not set: run the browser tests through " +
        "`python -m medverk.runner --test-ports -- node --test tests/browser/` (or `make test-browser`).",
    );
  }
  return url.replace(/\/+$/, "");
}

/**
 * Launch Debian's chromium headless with nothing running in the background
 * (no updates, sync or other calls home). Playwright gives every launch a
 * fresh, throw-away profile directory (it refuses --user-data-dir here).
 * Returns { browser, close }.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--disable-extensions",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * A new page that fails the test on console errors and CSP violations, with
 * `page.problems` collecting them.
 */
export async function newPage(browser, { width = 1280, height = 900, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  return page;
}

/** Run axe-core in the page (WCAG 2.0/2.1 A and AA rules); returns axe's results. */
export async function axeScan(page, include) {
  const source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  // The page's CSP forbids inline scripts, so inject axe through the DevTools protocol.
  await page.evaluate(source);
  return page.evaluate(async (selector) => {
    const context = selector ? { include: [selector] } : document;
    return window.axe.run(context, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    });
  }, include || null);
}

/** The violations of impact serious or critical, in a readable form. */
export function seriousViolations(results) {
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Save a screenshot under tests/artifacts/ (gitignored) and return its path. */
export async function saveScreenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: false });
  return path;
}
