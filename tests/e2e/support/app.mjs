// Starts the real Mailhound binary under tauri-driver (WebKitWebDriver) with its own data
// directory, and offers the few helpers every spec uses.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join, resolve } from "node:path";
import net from "node:net";
import { remote } from "webdriverio";

export const repo = resolve(import.meta.dirname, "../../..");
const screenshots = join(repo, "docs", "screenshots");
const app = join(repo, "target", "debug", "mailhound-app");

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolvePort, reject) => {
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => { socket.destroy(); resolvePort(); });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Opens the app in a fresh data directory; `close()` ends the session and the driver. */
export async function openApp() {
  mkdirSync(screenshots, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "mailhound-e2e-"));
  const tauriDriver = process.env.TAURI_DRIVER ?? join(homedir(), ".cargo", "bin", "tauri-driver");
  const driver = spawn(tauriDriver, ["--port", "4444"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, MAILHOUND_DATA_DIR: dataDir },
  });
  await waitForPort(4444, 20000);
  const browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      "tauri:options": { application: app },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const byTestId = (id) => browser.$(`[data-testid="${id}"]`);
  return {
    browser,
    byTestId,
    /**
     * From the scan summary, fills in the story's hunt as a person remembers it: "margret hollis",
     * "roof qoute", around 3 November, give or take three days. Does not submit it.
     */
    async rememberTheRoofingQuote() {
      await (await byTestId("go-hunt")).click();
      await (await byTestId("hunt-from")).waitForDisplayed({ timeout: 10000 });
      await (await byTestId("hunt-from")).setValue("margret hollis");
      await (await byTestId("hunt-subject")).setValue("roof qoute");
      await this.setDate("hunt-date", "2026-11-03");
      await (await byTestId("hunt-slack")).selectByAttribute("value", "3");
    },
    /** Types a date into the date field the way a person's picker would (WebDriver cannot). */
    async setDate(testId, isoDay) {
      await browser.execute(
        (selector, value) => {
          const input = document.querySelector(selector);
          input.value = value;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          input.dispatchEvent(new Event("change", { bubbles: true }));
        },
        `[data-testid="${testId}"]`,
        isoDay,
      );
    },
    async shot(name) {
      // NOTE: WebKitWebDriver can return the previous paint right after a DOM change.
      await browser.pause(500);
      await browser.saveScreenshot(join(screenshots, `${name}.png`));
    },
    async failureShot(name) {
      await browser.saveScreenshot(join(tmpdir(), `mailhound-e2e-${name}-failure.png`)).catch(() => {});
    },
    async close() {
      await browser.deleteSession().catch(() => {});
      driver.kill();
      // Let the driver release its port before the next spec starts one.
      await new Promise((r) => driver.once("exit", r));
    },
  };
}
