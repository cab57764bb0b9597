import { describe, expect, it } from "vitest";
import type { Hit, HuntQuery } from "../../ipc/types";
import { addedHits, addedText, widenings } from "./widen";

const query: HuntQuery = { accountId: "demo", from: "anna", subject: "invoice", date: "2025-03-14", dateSlackDays: 3, limit: 50 };

function hit(uid: number, subject: string): Hit {
  return {
    rank: uid,
    score: 0.5,
    ref: { accountId: "demo", folder: "INBOX", uidvalidity: 1, uid },
    folderDisplay: "Inbox",
    folderRole: "inbox",
    whereText: "In your Inbox",
    messageId: null,
    fromName: "Anna",
    fromAddress: "anna@example.com",
    subject,
    date: null,
    why: [],
    alsoIn: [],
  };
}

describe("widenings", () => {
  it("offers a week either side, ignoring the sender and ignoring the date, in that order", () => {
    expect(widenings(query).map((w) => w.id)).toEqual(["week", "sender", "date"]);
    const [week, sender] = widenings(query);
    expect(week.apply(query).dateSlackDays).toBe(7);
    expect(sender.apply(query).from).toBeNull();
  });

  it("offers any folder only when the hunt was limited to some", () => {
    const limited = { ...query, withinRoles: ["junk" as const] };
    expect(widenings(limited).map((w) => w.id)).toContain("folders");
    expect(widenings(limited).find((w) => w.id === "folders")?.apply(limited).withinRoles).toEqual([]);
  });

  it("never drops the only clue", () => {
    expect(widenings({ ...query, subject: null, date: null, dateSlackDays: null })).toEqual([]);
  });

  it("says what a step added", () => {
    const before = [hit(1, "Invoice March")];
    const after = [hit(1, "Invoice March"), hit(2, "Invoice April")];
    const added = addedHits(before, after);
    expect(added.map((h) => h.ref.uid)).toEqual([2]);
    expect(addedText(widenings(query)[0], added)).toBe("Look a week either side: 1 new (Invoice April), marked “new”.");
    expect(addedText(widenings(query)[0], [])).toBe("Look a week either side: nothing new.");
  });
});
