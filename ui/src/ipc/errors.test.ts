import { describe, expect, it } from "vitest";
import { UserError, toUserError } from "./errors";

describe("toUserError", () => {
  it("turns the backend's {code, message} into plain words, keeping the detail", () => {
    const err = toUserError({ code: "auth", message: "NO [AUTHENTICATIONFAILED] Invalid credentials" });
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe("auth");
    expect(err.message).toMatch(/did not accept this email address and password/);
    expect(err.message).not.toContain("AUTHENTICATIONFAILED");
    expect(err.detail).toBe("NO [AUTHENTICATIONFAILED] Invalid credentials");
  });

  it("shows the backend's own sentence for invalid input", () => {
    expect(toUserError({ code: "invalid_input", message: "The port must be a number." }).message).toBe(
      "The port must be a number.",
    );
  });

  it("treats unknown codes, strings and exceptions as bugs", () => {
    expect(toUserError({ code: "weird", message: "x" }).code).toBe("bug");
    const fromString = toUserError("command hunt not found");
    expect(fromString.code).toBe("bug");
    expect(fromString.detail).toBe("command hunt not found");
    expect(toUserError(new TypeError("boom")).detail).toBe("boom");
  });

  it("passes a UserError through unchanged", () => {
    const original = new UserError("network");
    expect(toUserError(original)).toBe(original);
  });
});
