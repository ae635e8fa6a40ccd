/** Formatting shared by the pages. Times are ms since the epoch; `now` comes from the caller's clock. */

/** "83%", or "—" when there is nothing to divide. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : `${Math.round(value * 100)}%`;
}

/** A pattern's success rate: successes over decided heals, or null before the first. */
export function successRate(successes: number, failures: number): number | null {
  return successes + failures === 0 ? null : successes / (successes + failures);
}

/** "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "—" for no time. */
export function ago(at: number | null | undefined, now: number): string {
  if (at === null || at === undefined) return '—';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** An ISO time for `<time datetime>` and tooltips. */
export function iso(at: number): string {
  return new Date(at).toISOString();
}

/** The first 8 characters of an id, enough to tell jobs apart on a page. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** Compact JSON for a table cell, cut at `max` characters. */
export function compactJson(value: unknown, max = 160): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Words for a category id: `rate_limit` → "rate limit". */
export function categoryName(category: string): string {
  return category.replace(/_/g, ' ');
}

/** "1 pattern", "3 patterns". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
