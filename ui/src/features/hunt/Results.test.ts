import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { Hit, HuntQuery } from "../../ipc/types";
import Results from "./Results.svelte";

const junkHit: Hit = {
  rank: 1,
  score: 0.93,
  ref: { accountId: "demo", folder: "Junk", uidvalidity: 11, uid: 5 },
  folderDisplay: "Junk",
  folderRole: "junk",
  whereText: "In Junk: your spam filter put it there",
  messageId: "<a@x>",
  fromName: "Anna Keller",
  fromAddress: "anna.keller@keller-design.example",
  subject: "Invoice 2025-031 for the March website work",
  date: "2025-03-14T09:12:00Z",
  why: ["Sender “Anna Keller” matches “ana”", "Subject shares: invoice"],
  alsoIn: [
    { ref: { accountId: "demo", folder: "Archive", uidvalidity: 3, uid: 40 }, folderDisplay: "Archive", folderRole: "archive" },
  ],
};
const trashHit: Hit = {
  ...junkHit,
  rank: 2,
  ref: { ...junkHit.ref, folder: "Trash", uid: 8 },
  folderDisplay: "Trash",
  folderRole: "trash",
  whereText: "In Trash: it was deleted",
  fromName: "",
  fromAddress: "noname@example.com",
  subject: "",
  date: null,
  why: [],
  alsoIn: [],
};
const query: HuntQuery = { accountId: "demo", from: "ana", subject: null, date: "2025-03-14", dateSlackDays: 3, limit: 50 };

describe("Results", () => {
  it("shows each hit's sender, subject, date, where it is and why it matched", () => {
    render(Results, { props: { hits: [junkHit, trashHit], query, onSearchAgain: () => {} } });
    const [first, second] = screen.getAllByTestId("hit");
    expect(first.dataset.folder).toBe("Junk");
    expect(first.textContent).toContain("Anna Keller");
    expect(first.textContent).toContain("anna.keller@keller-design.example");
    expect(first.textContent).toContain("Invoice 2025-031 for the March website work");
    expect(first.textContent).toContain("2025");
    expect(within(first).getByTestId("hit-where").textContent).toBe("In Junk: your spam filter put it there");
    const why = within(first).getByRole("list", { name: "Why this matches" });
    expect(within(why).getAllByRole("listitem").map((li) => li.textContent)).toEqual(junkHit.why);

    expect(second.dataset.folder).toBe("Trash");
    expect(second.textContent).toContain("noname@example.com");
    expect(second.textContent).toContain("(no subject)");
    expect(second.textContent).toContain("Date unknown");
    expect(screen.getByText(/2 possible matches/)).toBeTruthy();
  });

  it("marks the best hit as chosen and lets the person choose another", async () => {
    render(Results, { props: { hits: [junkHit, trashHit], query, onSearchAgain: () => {} } });
    const buttons = screen.getAllByRole("button", { pressed: true });
    expect(buttons).toHaveLength(1);
    expect(buttons[0].closest("li")?.dataset.folder).toBe("Junk");
    const second = screen.getAllByTestId("hit")[1];
    await fireEvent.click(within(second).getAllByRole("button")[0]);
    expect(screen.getByRole("button", { pressed: true }).closest("li")?.dataset.folder).toBe("Trash");
  });

  it("shows where a hit is now when that changed", () => {
    const key = JSON.stringify(["demo", "Junk", 11, 5]);
    render(Results, {
      props: {
        hits: [junkHit],
        query,
        locations: { [key]: { folder: "INBOX", whereText: "In your Inbox: you put it back" } },
        onSearchAgain: () => {},
      },
    });
    const hit = screen.getByTestId("hit");
    expect(hit.dataset.folder).toBe("INBOX");
    expect(within(hit).getByTestId("hit-where").textContent).toBe("In your Inbox: you put it back");
  });

  it("is kind when nothing matched and suggests leaving out the date", async () => {
    const onSearchAgain = vi.fn();
    render(Results, { props: { hits: [], query, onSearchAgain } });
    expect(screen.queryAllByTestId("hit")).toHaveLength(0);
    expect(screen.getByTestId("results-empty").textContent).toMatch(/leave out the date/);
    await fireEvent.click(screen.getByTestId("search-again"));
    expect(onSearchAgain).toHaveBeenCalledTimes(1);
  });

  it("does not mention the date when none was given", () => {
    render(Results, { props: { hits: [], query: { ...query, date: null, dateSlackDays: null }, onSearchAgain: () => {} } });
    expect(screen.getByTestId("results-empty").textContent).not.toMatch(/date/);
  });
});

describe("Results, widening", () => {
  it("lists every folder a hit is in", () => {
    render(Results, { props: { hits: [junkHit], query, onSearchAgain: () => {} } });
    expect(screen.getByTestId("hit-locations").textContent).toContain("Junk · Archive");
  });

  it("widens step by step and marks what each step added", async () => {
    const wider = { ...trashHit, subject: "Invoice April" };
    const onWiden = vi.fn(async () => [junkHit, wider]);
    render(Results, { props: { hits: [junkHit], query, onSearchAgain: () => {}, onWiden } });
    await fireEvent.click(screen.getByTestId("widen-week"));
    expect(onWiden).toHaveBeenCalledWith({ ...query, dateSlackDays: 7 });
    expect((await screen.findByTestId("widen-result")).textContent).toBe(
      "Look a week either side: 1 new (Invoice April), marked “new”.",
    );
    expect(screen.getByTestId("widen-sender").textContent).toContain("Ignore the sender");
  });
});
