// One scripted browser run of a triage task on an officer app, counting page
// loads and clicks: 200 new inputs on one case; read all, tag them (3 themes),
// assign 50 to a colleague, answer 20, hide 3. FLOW=today uses only what the app
// had before the workflow change; FLOW=new uses filters, bulk actions, answer
// templates and "next unread". Counting rules as in the usability review: a
// click, a focus on a text field and a checkbox count 1, a choice in a dropdown
// counts 2; a page load is a full document load (typing is not counted).
//
// Run by bench/officer_triage.py, which starts each app and seeds it:
//   BASE_URL=... FLOW=new SEEDED='{...}' PASSWORD=... node bench/officer_triage.mjs

import assert from "node:assert/strict";

import { answerSecondStep, launchBrowser } from "../tests/browser/support.mjs";

const BASE = process.env.BASE_URL.replace(/\/+$/, "");
const FLOW = process.env.FLOW;
const SEEDED = JSON.parse(process.env.SEEDED);
const PASSWORD = process.env.PASSWORD;
const CASE = SEEDED.case_ref;
const IDS = SEEDED.ids; // newest first; text type = index % 4, wants an answer when index % 5 == 0
const THEMES = [
  ["buss", "Buss"],
  ["benker", "Park og benker"],
  ["skatepark", "Skatepark"],
];
const ASSIGN = new Set(IDS.filter((_, i) => i % 4 === 2)); // the 50 about the skatepark
const ANSWER = new Set(IDS.filter((_, i) => i % 5 === 0).slice(0, 20));
const HIDE = new Set([IDS[7], IDS[11], IDS[13]]); // none of them wants an answer
const ANSWER_TEXT = "Takk for innspelet! Vi tek det med i saka.";

const count = { clicks: 0, loads: 0 };
const { browser, close } = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
page.setDefaultTimeout(60_000);

async function logIn() {
  await page.goto(`${BASE}/officer/login`);
  await page.getByLabel(/Brukarnamn|Brukernavn/).fill(SEEDED.admin);
  await page.getByLabel("Passord").fill(PASSWORD);
  // Admins answer a second step (TOTP) where the app has one; "today" had none. Not counted.
  await Promise.all([
    page.waitForURL(/\/officer\/(inputs|login\/totp)/),
    page.getByRole("button", { name: "Logg inn" }).click(),
  ]);
  if (page.url().includes("/login/totp")) {
    await answerSecondStep(page, SEEDED.admin_totp_secret);
    await page.waitForURL(/\/officer\/inputs/);
  }
}

// Counted actions. A navigation is awaited before the next step.
async function go(url) {
  count.loads += 1;
  await page.goto(url);
}
async function click(locator, { navigates = true } = {}) {
  count.clicks += 1;
  if (navigates) {
    count.loads += 1;
    await Promise.all([page.waitForEvent("load"), locator.click()]);
  } else {
    await locator.click();
  }
}
async function type(locator, text) {
  count.clicks += 1; // the focus
  await locator.fill(text);
}
async function choose(locator, value) {
  count.clicks += 2;
  await locator.selectOption(value);
}
async function tick(locator) {
  count.clicks += 1;
  await locator.check();
}

function themeOf(index) {
  return THEMES[[0, 1, 2, 0][index % 4]][1];
}

async function today() {
  // The case's new input: inbox, choose the case, show.
  await go(`${BASE}/officer/inputs`);
  await choose(page.locator("#f-case"), CASE);
  await choose(page.locator("#f-status"), "new");
  await click(page.locator(".filters button[type=submit]"));
  for (let n = 0; n < IDS.length; n += 1) {
    const id = IDS[n];
    // The newest new input is on top: open it.
    const link = page.locator("table.inbox tbody tr a").first();
    assert.equal(await link.getAttribute("href"), `/officer/inputs/${id}`);
    await click(link);
    // No tags or assignment today: the theme (and the colleague) go into the note.
    const note = `Tema: ${themeOf(n)}` + (ASSIGN.has(id) ? ". Tildelt: Kari Kollega" : "");
    await type(page.locator("#note"), note);
    await click(page.getByRole("button", { name: "Lagre notatet" }));
    if (ANSWER.has(id)) {
      await type(page.locator("#answer"), ANSWER_TEXT);
      await click(page.getByRole("button", { name: "Send svaret" }));
    } else if (HIDE.has(id)) {
      await type(page.locator("#reason"), "Sjikane");
      await click(page.getByRole("button", { name: "Skjul innspelet" }));
    } else {
      await click(page.getByRole("button", { name: "Merk som lesen" }));
    }
    // "Tilbake til innboksen" loses the filter; the case link and the "Ny" chip do not.
    await click(page.locator(".facts a").first());
    await click(page.locator(".counts a").first());
  }
}

async function fresh() {
  // The case's new input, 200 on a page: read them in the list.
  await go(`${BASE}/officer/inputs`);
  await choose(page.locator("#f-case"), CASE);
  await choose(page.locator("#f-status"), "new");
  await choose(page.locator("#f-per-page"), "200");
  await click(page.locator(".filters button[type=submit]"));
  assert.equal(await page.locator("table.inbox tbody tr").count(), 200);
  // Tag by theme: search, select all, tag.
  for (const [word, theme] of THEMES) {
    await type(page.locator("#f-q"), word);
    await click(page.locator(".filters button[type=submit]"));
    await tick(page.locator("#select-all"));
    await type(page.locator("#bulk-tag"), theme);
    await click(page.getByRole("button", { name: "Legg til merkelapp" }));
    if (theme === "Skatepark") {
      // The skatepark's 50 go to the colleague: they are still listed and ticked afresh.
      await tick(page.locator("#select-all"));
      await choose(page.locator("#bulk-officer"), { label: SEEDED.colleague_name });
      await click(page.getByRole("button", { name: "Tildel", exact: true }));
    }
  }
  // Hide 3 (ticked in the list of all of the case's new input).
  await type(page.locator("#f-q"), "");
  await click(page.locator(".filters button[type=submit]"));
  for (const id of HIDE) await tick(page.locator(`input.pick[value="${id}"]`));
  await type(page.locator("#bulk-reason"), "Sjikane");
  await click(page.getByRole("button", { name: "Skjul", exact: true }));
  // Answer 20 of those waiting for an answer: template, check, send, next.
  await choose(page.locator("#f-reply"), "waiting");
  await click(page.locator(".filters button[type=submit]"));
  await click(page.locator("table.inbox tbody tr a").first());
  for (let n = 0; n < 20; n += 1) {
    await click(page.locator("button.use-template").first(), { navigates: false });
    await click(page.getByRole("button", { name: "Sjå over svaret" }));
    await click(page.getByRole("button", { name: "Ja, send svaret" }));
    if (n < 19) await click(page.locator("#next-unread"));
  }
  // Everything else is read: back to the list (the filter kept), all but waiting, mark read.
  await click(page.getByRole("link", { name: /Tilbake til innboksen/ }));
  await choose(page.locator("#f-reply"), "");
  await click(page.locator(".filters button[type=submit]"));
  await tick(page.locator("#select-all"));
  await click(page.getByRole("button", { name: "Merk som lesne" }));
}

async function state() {
  const response = await page.request.get(
    `${BASE}/officer/api/inputs?case=${encodeURIComponent(CASE)}&status=all&per_page=200`,
  );
  const body = await response.json();
  return body.counts;
}

await logIn();
const started = Date.now();
try {
  if (FLOW === "today") await today();
  else await fresh();
} catch (error) {
  console.error(`failed on ${page.url()}:`, (await page.locator("main").innerText()).slice(0, 600));
  throw error;
}
const seconds = (Date.now() - started) / 1000;
const counts = await state();
assert.deepEqual(counts, { new: 0, read: 177, answered: 20, hidden: 3 }, JSON.stringify(counts));
await close();
console.log(JSON.stringify({ flow: FLOW, ...count, seconds: Math.round(seconds), counts }));
