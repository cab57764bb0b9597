import { describe, expect, it } from "vitest";
import { NOTHING_FILLED, buildQuery, emptyFields } from "./query";

describe("buildQuery", () => {
  it("needs at least one thing remembered", () => {
    expect(buildQuery(emptyFields(), "acc")).toEqual({ ok: false, problem: NOTHING_FILLED });
    expect(buildQuery({ ...emptyFields(), from: "   " }, "acc").ok).toBe(false);
  });

  it("does not count a date when the person has no idea of it", () => {
    expect(buildQuery({ ...emptyFields(), date: "2025-03-14", slack: "none" }, "acc")).toEqual({
      ok: false,
      problem: NOTHING_FILLED,
    });
    const built = buildQuery({ from: "anna", subject: "", date: "2025-03-14", slack: "none" }, "acc");
    expect(built.ok && built.query).toMatchObject({ date: null, dateSlackDays: null });
  });

  it("turns the answers into a query, trimmed, with the date slack in days", () => {
    expect(buildQuery({ from: " Anna ", subject: "invoice ", date: "2025-03-14", slack: "7" }, "acc", 20)).toEqual({
      ok: true,
      query: { accountId: "acc", from: "Anna", subject: "invoice", date: "2025-03-14", dateSlackDays: 7, limit: 20 },
    });
    const exact = buildQuery({ ...emptyFields(), date: "2025-03-14", slack: "0" }, null);
    expect(exact.ok && exact.query).toMatchObject({ accountId: null, from: null, subject: null, dateSlackDays: 0 });
  });

  it("rejects a malformed date", () => {
    const built = buildQuery({ ...emptyFields(), date: "14/03/2025" }, "acc");
    expect(built.ok).toBe(false);
  });

  it("adds the optional answers only when given", () => {
    const built = buildQuery({ ...emptyFields(), from: "anna", to: " sam ", attachment: true, folders: "junk-trash" }, "acc");
    expect(built.ok && built.query).toMatchObject({ to: "sam", hasAttachment: true, withinRoles: ["junk", "trash"] });
    const plain = buildQuery({ ...emptyFields(), from: "anna", to: "", attachment: false, folders: "any" }, "acc");
    expect(plain.ok && Object.keys(plain.query)).not.toContain("withinRoles");
  });
});
