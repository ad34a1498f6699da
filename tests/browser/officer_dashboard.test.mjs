// Dashboards, the digest opt-in and the inbox's abuse flag and demo mark in a
// real browser, at desktop and phone (390 px) size, with axe-core on each page:
// the overall and a committee's dashboard (tables beside the chart, rows as
// cards on a phone), saving a weekly digest for one committee, and the
// "Mogleg krenkjande" / "Demo" badges with the abuse filter.
//
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";

import {
  SIZES,
  assertNoSeriousViolations,
  assertNoSidewaysScroll,
  baseUrl,
  launchBrowser,
  logIn,
  newPage,
  runSeed,
  saveScreenshot,
} from "./support.mjs";

const PASSWORD = `oversikt-${randomBytes(12).toString("hex")}`;

let browser;
let closeBrowser;

function seed(caseRef, count) {
  return runSeed("officer_dashboard_seed.py", [caseRef, count], PASSWORD);
}

before(async () => {
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

/** The cells of the case table's row for `caseRef`, as shown. */
async function caseRow(page, caseRef) {
  const row = page.locator("#case-table tbody tr", { hasText: caseRef });
  assert.equal(await row.count(), 1, `one row for ${caseRef}`);
  return (await row.locator("td").allInnerTexts()).map((cell) => cell.trim());
}

for (const [size, viewport] of Object.entries(SIZES)) {
  test(`dashboards, digest opt-in and flags at ${size} size`, async () => {
    const caseRef = `D${randomBytes(3).toString("hex")}/${size === "desktop" ? 1 : 2}`;
    const seeded = seed(caseRef, 10);
    const page = await newPage(browser, viewport);
    await logIn(page, seeded.colleague, PASSWORD);

    // Overall dashboard: 10 inputs on the case, 3 answered (30 %), 1 waiting, median 4 hours.
    await page.getByRole("link", { name: "Oversikt", exact: true }).click();
    await page.waitForURL(/\/officer\/dashboard/);
    await page.getByRole("heading", { name: "Oversikt over innspela", level: 1 }).waitFor();
    const overall = await caseRow(page, caseRef);
    assert.deepEqual(overall.slice(1), [seeded.committee, "10", "7", "30 %", "1", "4 t"]);
    assert.equal(await page.locator("svg.chart[role=img]").count(), 1);
    assert.equal(await page.locator("table.weeks-table tbody tr").count(), 12, "12 weeks in the table beside the chart");
    await assertNoSeriousViolations(page, `${size} overall dashboard`);
    if (size === "phone") {
      await assertNoSidewaysScroll(page, "phone dashboard");
      const display = await page.locator("#case-table tbody tr").first().evaluate((row) => getComputedStyle(row).display);
      assert.equal(display, "block", "case rows are cards on a phone");
    }
    await saveScreenshot(page, `officer-dashboard-${size}.png`);

    // One committee's dashboard, chosen in the form.
    await page.locator("#dash-committee").selectOption(seeded.committee);
    await Promise.all([page.waitForURL(/committee=/), page.getByRole("button", { name: "Vis oversikta" }).click()]);
    await page.getByRole("heading", { name: `Oversikt: ${seeded.committee}`, level: 1 }).waitFor();
    const mine = await caseRow(page, caseRef);
    assert.deepEqual(mine.slice(1), ["10", "7", "30 %", "1", "4 t"], "no committee column on a committee's page");
    await assertNoSeriousViolations(page, `${size} committee dashboard`);
    if (size === "phone") await assertNoSidewaysScroll(page, "phone committee dashboard");

    // The digest: weekly, for the committee, saved in the app.
    await page.getByRole("link", { name: "Varsel på e-post" }).click();
    await page.waitForURL(/\/officer\/digest/);
    await page.getByLabel("Kvar veke").check();
    await page.getByLabel("E-postadressa di").fill("kari.kollega@kommune.test");
    await page.getByLabel(seeded.committee, { exact: true }).check();
    await assertNoSeriousViolations(page, `${size} digest settings`);
    if (size === "phone") await assertNoSidewaysScroll(page, "phone digest settings");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Lagre varselet" }).click()]);
    assert.match(await page.getByRole("status").innerText(), /Du får eit samandrag kvar veke/);
    assert.ok(await page.getByLabel("Kvar veke").isChecked());
    assert.ok(await page.getByLabel(seeded.committee, { exact: true }).isChecked());
    await assertNoSeriousViolations(page, `${size} digest settings after saving`);
    await saveScreenshot(page, `officer-digest-${size}.png`);

    // Inbox: the abuse flag and the demo mark beside the text; the abuse filter.
    await page.goto(`${baseUrl()}/officer/inputs?case=${encodeURIComponent(caseRef)}`);
    assert.equal(await page.locator("table.inbox .badge-abuse", { hasText: "Mogleg krenkjande" }).count(), 1);
    assert.equal(await page.locator("table.inbox .badge-demo", { hasText: "Demo" }).count(), 1);
    await assertNoSeriousViolations(page, `${size} inbox with flag and demo badges`);
    await page.locator("#f-abuse").check();
    await Promise.all([page.waitForURL(/abuse=1/), page.locator(".filters button[type=submit]").click()]);
    const rows = page.locator("table.inbox tbody tr");
    assert.equal(await rows.count(), 1, "only the flagged input");
    assert.equal(await rows.locator(`a[href^="/officer/inputs/${seeded.abuse_id}?"]`).count(), 1);
    await assertNoSeriousViolations(page, `${size} inbox filtered on the abuse flag`);
    if (size === "phone") await assertNoSidewaysScroll(page, "phone inbox with flags");

    assert.deepEqual(page.problems, [], "no console errors, CSP violations or dialogs");
    await page.context().close();
  });
}
