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
  /** To whom it was sent, if remembered. */
  to?: string;
  /** Ticked when the person remembers an attachment. */
  attachment?: boolean;
  /** Where to look. */
  folders?: FolderChoice;
}

export type FolderChoice = "any" | "junk-trash";

export const FOLDER_CHOICES: { value: FolderChoice; label: string }[] = [
  { value: "any", label: "Every folder" },
  { value: "junk-trash", label: "Only Junk and Trash" },
];

export function emptyFields(): HuntFields {
  return { from: "", subject: "", date: "", slack: "3", to: "", attachment: false, folders: "any" };
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
  if (!from && !subject && !date && !fields.to?.trim()) return { ok: false, problem: NOTHING_FILLED };
  const query: HuntQuery = { accountId, from, subject, date, dateSlackDays: date ? Number(fields.slack) : null, limit };
  // Optional answers are sent only when given, so a plain hunt stays the plain query.
  const to = fields.to?.trim();
  if (to) query.to = to;
  if (fields.attachment) query.hasAttachment = true;
  if (fields.folders === "junk-trash") query.withinRoles = ["junk", "trash"];
  return { ok: true, query };
}
