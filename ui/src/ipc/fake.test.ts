import { describe, expect, it } from "vitest";
import { UserError } from "./errors";
import { createFakeBackend } from "./fake";
import type { SyncEvent } from "./types";

const fast = { tickMs: 0, batch: 10, delayMs: 0 };

describe("fake backend", () => {
  it("scans INBOX, Junk, Trash and Archive with consistent events", async () => {
    const b = createFakeBackend(fast);
    const account = await b.openDemo();
    const events: SyncEvent[] = [];
    await b.syncAccount(account.id, (e) => events.push(e));

    const listed = events[0];
    if (listed.kind !== "foldersListed") throw new Error("first event must list folders");
    expect(listed.folders.map((f) => f.role)).toEqual(["inbox", "junk", "trash", "archive"]);
    const total = listed.folders.reduce((n, f) => n + f.total, 0);
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: "finished", folders: 4, messages: total, cancelled: false });
    for (const f of listed.folders) {
      expect(events).toContainEqual({ kind: "folderDone", folder: f.name, messages: f.total });
    }
  });

  it("stops when cancelled and only finds what was read", async () => {
    const b = createFakeBackend({ ...fast, tickMs: 2, batch: 1 });
    const account = await b.openDemo();
    const events: SyncEvent[] = [];
    const scan = b.syncAccount(account.id, (e) => {
      events.push(e);
      if (e.kind === "folderProgress" && e.done === 3) void b.cancelSync(account.id);
    });
    await scan;
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: "finished", cancelled: true, folders: 0 });
    expect(events.some((e) => e.kind === "folderProgress" && e.folder === "Junk")).toBe(false);
    expect(await b.hunt({ accountId: account.id, from: "anna", subject: "invoice", date: null, dateSlackDays: null, limit: 10 })).toEqual([]);
  });

  it("finds a half-remembered message in Junk and puts it back in the Inbox", async () => {
    const b = createFakeBackend(fast);
    const account = await b.openDemo();
    await b.syncAccount(account.id, () => {});
    const hits = await b.hunt({
      accountId: account.id,
      from: "ana keler",
      subject: "invoise march",
      date: "2025-03-15",
      dateSlackDays: 3,
      limit: 10,
    });
    expect(hits[0]).toMatchObject({ rank: 1, folderRole: "junk", subject: "Invoice 2025-031 for the March website work" });
    expect(hits[0].whereText).toMatch(/Junk/);
    expect(hits[0].why.length).toBeGreaterThan(0);

    const restored = await b.restoreMessage(hits[0].ref);
    expect(restored).toMatchObject({ method: "move", originalKept: false });
    expect(b.folderOf(hits[0].subject)).toBe("INBOX");
    // The old reference still saves the message; putting it back twice is refused.
    expect(await b.exportMessage(hits[0].ref)).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(b.restoreMessage(hits[0].ref)).rejects.toBeInstanceOf(UserError);
  });

  it("fails login when told to", async () => {
    const b = createFakeBackend({ ...fast, fail: { addAccount: "auth" } });
    const settings = { host: "imap.example.com", port: 993, security: "tls" as const };
    await expect(b.addAccount({ email: "a@example.com", password: "x", settings, caFile: null })).rejects.toMatchObject({
      code: "auth",
    });
  });
});
