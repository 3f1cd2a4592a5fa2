// A 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
// Supports `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, and names of months
// and weekdays (JAN, MON); day-of-week 0 and 7 are Sunday. When both day fields are restricted a
// day matches either (as Vixie cron does). Shared by the control plane (validation) and the scheduler.

export interface Cron {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

export type CronParse = { ok: true; cron: Cron } | { ok: false; reason: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, base: 0 },
] as const;

export function parseCron(source: string): CronParse {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) return { ok: false, reason: `a cron expression has 5 fields (minute hour day month weekday), got ${parts.length}` };
  const sets: Set<number>[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const set = parseField(parts[i], spec);
    if (typeof set === 'string') return { ok: false, reason: `${spec.name}: ${set}` };
    sets.push(set);
  }
  if (sets[4].has(7)) sets[4].add(0);
  return {
    ok: true,
    cron: {
      source, minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4],
      daysRestricted: parts[2] !== '*', weekdaysRestricted: parts[4] !== '*',
    },
  };
}

function parseField(field: string, spec: (typeof FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  const value = (raw: string): number | string => {
    const names = 'names' in spec ? (spec.names as readonly string[]) : undefined;
    const named = names?.indexOf(raw.toUpperCase()) ?? -1;
    if (named >= 0) return named + ('base' in spec ? spec.base : 0);
    if (!/^\d+$/.test(raw)) return `"${raw}" is not a number`;
    const n = Number(raw);
    return n < spec.min || n > spec.max ? `${n} is outside ${spec.min}-${spec.max}` : n;
  };
  for (const item of field.split(',')) {
    const [range, stepRaw, extra] = item.split('/');
    if (extra !== undefined) return `"${item}" has two steps`;
    const step = stepRaw === undefined ? 1 : /^\d+$/.test(stepRaw) && Number(stepRaw) > 0 ? Number(stepRaw) : NaN;
    if (Number.isNaN(step)) return `step "${stepRaw}" must be a positive number`;
    let from: number | string;
    let to: number | string;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a), value(b)];
    } else {
      from = value(range);
      to = stepRaw === undefined ? from : spec.max;
    }
    if (typeof from === 'string') return from;
    if (typeof to === 'string') return to;
    if (from > to) return `range ${range} runs backwards`;
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** The first time strictly after `after` (whole minutes, UTC) the expression fires; null if none within ~5 years. */
export function nextCronTime(cron: Cron, after: Date): Date | null {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return null;
}

function dayMatches(cron: Cron, t: Date): boolean {
  const dom = cron.days.has(t.getUTCDate());
  const dow = cron.weekdays.has(t.getUTCDay());
  if (cron.daysRestricted && cron.weekdaysRestricted) return dom || dow;
  return dom && dow;
}
