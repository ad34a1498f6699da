// The case report in a real browser: themes and masked texts shown, a junk word
// taken out of the word list and put back with "Angre", the officer's summary
// saved, axe-core after each step, at desktop and phone size; and the page
// printed to an A4 PDF by Chromium (page.pdf, the print stylesheet).
//
//   .venv/app/bin/python -m medverk.runner --test-ports -- node --test tests/browser/officer_report.test.mjs

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";

import {
  ARTIFACTS,
  assertNoSeriousViolations,
  baseUrl,
  launchBrowser,
  logIn,
  newPage,
  runSeed,
} from "./support.mjs";

const PASSWORD = `rapport-${randomBytes(12).toString("hex")}`;
const SUMMARY = "Dei fleste ber om billegare buss og meir lys i parken.";

let browser;
let closeBrowser;
let seeded;

before(async () => {
  seeded = runSeed("officer_report_seed.py", [], PASSWORD);
  ({ browser, close: closeBrowser } = await launchBrowser());
});

after(async () => {
  await closeBrowser?.();
});



const words = (page) => page.locator("ol.words span.word").allInnerTexts();

for (const [size, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
  test(`report at ${size} size: themes, junk word with undo, summary, axe`, async () => {
    const page = await newPage(browser, viewport);
    await logIn(page, seeded.officer, PASSWORD);
    const report = `${baseUrl()}/officer/report?case=${encodeURIComponent(seeded.case_ref)}`;
    await page.goto(report);
    await assertNoSeriousViolations(page, "report");
    const main = await page.locator("main").innerText();
    assert.ok(!main.includes("Kari Nordmann") && !main.includes("41234567"), "personal data masked");
    assert.ok((await page.locator("li.theme").count()) >= 2, "at least two themes");
    assert.ok((await words(page)).includes("please"));

    // Take "please" out; the notice offers "Angre".
    await page.getByRole("button", { name: /«please»/ }).first().click();
    await page.waitForURL(/done=word_removed/);
    assert.ok(!(await words(page)).includes("please"));
    await page.locator(".notice[role=status]").waitFor();
    await assertNoSeriousViolations(page, "after removing a word");
    await page.getByRole("button", { name: "Angre" }).click();
    await page.waitForURL(/done=word_restored/);
    assert.ok((await words(page)).includes("please"));

    // The summary.
    await page.getByLabel(/Di oppsummering|Din oppsummering/).fill(SUMMARY);
    await page.getByRole("button", { name: /Lagre oppsummeringa|Lagre oppsummeringen/ }).click();
    await page.waitForURL(/done=summary_saved/);
    assert.equal((await page.locator("#summary-text").innerText()).trim(), SUMMARY);
    await assertNoSeriousViolations(page, "after saving the summary");
    // No sideways scrolling on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    );
    assert.ok(overflow <= 1, `scrolls sideways by ${overflow} px: ${wide.join(", ")}`);

    if (size === "desktop") {
      await page.emulateMedia({ media: "print" });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, "officer-report.pdf"), pdf);
      // A4 is 595.28 × 841.89 pt; every page object has that MediaBox.
      const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
      assert.ok(boxes.length >= 2, "at least two pages");
      for (const [, w, h] of boxes) {
        assert.ok(Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1, `page ${w} × ${h} is not A4`);
      }
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}
