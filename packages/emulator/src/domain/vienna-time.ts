/**
 * The real backend stores local date-times and renders them in Europe/Vienna with the offset in
 * force at that instant. Instants are kept as epoch milliseconds; the offset comes from Intl so that
 * daylight-saving changes are right without a bundled tz database.
 */
const ZONE = 'Europe/Vienna';

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallOf(ms: number): Wall {
  const parts: Record<string, number> = {};
  for (const p of wallClock.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/** Offset of Vienna from UTC at instant `ms`, in minutes (60 in winter, 120 in summer). */
export function viennaOffsetMinutes(ms: number): number {
  const w = wallOf(ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function wallText(ms: number, fraction: boolean): string {
  const w = wallOf(ms);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const millis = ((ms % 1000) + 1000) % 1000;
  return fraction && millis !== 0 ? `${base}.${pad(millis, 3)}` : base;
}

/** ISO-8601 with Vienna offset, whole seconds (as values re-read from the backend's database look). */
export function formatVienna(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  const offset = viennaOffsetMinutes(ms);
  const sign = offset < 0 ? '-' : '+';
  return `${wallText(ms, false)}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** Local Vienna wall clock without offset, as the Spring error handler writes `timestamp`. */
export function viennaLocalTimestamp(ms: number): string {
  return wallText(ms, true);
}

/**
 * Parses an ISO-8601 date-time (already validated by the contract). A value without an offset is
 * a Vienna wall-clock time, as the backend's LocalDateTime columns treat it.
 */
export function parseDateTime(text: string): number {
  const withSeconds = /T\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(withSeconds)) {
    const normalised = withSeconds.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    return Date.parse(normalised);
  }
  const guess = Date.parse(`${withSeconds}Z`);
  const first = guess - viennaOffsetMinutes(guess) * 60_000;
  return guess - viennaOffsetMinutes(first) * 60_000;
}

/** Default expiration of subscribers and subscriptions: 2037-12-31 23:59:59 Vienna. */
export const DEFAULT_EXPIRATION_MS = parseDateTime('2037-12-31T23:59:59');

export type CycleUnit = 'DAYS' | 'WEEKS' | 'MONTHS' | 'YEARS';

/** Adds `units` calendar cycles to an instant, on the Vienna calendar (month ends clamp like java.time). */
export function addCycles(ms: number, units: number, type: CycleUnit): number {
  if (type === 'DAYS' || type === 'WEEKS') {
    const days = type === 'DAYS' ? units : units * 7;
    const w = wallOf(ms);
    const local = new Date(Date.UTC(w.year, w.month - 1, w.day + days, w.hour, w.minute, w.second));
    return parseDateTime(local.toISOString().slice(0, 19)) + (ms % 1000);
  }
  const months = type === 'MONTHS' ? units : units * 12;
  const w = wallOf(ms);
  const targetMonth = w.month - 1 + months;
  const year = w.year + Math.floor(targetMonth / 12);
  const month = ((targetMonth % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const local = new Date(Date.UTC(year, month, Math.min(w.day, lastDay), w.hour, w.minute, w.second));
  return parseDateTime(local.toISOString().slice(0, 19)) + (ms % 1000);
}
