// What the person remembers, as typed, and how it becomes a HuntQuery.
import type { HuntQuery } from "../../ipc/types";

/** "none" means: no idea of the date, so the date is left out. */
export type Slack = "0" | "3" | "7" | "30" | "none";

export const SLACK_CHOICES: { value: Slack; label: string }[] = [
  { value: "0", label: "That exact day" },
  { value: "3", label: "Within a few days" },
  { value: "7", label: "Within a week" },
  { value: "30", label: "Within a month" },
  { value: "none", label: "No idea" },
];

export interface HuntFields {
  from: string;
  subject: string;
  /** YYYY-MM-DD from the date input, or "". */
  date: string;
  slack: Slack;
}

export function emptyFields(): HuntFields {
  return { from: "", subject: "", date: "", slack: "3" };
}

export const NOTHING_FILLED =
  "Fill in at least one thing you remember: who sent it, what it was about, or roughly when.";

export type Built = { ok: true; query: HuntQuery } | { ok: false; problem: string };

export function buildQuery(fields: HuntFields, accountId: string | null, limit = 50): Built {
  const from = fields.from.trim() || null;
  const subject = fields.subject.trim() || null;
  const useDate = fields.slack !== "none" && fields.date !== "";
  if (useDate && !/^\d{4}-\d{2}-\d{2}$/.test(fields.date)) {
    return { ok: false, problem: "That date does not look right. Pick it from the calendar, or choose “No idea”." };
  }
  const date = useDate ? fields.date : null;
  if (!from && !subject && !date) return { ok: false, problem: NOTHING_FILLED };
  return {
    ok: true,
    query: { accountId, from, subject, date, dateSlackDays: date ? Number(fields.slack) : null, limit },
  };
}
