// The officer's workflow for many inputs in a real browser, at desktop and phone
// size: multi-choice filter, search words marked, select all + bulk tag and
// assign, the filter kept on the input page, "mark read and next unread", notes
// with author, an answer template in the citizen's målform, the confirmation
// before sending, the målform correction, the searchable case list; axe-core on
// every new page type. Phone: inbox rows as cards, nothing wider than the screen.
//
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
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

const PASSWORD = `arbeid-${randomBytes(12).toString("hex")}`;

let browser;
let closeBrowser;

function seed(caseRef, count) {
  return runSeed("officer_workflow_seed.py", [caseRef, count], PASSWORD);
}

before(async () => {
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});

for (const [size, viewport] of Object.entries(SIZES)) {
  test(`triage workflow at ${size} size`, async () => {
    // A case of its own per run, so reruns against the same stack see only their input.
    const caseRef = `T${randomBytes(3).toString("hex")}/${size === "desktop" ? 1 : 2}`;
    const seeded = seed(caseRef, 8);
    const page = await newPage(browser, viewport);
    page.on("dialog", (dialog) => {
      page.problems.push(`dialog: ${dialog.message()}`);
      dialog.dismiss();
    });
    await logIn(page, seeded.admin, PASSWORD, { totpSecret: seeded.admin_totp_secret });

    // Multi-choice filter: the case, two age groups and a search word.
    await page.goto(`${baseUrl()}/officer/inputs?case=${encodeURIComponent(caseRef)}`);
    await page.getByLabel("under 13", { exact: true }).check();
    await page.getByLabel("13-15", { exact: true }).check();
    await page.locator("#f-q").fill("buss");
    await Promise.all([page.waitForURL(/age_group=/), page.locator(".filters button[type=submit]").click()]);
    const url = new URL(page.url());
    assert.deepEqual(url.searchParams.getAll("age_group"), ["under 13", "13-15"]);
    const ages = await page.locator("table.inbox tbody tr td[data-label=Aldersgruppe]").allInnerTexts();
    assert.ok(ages.length > 0 && ages.every((a) => /under 13|13-15/.test(a)), ages.join(","));
    const marks = await page.locator("table.inbox mark").allInnerTexts();
    assert.ok(marks.length >= ages.length && marks.every((m) => m.toLowerCase() === "buss"), marks.join(","));
    await assertNoSeriousViolations(page, `${size} inbox with filters and bulk actions`);
    if (size === "phone") {
      await assertNoSidewaysScroll(page, "phone inbox");
      const display = await page.locator("table.inbox tbody tr").first().evaluate((row) => getComputedStyle(row).display);
      assert.equal(display, "block", "rows are cards on a phone");
    }
    await saveScreenshot(page, `officer-workflow-inbox-${size}.png`);

    // Select all on the page, tag them, then assign them to the colleague.
    await page.goto(`${baseUrl()}/officer/inputs?case=${encodeURIComponent(caseRef)}`);
    await page.locator("#select-all").check();
    await page.locator("#bulk-tag").fill("Kollektivtrafikk");
    await Promise.all([page.waitForURL(/done=bulk_tag/), page.getByRole("button", { name: "Legg til merkelapp" }).click()]);
    assert.match(await page.getByRole("status").innerText(), /8 innspel har fått merkelappen «Kollektivtrafikk»/);
    assert.equal(new URL(page.url()).searchParams.get("case"), caseRef, "the filter is kept");
    assert.equal(await page.locator("table.inbox .tag", { hasText: "Kollektivtrafikk" }).count(), 8);
    await page.locator("input.pick").nth(0).check();
    await page.locator("input.pick").nth(1).check();
    await page.locator("#bulk-officer").selectOption({ label: seeded.colleague_name });
    await Promise.all([page.waitForURL(/done=bulk_assign/), page.getByRole("button", { name: "Tildel", exact: true }).click()]);
    assert.match(await page.getByRole("status").innerText(), /2 innspel er tildelte Kari Kollega/);

    // Open the newest: back keeps the filter; mark read and go on to the next unread.
    await page.locator(`a[href^="/officer/inputs/${seeded.ids[0]}?back="]`).click();
    await page.waitForURL(new RegExp(`/officer/inputs/${seeded.ids[0]}\\?back=`));
    const back = await page.getByRole("link", { name: /Tilbake til innboksen/ }).getAttribute("href");
    assert.equal(new URL(back, baseUrl()).searchParams.get("case"), caseRef);
    await page.getByRole("button", { name: "Merk som lese og opne neste ulesne" }).click();
    await page.waitForURL(new RegExp(`/officer/inputs/${seeded.ids[1]}\\?`));
    assert.match(await page.getByRole("status").innerText(), /merka som lese/);

    // A note with author and time.
    await page.locator("#note").fill("Sjekk rutetidene med skyssetaten.");
    await page.getByRole("button", { name: "Legg til notatet" }).click();
    await page.waitForURL(/done=note/);
    assert.match(await page.locator("#notes").innerText(), /arbeid-admin, \d\d\.\d\d\.\d{4} \d\d:\d\d\s+Sjekk rutetidene/);

    // The second input is Bokmål: the hint says so and the template is in Bokmål.
    assert.match(await page.locator("#malform-hint").innerText(), /Innbyggjaren skreiv Bokmål – svar på bokmål/);
    await page.getByRole("button", { name: "Bruk «Takk for innspillet»" }).click();
    assert.match(await page.locator("#answer").inputValue(), /^Takk for at du sa din mening om «Test: ungdom og kollektivtrafikk»/);
    await page.getByRole("button", { name: "Sjå over svaret" }).click();
    await page.getByRole("heading", { name: "Vil du sende dette svaret?" }).waitFor();
    await assertNoSeriousViolations(page, `${size} answer confirmation`);
    if (size === "phone") await assertNoSidewaysScroll(page, "phone input page");
    await saveScreenshot(page, `officer-workflow-confirm-${size}.png`);
    await page.getByRole("button", { name: "Ja, send svaret" }).click();
    await page.waitForURL(/done=answer_sent/);
    assert.match(await page.locator("#answer-text").innerText(), /^Takk for at du sa din mening/);

    // Correct the målform: the hint and the templates follow.
    await page.locator("#malform-fix").selectOption("nn");
    await page.getByRole("button", { name: "Rett målforma" }).click();
    await page.waitForURL(/done=malform/);
    assert.match(await page.locator("#malform-hint").innerText(), /Nynorsk – svar på nynorsk/);
    await assertNoSeriousViolations(page, `${size} input page with notes and tags`);

    // The case list: searchable, with counts.
    await page.goto(`${baseUrl()}/officer/report`);
    await page.locator("#case-search").fill(caseRef);
    await Promise.all([page.waitForURL(/q=/), page.getByRole("button", { name: "Søk", exact: true }).click()]);
    assert.match(await page.locator("#cases-found").innerText(), /^1 saker/);
    const cells = await page.locator("table.cases-table tbody td.num").allInnerTexts();
    assert.deepEqual(cells, ["8", "6", "2"], "8 inputs, 6 new, 2 waiting for an answer (nr. 1 and 6)");
    await assertNoSeriousViolations(page, `${size} case list`);
    if (size === "phone") await assertNoSidewaysScroll(page, "phone case list");
    await page.goto(`${baseUrl()}/officer/report?case=${encodeURIComponent(caseRef)}`);
    assert.match(await page.locator("#report-tags").innerText(), /Kollektivtrafikk\s+8/);
    await assertNoSeriousViolations(page, `${size} report with tags`);

    // The colleague finds the two assigned to them under "Mine".
    const colleague = await newPage(browser, viewport);
    await logIn(colleague, seeded.colleague, PASSWORD);
    await colleague.getByRole("link", { name: "Mine", exact: true }).click();
    await colleague.waitForURL(/assigned=me/);
    const mine = await colleague.locator("table.inbox tbody tr", { hasText: caseRef }).count();
    assert.equal(mine, 2);
    if (size === "phone") {
      // The wrapped menu keeps every link on the screen.
      for (const box of await page.locator("header.top nav a").evaluateAll((links) => links.map((l) => l.getBoundingClientRect().right))) {
        assert.ok(box <= viewport.width, `menu link ends at ${box}px`);
      }
    }
    assert.deepEqual(page.problems, [], "no console errors, CSP violations or dialogs");
    assert.deepEqual(colleague.problems, []);
    await colleague.context().close();
    await page.context().close();
  });
}
