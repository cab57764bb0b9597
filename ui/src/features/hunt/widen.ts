// Widening a hunt one step at a time, and telling the person what each step added.
import type { Hit, HuntQuery } from "../../ipc/types";
import { hitKey } from "../../lib/hits";

export interface Widening {
  id: "week" | "sender" | "folders" | "date";
  label: string;
  apply: (query: HuntQuery) => HuntQuery;
}

/** The steps that would change this query, mildest first. */
export function widenings(query: HuntQuery): Widening[] {
  const steps: Widening[] = [];
  if (query.date && !query.dateTo && (query.dateSlackDays ?? 0) < 7) {
    steps.push({ id: "week", label: "Look a week either side", apply: (q) => ({ ...q, dateSlackDays: 7 }) });
  }
  const otherClues = Boolean(query.subject || query.date || query.to);
  if (query.from && otherClues) {
    steps.push({ id: "sender", label: "Ignore the sender", apply: (q) => ({ ...q, from: null }) });
  }
  if (query.withinRoles && query.withinRoles.length > 0) {
    steps.push({ id: "folders", label: "Any folder", apply: (q) => ({ ...q, withinRoles: [] }) });
  }
  if (query.date && (query.from || query.subject || query.to)) {
    steps.push({ id: "date", label: "Ignore the date", apply: (q) => ({ ...q, date: null, dateTo: null, dateSlackDays: null }) });
  }
  return steps;
}

/** The hits of `after` that were not among `before`. */
export function addedHits(before: Hit[], after: Hit[]): Hit[] {
  const seen = new Set(before.map((h) => hitKey(h.ref)));
  return after.filter((h) => !seen.has(hitKey(h.ref)));
}

/** One line for what a widening step added. */
export function addedText(step: Widening, added: Hit[]): string {
  if (added.length === 0) return `${step.label}: nothing new.`;
  const names = added.slice(0, 3).map((h) => h.subject || h.fromName || h.fromAddress || "(no subject)");
  const more = added.length > 3 ? ` and ${added.length - 3} more` : "";
  return `${step.label}: ${added.length} new (${names.join("; ")}${more}), marked “new”.`;
}
