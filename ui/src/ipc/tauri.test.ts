// Pins the wire contract with the Rust commands: command names, argument keys, the channel, errors.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "./errors";
import { createTauriBackend } from "./tauri";
import type { MessageRef, SyncEvent } from "./types";

afterEach(() => clearMocks());

/** What mockIPC installs; used here to play the Rust side of a channel. */
const internals = () =>
  (window as unknown as { __TAURI_INTERNALS__: { runCallback(id: number, data: unknown): void } }).__TAURI_INTERNALS__;

const ref: MessageRef = { accountId: "acc", folder: "Junk", uidvalidity: 5, uid: 9 };

describe("tauri backend", () => {
  it("calls each command by its Rust name with camelCase arguments", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      if (cmd === "suggest_server") return { host: "imap.example.com", port: 993, security: "tls" };
      if (cmd === "export_message") return null;
      return {};
    });
    const b = createTauriBackend();
    const settings = await b.suggestServer("a@example.com");
    await b.addAccount({ email: "a@example.com", password: "pw", settings, caFile: null });
    await b.openDemo();
    await b.cancelSync("acc");
    const query = { accountId: "acc", from: "anna", subject: null, date: "2025-03-14", dateSlackDays: 3, limit: 50 };
    await b.hunt(query);
    expect(await b.exportMessage(ref)).toBeNull();
    await b.restoreMessage(ref);

    expect(seen.map(([cmd]) => cmd)).toEqual([
      "suggest_server",
      "add_account",
      "open_demo",
      "cancel_sync",
      "hunt",
      "export_message",
      "restore_message",
    ]);
    expect(seen[0][1]).toEqual({ email: "a@example.com" });
    expect(seen[1][1]).toEqual({
      email: "a@example.com",
      password: "pw",
      settings: { host: "imap.example.com", port: 993, security: "tls" },
      caFile: null,
    });
    expect(seen[3][1]).toEqual({ accountId: "acc" });
    expect(seen[4][1]).toEqual({ query });
    expect(seen[5][1]).toEqual({ message: ref });
    expect(seen[6][1]).toEqual({ message: ref });
  });

  it("delivers sync events from the channel in order, then resolves", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("sync_account");
      const { accountId, onEvent } = args as { accountId: string; onEvent: { id: number } };
      expect(accountId).toBe("acc");
      const send = (index: number, message: SyncEvent) =>
        internals().runCallback(onEvent.id, { index, message });
      // Sent out of order on purpose: the channel must reorder by index.
      send(1, { kind: "folderProgress", folder: "INBOX", done: 1, total: 2 });
      send(0, { kind: "foldersListed", folders: [] });
      send(2, { kind: "finished", folders: 1, messages: 2, seconds: 0.1, cancelled: false });
      return null;
    });
    const events: SyncEvent[] = [];
    await createTauriBackend().syncAccount("acc", (e) => events.push(e));
    expect(events.map((e) => e.kind)).toEqual(["foldersListed", "folderProgress", "finished"]);
  });

  it("rejects with a UserError made from {code, message}", async () => {
    mockIPC(() => {
      throw { code: "tls", message: "invalid peer certificate: UnknownIssuer" };
    });
    const err = await createTauriBackend()
      .openDemo()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe("tls");
    expect((err as UserError).detail).toContain("UnknownIssuer");
  });
});
