// The officer app in a real browser against the running gateway: log in,
// filter the inbox, open an input whose text is a <script>, see it as text,
// answer it, export CSV; axe-core scans of the pages; the officer role is
// kept out of admin pages.
//
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import {
  assertNoSeriousViolations,
  baseUrl,
  launchBrowser,
  logIn,
  newPage,
  runSeed,
  saveScreenshot,
} from "./support.mjs";

const PASSWORD = `skilpadde-${randomBytes(12).toString("hex")}`; // never the username (F5)
const ANSWER = "Takk for innspelet! Vi tek med lys i skateparken når saka skal opp.";

let browser;
let closeBrowser;
let seeded;

before(async () => {
  seeded = runSeed("officer_seed.py", [], PASSWORD);
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

/** Fail on any JavaScript dialog: a citizen's script must never run. */
function forbidDialogs(page) {
  page.dialogs = [];
  page.on("dialog", async (dialog) => {
    page.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
}

async function logInAs(page, username) {
  await page.goto(`${baseUrl()}/officer/inputs`);
  assert.match(page.url(), /\/officer\/login\?next=/, "a stranger is sent to the login page");
  // Admins have TOTP (the seed enrolled them and gave the secret).
  const totpSecret = username === seeded.admin ? seeded.admin_totp_secret : "";
  await logIn(page, username, PASSWORD, { totpSecret, from: "/officer/inputs" });
}

test("an officer filters, reads a <script> as text, answers it and exports CSV", async () => {
  const page = await newPage(browser, { acceptDownloads: true });
  forbidDialogs(page);
  await logInAs(page, seeded.admin);
  await page.getByRole("heading", { level: 1 }).waitFor();

  // Filter: the seeded case, Bokmål, Telegram.
  await page.locator("#f-case").selectOption(seeded.case_ref);
  await page.locator("#f-malform").selectOption("nb");
  await page.locator("#f-channel").selectOption("telegram");
  await Promise.all([page.waitForURL(/case=/), page.locator(".filters button[type=submit]").click()]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("case"), seeded.case_ref);
  assert.equal(url.searchParams.get("malform"), "nb");
  assert.equal(url.searchParams.get("channel"), "telegram");
  const channels = await page.locator("table.inbox tbody tr td[data-label=Kanal]").allInnerTexts();
  assert.ok(channels.length > 0 && channels.every((c) => c === "Telegram"), channels.join(","));

  // The newest row is the seeded script, shown as text in the list.
  // Rows link with the filter (back=...), so the input's page can lead back to it.
  const link = page.locator(`a[href^="/officer/inputs/${seeded.script_input_id}?back="]`);
  assert.match(await link.innerText(), /<script>alert\(1\)<\/script>/);
  await link.click();
  await page.waitForURL(new RegExp(`/officer/inputs/${seeded.script_input_id}\\?back=`));
  const shown = page.locator("#input-text");
  assert.equal((await shown.innerText()).trim(), seeded.script_text);
  assert.equal(await page.locator("#input-text script, main script").count(), 0, "no script element");
  await saveScreenshot(page, "officer-input-script.png");

  // Answer the citizen.
  await page.locator("#answer").fill(ANSWER);
  await page.getByRole("button", { name: "Sjå over svaret" }).click();
  await page.getByRole("button", { name: "Ja, send svaret" }).click();
  await page.getByRole("status").waitFor();
  assert.match(await page.getByRole("status").innerText(), /Svaret er lagra|Svaret er lagret/);
  assert.equal((await page.locator("#answer-text").innerText()).trim(), ANSWER);

  // Export what the filter shows as CSV.
  await page.goto(`${baseUrl()}/officer/inputs?case=${encodeURIComponent(seeded.case_ref)}&status=all`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Last ned som CSV" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
  assert.ok(lines[0].startsWith("Nr.;Motteke;Saksnummer"), lines[0]);
  const row = lines.find((line) => line.startsWith(`${seeded.script_input_id};`));
  assert.ok(row, "the answered input is in the export");
  assert.ok(row.includes("<script>alert(1)</script>") && row.includes(";Svara;"), row);
  assert.ok(row.includes(ANSWER), row);
  assert.ok(lines.slice(1).filter(Boolean).every((line) => line.includes(`;${seeded.case_ref};`)));

  assert.deepEqual(page.dialogs, [], "no alert ran");
  assert.deepEqual(page.problems, [], "no console errors or CSP violations");
  await page.context().close();
});

test("the inbox, an input, the report and the login page pass axe-core", async () => {
  const page = await newPage(browser);
  forbidDialogs(page);
  await page.goto(`${baseUrl()}/officer/login`);
  await assertNoSeriousViolations(page, "login page");
  await logInAs(page, seeded.admin);
  for (const path of [
    "/officer/inputs",
    `/officer/inputs/${seeded.script_input_id}`,
    `/officer/report?case=${encodeURIComponent(seeded.case_ref)}`,
    "/officer/admin/officers",
    "/officer/admin/audit",
    "/officer/admin/audit?who=a&action=login&since=2026-01-01&until=2026-12-31",
  ]) {
    await page.goto(`${baseUrl()}${path}`);
    await assertNoSeriousViolations(page, path);
  }
  await page.goto(`${baseUrl()}/officer/report?case=${encodeURIComponent(seeded.case_ref)}`);
  assert.equal(await page.locator("svg.chart").count(), 3);
  // The print button comes from the local script, allowed by the CSP.
  await page.locator("#print-report").waitFor({ state: "visible" });
  await saveScreenshot(page, "officer-report.png");
  assert.deepEqual(page.dialogs, []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("an officer without the admin role is kept out of admin pages", async () => {
  const page = await newPage(browser);
  await logInAs(page, seeded.officer);
  const response = await page.goto(`${baseUrl()}/officer/admin/officers`);
  assert.equal(response.status(), 403);
  assert.match(await page.locator("main").innerText(), /ikkje tilgang|ikke tilgang/);
  assert.equal(await page.getByRole("link", { name: /Brukarar|Brukere/ }).count(), 0);
  // Log out with the form; the inbox then needs a new login.
  await page.goto(`${baseUrl()}/officer/inputs`);
  await page.getByRole("button", { name: "Logg ut" }).click();
  await page.waitForURL(/\/officer\/login\?logged_out=1/);
  await page.goto(`${baseUrl()}/officer/inputs`);
  assert.match(page.url(), /\/officer\/login/);
  await page.context().close();
});
