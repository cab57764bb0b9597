// Walks the real Mailhound window (tauri-driver + WebKitWebDriver) through the wizard against a
// real Dovecot: connect, scan every folder, hunt a misremembered message, put it back in the Inbox,
// then checks over IMAP that the message really is in INBOX and no longer in Junk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { imapSession } from "../support/imap.mjs";
import { openApp, repo } from "../support/app.mjs";

const mailServerBin = join(repo, "target", "debug", "test-mail-server");

let mail;
let app;
let browser;
let byTestId;
let shot;

function startMailServer() {
  return new Promise((resolveServer, reject) => {
    const child = spawn(mailServerBin, [], { stdio: ["pipe", "pipe", "inherit"] });
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      const line = buffer.split("\n")[0];
      if (buffer.includes("\n")) resolveServer({ child, info: JSON.parse(line) });
    });
    child.once("exit", (code) => reject(new Error(`test-mail-server exited with ${code}`)));
  });
}

before(async () => {
  mail = await startMailServer();
  app = await openApp();
  ({ browser, byTestId, shot } = app);
});

after(async () => {
  await app?.close();
  mail?.child.stdin.end();
  mail?.child.kill("SIGTERM");
});

test("a person finds the roofing quote in Junk and puts it back in the Inbox", { timeout: 180000 }, async (t) => {
  const { info } = mail;
  t.after(async () => {
    // On failure, the screen at that moment is the best clue.
    if (!t.passed) await app.failureShot("wizard");
  });

  // 1. Connect
  await (await byTestId("email")).waitForDisplayed({ timeout: 30000 });
  await shot("01-connect");
  // NOTE: Dovecot's passwd-file keys on the local part (%n), so any domain signs in as this user.
  await (await byTestId("email")).setValue(`${info.user}@example.test`);
  // Let the address's suggested server settings arrive before replacing them.
  await browser.waitUntil(async () => (await (await byTestId("host")).getValue()) === "imap.example.test", { timeout: 10000 });
  await (await byTestId("password")).setValue(info.password);
  await (await byTestId("host")).clearValue();
  await (await byTestId("host")).setValue(info.host);
  await (await byTestId("port")).clearValue();
  await (await byTestId("port")).setValue(String(info.imapsPort));
  await (await byTestId("advanced-toggle")).click();
  await (await byTestId("ca-file")).setValue(info.caFile);
  const connect = await byTestId("connect");
  await connect.waitForEnabled({ timeout: 10000 });
  await connect.click();

  // 2. Scanning every folder
  const done = await byTestId("scan-done");
  await done.waitForDisplayed({ timeout: 60000 });
  assert.match(await done.getText(), /\d+ messages/);
  await shot("02-scanned");

  // 3. What do you remember?
  await app.rememberTheRoofingQuote();
  await shot("03-remember");
  await (await byTestId("hunt-submit")).click();

  // 4. Results: the right message first, found in Junk, with reasons
  const firstHit = await browser.$('[data-testid="hit"]');
  await firstHit.waitForDisplayed({ timeout: 20000 });
  assert.equal(await firstHit.getAttribute("data-folder"), "Junk");
  const where = await firstHit.$('[data-testid="hit-where"]');
  assert.match(await where.getText(), /spam filter/);
  assert.match(await firstHit.getText(), /Margaret Hollins/);
  await shot("04-results");

  // 5. Put it back in the Inbox
  await firstHit.click();
  const restore = await byTestId("restore");
  await restore.waitForEnabled({ timeout: 10000 });
  await restore.click();
  const result = await byTestId("action-result");
  await browser.waitUntil(async () => /Inbox/.test(await result.getText()), { timeout: 30000 });
  await shot("05-restored");

  // The server agrees: the message is in INBOX and gone from Junk.
  const imap = await imapSession({ host: "127.0.0.1", port: info.imapsPort, caFile: info.caFile, servername: "localhost" });
  await imap.login(info.user, info.password);
  await imap.command("EXAMINE INBOX");
  const inInbox = await imap.command(`UID SEARCH HEADER Message-ID "${info.targetMessageId}"`);
  await imap.command("EXAMINE Junk");
  const inJunk = await imap.command(`UID SEARCH HEADER Message-ID "${info.targetMessageId}"`);
  await imap.logout();
  assert.match(inInbox, /\* SEARCH \d+/, "the message is in INBOX");
  assert.doesNotMatch(inJunk, /\* SEARCH \d+/, "the message left Junk");
});
