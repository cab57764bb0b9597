import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Backend } from "../../ipc/backend";
import { UserError } from "../../ipc/errors";
import { createFakeBackend } from "../../ipc/fake";
import type { Account, SyncEvent } from "../../ipc/types";
import ScanStep from "./ScanStep.svelte";

const demo: Account = { id: "demo", label: "Demo mailbox", kind: "maildir" };

async function start(tickMs: number, batch = 4) {
  const backend = createFakeBackend({ tickMs, batch, delayMs: 0 });
  await backend.openDemo();
  const onHunt = vi.fn();
  render(ScanStep, { props: { backend, account: demo, onHunt } });
  return { backend, onHunt };
}

function folderRow(name: string): HTMLElement {
  const row = screen.getAllByTestId("scan-folder").find((el) => el.dataset.folder === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe("ScanStep", () => {
  it("shows each folder with its role in plain words and its progress, then the total", async () => {
    const { onHunt } = await start(1);
    expect(screen.getByRole("heading").textContent).toBe("Looking through every folder…");
    await waitFor(() => expect(screen.getAllByTestId("scan-folder")).toHaveLength(4));
    const junk = folderRow("Junk");
    expect(junk.textContent).toContain("where your spam filter puts mail");
    expect(within(junk).getByRole("progressbar", { name: "Junk" })).toBeTruthy();

    const done = await screen.findByTestId("scan-done", {}, { timeout: 3000 });
    expect(done.textContent).toMatch(/read 64 messages in 4 folders/);
    expect(folderRow("Junk").textContent).toMatch(/11 \/ 11/);
    expect(screen.getByRole("progressbar", { name: "All folders" }).getAttribute("aria-valuenow")).toBe("100");
    expect(screen.queryByTestId("scan-cancel")).toBeNull();
    await fireEvent.click(screen.getByTestId("go-hunt"));
    expect(onHunt).toHaveBeenCalledTimes(1);
  });

  it("updates a folder's bar as messages are read", async () => {
    await start(15, 4);
    await waitFor(() => expect(folderRow("INBOX").textContent).toMatch(/4 \/ 24/));
    const bar = within(folderRow("INBOX")).getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("17");
  });

  it("cancels on request and keeps what was read", async () => {
    const { backend } = await start(10, 1);
    await waitFor(() => expect(folderRow("INBOX").textContent).toMatch(/[1-9]\d* \/ 24/));
    await fireEvent.click(screen.getByTestId("scan-cancel"));
    expect(backend.calls.filter((c) => c.command === "cancelSync")).toEqual([{ command: "cancelSync", args: ["demo"] }]);

    const stopped = await screen.findByTestId("scan-stopped");
    expect(stopped.textContent).toBe("Scan stopped. What was already read is kept.");
    expect(screen.queryByTestId("scan-done")).toBeNull();
    expect(screen.getByTestId("go-hunt").textContent).toBe("Search what was read");

    // Scanning again starts a fresh run, and the button is not usable while it runs.
    await fireEvent.click(screen.getByTestId("scan-again"));
    expect(screen.queryByTestId("scan-stopped")).toBeNull();
    expect(screen.getByTestId("scan-cancel")).toBeTruthy();
    expect(backend.calls.filter((c) => c.command === "syncAccount")).toHaveLength(2);
  });

  it("finishes even when the command returns before the last event arrives", async () => {
    const late: Backend = {
      ...createFakeBackend(),
      async syncAccount(_id: string, onEvent: (e: SyncEvent) => void) {
        onEvent({ kind: "foldersListed", folders: [{ name: "INBOX", displayName: "Inbox", role: "inbox", roleText: "", total: 2 }] });
        onEvent({ kind: "folderDone", folder: "INBOX", messages: 2 });
      },
    };
    render(ScanStep, { props: { backend: late, account: demo, onHunt: () => {}, finishGraceMs: 10 } });
    expect((await screen.findByTestId("scan-done")).textContent).toMatch(/read 2 messages in 1 folder\./);
  });

  it("explains a failed scan and offers to try again", async () => {
    const failing: Backend = {
      ...createFakeBackend(),
      syncAccount: () => Promise.reject(new UserError("network")),
    };
    render(ScanStep, { props: { backend: failing, account: demo, onHunt: () => {} } });
    expect((await screen.findByTestId("scan-error")).textContent).toMatch(/Could not reach the mail server/);
    expect(screen.getByRole("heading").textContent).toBe("The scan could not finish");
    expect(screen.getByTestId("scan-again")).toBeTruthy();
  });
});
