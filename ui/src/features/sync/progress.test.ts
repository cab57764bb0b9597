import { describe, expect, it } from "vitest";
import { applyEvent, initialScan, overall, summaryFromProgress } from "./progress";

const listed = applyEvent(initialScan(), {
  kind: "foldersListed",
  folders: [
    { name: "INBOX", displayName: "Inbox", role: "inbox", roleText: "your main inbox", total: 10 },
    { name: "[Gmail]/Spam", displayName: "Spam", role: "junk", roleText: "where your spam filter puts mail", total: 4 },
  ],
});

describe("scan progress", () => {
  it("starts every listed folder at zero", () => {
    expect(listed.listed).toBe(true);
    expect(listed.folders.map((f) => [f.name, f.done, f.total, f.finished])).toEqual([
      ["INBOX", 0, 10, false],
      ["[Gmail]/Spam", 0, 4, false],
    ]);
    expect(overall(listed)).toEqual({ done: 0, total: 14 });
  });

  it("tracks progress per folder by its server name", () => {
    let s = applyEvent(listed, { kind: "folderProgress", folder: "[Gmail]/Spam", done: 2, total: 4 });
    s = applyEvent(s, { kind: "folderProgress", folder: "INBOX", done: 5, total: 10 });
    expect(s.folders.map((f) => f.done)).toEqual([5, 2]);
    expect(overall(s)).toEqual({ done: 7, total: 14 });
    s = applyEvent(s, { kind: "folderDone", folder: "[Gmail]/Spam", messages: 3 });
    expect(s.folders[1]).toMatchObject({ done: 3, total: 3, finished: true });
    expect(listed.folders[1].done).toBe(0); // earlier states are not mutated
  });

  it("gives an unlisted folder a row instead of dropping it", () => {
    const s = applyEvent(listed, { kind: "folderProgress", folder: "Old", done: 1, total: 2 });
    expect(s.folders.at(-1)).toMatchObject({ name: "Old", displayName: "Old", done: 1, total: 2 });
  });

  it("keeps the backend's summary, or builds one from what was seen", () => {
    const s = applyEvent(listed, { kind: "finished", folders: 2, messages: 14, seconds: 1.5, cancelled: false });
    expect(s.summary).toEqual({ folders: 2, messages: 14, seconds: 1.5, cancelled: false });
    const partial = applyEvent(
      applyEvent(listed, { kind: "folderDone", folder: "INBOX", messages: 10 }),
      { kind: "folderProgress", folder: "[Gmail]/Spam", done: 1, total: 4 },
    );
    expect(summaryFromProgress(partial, true, 2)).toEqual({ folders: 1, messages: 11, seconds: 2, cancelled: true });
  });
});
