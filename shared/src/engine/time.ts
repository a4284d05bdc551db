// Calendar arithmetic in UTC. The engine never reads the clock: every "now" is the `asOf` passed in.

export const DAY_MS = 86_400_000;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a calendar date with no time (`2024-03-01`), as Salesforce Date fields and Task.ActivityDate hold. */
export const isDateOnly = (value: string): boolean => DATE_ONLY.test(value);

const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
};

/**
 * Milliseconds since the epoch; a calendar date is its first instant (00:00 UTC). NaN when unparseable.
 * The two shapes the engine sees millions of times (`2024-03-01`, `2024-03-01T10:00:00.000Z`) are read straight from
 * their characters; anything else goes through Date.parse.
 */
export const toMs = (value: string): number => {
  if (value.length === 10 && value[4] === '-' && value[7] === '-') return Date.UTC(digits(value, 0, 4), digits(value, 5, 7) - 1, digits(value, 8, 10));
  if (value.length === 24 && value[10] === 'T' && value[23] === 'Z' && value[19] === '.') {
    return Date.UTC(digits(value, 0, 4), digits(value, 5, 7) - 1, digits(value, 8, 10), digits(value, 11, 13), digits(value, 14, 16), digits(value, 17, 19), digits(value, 20, 23));
  }
  return Date.parse(isDateOnly(value) ? `${value}T00:00:00.000Z` : value);
};

/** The UTC calendar day number (days since 1970-01-01) of a date or instant. */
export const dayNumber = (value: string): number => Math.floor(toMs(value) / DAY_MS);

/** The UTC calendar day number of an epoch-millisecond instant. */
export const dayOfMs = (ms: number): number => Math.floor(ms / DAY_MS);

/** Whole calendar days from `fromMs` to `toMs` (UTC), never negative. */
export const calendarDaysBetween = (fromMs: number, toMsValue: number): number => Math.max(0, dayOfMs(toMsValue) - dayOfMs(fromMs));
