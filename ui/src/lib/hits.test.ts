import { describe, expect, it } from "vitest";
import type { Hit } from "../ipc/types";
import { hitKey, isInInbox, locationAfterRestore } from "./hits";

const hit: Hit = {
  rank: 1,
  score: 0.9,
  ref: { accountId: "a", folder: "Junk", uidvalidity: 7, uid: 42 },
  folderDisplay: "Junk",
  folderRole: "junk",
  whereText: "In Junk",
  messageId: null,
  fromName: "Anna",
  fromAddress: "anna@example.com",
  subject: "Invoice",
  date: null,
  why: [],
  alsoIn: [],
};

describe("hits", () => {
  it("keys on the whole (account, folder, uidvalidity, uid) tuple", () => {
    expect(hitKey(hit.ref)).toBe(hitKey({ ...hit.ref }));
    expect(hitKey(hit.ref)).not.toBe(hitKey({ ...hit.ref, uidvalidity: 8 }));
    expect(hitKey(hit.ref)).not.toBe(hitKey({ ...hit.ref, folder: "Trash" }));
  });

  it("knows the inbox by role or by IMAP name", () => {
    expect(isInInbox(hit)).toBe(false);
    expect(isInInbox({ ...hit, folderRole: "inbox" })).toBe(true);
    expect(isInInbox({ ...hit, ref: { ...hit.ref, folder: "inbox" } })).toBe(true);
  });

  it("says where a restored message is, and whether the original stayed", () => {
    const moved = locationAfterRestore(hit, { method: "move", inboxUid: 9, originalKept: false, summary: "" });
    expect(moved).toEqual({ folder: "INBOX", whereText: "In your Inbox: you put it back" });
    const copied = locationAfterRestore(hit, { method: "copy", inboxUid: null, originalKept: true, summary: "" });
    expect(copied.folder).toBe("INBOX");
    expect(copied.whereText).toContain("original is still in Junk");
  });
});
