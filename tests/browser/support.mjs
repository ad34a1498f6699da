// Shared helpers for the browser tests: Debian's chromium driven by
// playwright-core (no browser download), the base URL of the running stack,
// an axe-core scan, and where screenshots go.
//
// Run against a running stack (the runner sets MEDVERK_TEST_BASE_URL):
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
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

// TOTP (RFC 6238, SHA-1, 6 digits, 30 s) for admins enrolled by the seed scripts.
const usedSteps = new Map();

function totpAt(secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "")) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, "0");
}

/** A code for `secret` whose time step was not used yet (waits for the next step if needed). */
export async function freshTotpCode(secret) {
  let step = Math.floor(Date.now() / 30_000);
  while (usedSteps.get(secret) >= step) {
    await new Promise((done) => setTimeout(done, 1_000));
    step = Math.floor(Date.now() / 30_000);
  }
  usedSteps.set(secret, step);
  return totpAt(secret, step);
}

/** The login's second step (after the password), when the account has TOTP. */
export async function answerSecondStep(page, secret) {
  await page.waitForURL(/\/officer\/login\/totp/);
  await page.getByLabel("Kode").fill(await freshTotpCode(secret));
  await page.getByRole("button", { name: "Logg inn" }).click();
}

// --- the officer tests' shared set-up -------------------------------------------

export const APP_PYTHON = process.env.MEDVERK_APP_PYTHON || join(ROOT, ".venv", "app", "bin", "python");

/** The two screen sizes the officer pages are tested at. */
export const SIZES = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

/** Run a seed script of tests/browser (the password on its stdin); its last line as JSON. */
export function runSeed(script, args, password) {
  const output = execFileSync(APP_PYTHON, [join(ROOT, "tests", "browser", script), ...args.map(String)], {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: ROOT },
    input: `${password}\n`,
  });
  return JSON.parse(output.toString().trim().split("\n").pop());
}

/** Log in on the officer app's login page; `totpSecret` answers an admin's second step. */
export async function logIn(page, username, password, { totpSecret = "", from = "/officer/login" } = {}) {
  await page.goto(`${baseUrl()}${from}`);
  await page.getByLabel(/Brukarnamn|Brukernavn/).fill(username);
  await page.getByLabel("Passord").fill(password);
  await page.getByRole("button", { name: "Logg inn" }).click();
  if (totpSecret) await answerSecondStep(page, totpSecret);
  await page.waitForURL(/\/officer\/inputs/);
}

/** Fail with axe's own words on any serious or critical accessibility violation. */
export async function assertNoSeriousViolations(page, label) {
  const violations = seriousViolations(await axeScan(page));
  assert.deepEqual(violations, [], `${label}: ${violations.join("\n")}`);
}

/** Nothing on the page is wider than the viewport (WCAG 1.4.10 Reflow). */
export async function assertNoSidewaysScroll(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width + 1, `${label}: page is ${scroll}px wide on a ${width}px screen`);
}
