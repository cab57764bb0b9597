import type { ErrorCode } from "./types";

const CODES: readonly ErrorCode[] = [
  "auth",
  "network",
  "tls",
  "starttls_missing",
  "server_rejected",
  "folder_vanished",
  "not_found",
  "storage",
  "cancelled",
  "invalid_input",
  "bug",
];

// What the person reads. Each sentence says what happened and what to do next.
const PLAIN: Record<ErrorCode, string> = {
  auth:
    "The mail server did not accept this email address and password. Check them and try again. " +
    "Some providers (Gmail, Outlook, iCloud, Yahoo) need an app password instead of your usual one.",
  network:
    "Could not reach the mail server. Check your internet connection and the server name, then try again.",
  tls:
    "The mail server's security certificate could not be checked, so nothing was sent. " +
    "If your provider uses its own certificate, add it under Advanced.",
  starttls_missing:
    "This server does not offer STARTTLS security. Choose SSL/TLS (usually port 993) and try again.",
  server_rejected: "The mail server refused the request. Try again in a moment.",
  folder_vanished:
    "A folder disappeared from the server while it was being read. Scan again to pick up the change.",
  not_found:
    "That message is no longer where it was. It may have been moved or deleted. Scan again and search once more.",
  storage: "Mailhound could not read or write its own files on this computer. Check there is free disk space.",
  cancelled: "Stopped, as you asked.",
  invalid_input: "Some details need fixing.",
  bug: "Something went wrong inside Mailhound. Please try again; if it keeps happening, report it.",
};

/** An error the person can act on. `message` is plain language; `detail` is what the backend said. */
export class UserError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(code: ErrorCode, detail = "", options?: { cause?: unknown }) {
    // For invalid input the backend names the field, which is the most useful thing to show.
    super(code === "invalid_input" && detail ? detail : PLAIN[code], options);
    this.name = "UserError";
    this.code = code;
    this.detail = detail;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (CODES as readonly string[]).includes(value);
}

/** Turns whatever a command rejected with (`{code, message}`, a string, an Error) into a UserError. */
export function toUserError(raw: unknown): UserError {
  if (raw instanceof UserError) return raw;
  if (typeof raw === "object" && raw !== null && "code" in raw) {
    const { code, message } = raw as { code: unknown; message?: unknown };
    const detail = typeof message === "string" ? message : "";
    return new UserError(isErrorCode(code) ? code : "bug", detail, { cause: raw });
  }
  if (typeof raw === "string") return new UserError("bug", raw, { cause: raw });
  if (raw instanceof Error) return new UserError("bug", raw.message, { cause: raw });
  return new UserError("bug", String(raw), { cause: raw });
}
