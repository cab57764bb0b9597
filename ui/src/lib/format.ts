// Small formatting helpers shared by the features. Pure functions, no state.

/** "1 message", "12 messages". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;
}

/** A whole percentage between 0 and 100; 100 for an empty total (nothing left to do). */
export function percent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** An RFC 3339 timestamp as people say it: "Friday 14 March 2025 at 10:12". */
export function humanDate(rfc3339: string | null, locale?: string): string {
  if (!rfc3339) return "Date unknown";
  const when = new Date(rfc3339);
  if (Number.isNaN(when.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(when);
}
