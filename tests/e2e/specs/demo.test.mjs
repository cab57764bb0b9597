// The bundled demo mailbox in the real window: one click, no password, and the story's missing
// message is found in Junk among look-alikes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openApp } from "../support/app.mjs";

let app;

before(async () => {
  app = await openApp();
});

after(async () => {
  await app?.close();
});

test("the demo mailbox opens with one click and the roofing quote is found in Junk", { timeout: 120000 }, async (t) => {
  const { browser, byTestId, shot } = app;
  t.after(async () => {
    if (!t.passed) await app.failureShot("demo");
  });
  const tryDemo = await byTestId("try-demo");
  await tryDemo.waitForEnabled({ timeout: 30000 });
  await tryDemo.click();

  const done = await byTestId("scan-done");
  await done.waitForDisplayed({ timeout: 30000 });
  const folders = await browser.$$('[data-testid="scan-folder"]');
  assert.ok(folders.length >= 5, `every demo folder is listed (${folders.length})`);

  // "Around the 3rd": what tells the revised quote (5 November) from the first one (20 October).
  await app.rememberTheRoofingQuote();
  await (await byTestId("hunt-submit")).click();

  const first = await browser.$('[data-testid="hit"]');
  await first.waitForDisplayed({ timeout: 20000 });
  assert.equal(await first.getAttribute("data-folder"), "Junk");
  assert.match(await first.getText(), /Margaret Hollins/);
  const hits = await browser.$$('[data-testid="hit"]');
  assert.ok(hits.length > 1, "look-alikes are listed below the best match");
  await shot("06-demo-results");
});
