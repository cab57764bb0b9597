import { describe, expect, it } from "vitest";
import { humanDate, percent, plural } from "./format";

describe("format", () => {
  it("pluralises", () => {
    expect(plural(1, "folder")).toBe("1 folder");
    expect(plural(4, "folder")).toBe("4 folders");
    expect(plural(0, "message")).toBe("0 messages");
  });

  it("computes bounded percentages", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 4)).toBe(100);
    expect(percent(0, 0)).toBe(100);
  });

  it("writes dates in words and survives missing or odd ones", () => {
    const text = humanDate("2025-03-14T09:12:00Z", "en-GB");
    expect(text).toContain("March");
    expect(text).toContain("2025");
    expect(text).toMatch(/Friday/);
    expect(humanDate(null)).toBe("Date unknown");
    expect(humanDate("not a date")).toBe("not a date");
  });
});
