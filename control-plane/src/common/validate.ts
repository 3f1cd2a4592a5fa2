import { InvalidInput } from './errors';

/** Trims and checks a display name: 1..120 characters. */
export function requireName(value: string, field: string, max = 120): string {
  const v = (value ?? '').trim();
  if (!v) throw new InvalidInput(field, `${field} must not be empty`);
  if (v.length > max) throw new InvalidInput(field, `${field} must be at most ${max} characters`);
  return v;
}

export function requireText(value: string | undefined | null, field: string, max = 4096): string {
  if (value === undefined || value === null || value === '') throw new InvalidInput(field, `${field} is required`);
  if (value.length > max) throw new InvalidInput(field, `${field} must be at most ${max} characters`);
  return value;
}
