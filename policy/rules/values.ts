/**
 * Reading resource inputs safely. Inputs arrive as plain JSON (the analyzer deserialises them), so
 * every rule treats a missing or oddly typed value as "not set" instead of throwing.
 */

type Json = Readonly<Record<string, unknown>>;

/** The value at a dotted path, or undefined. */
export function get(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Json)[part];
  }
  return current;
}

/** The value at `path` if it is a non-empty string. */
export function text(value: unknown, path?: string): string | undefined {
  const v = path === undefined ? value : get(value, path);
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The value at `path` if it is a number. */
export function num(value: unknown, path: string): number | undefined {
  const v = get(value, path);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The array at `path`, or an empty one. */
export function list(value: unknown, path?: string): readonly unknown[] {
  const v = path === undefined ? value : get(value, path);
  return Array.isArray(v) ? v : [];
}

/** Strings of the array at `path`. */
export function strings(value: unknown, path?: string): string[] {
  return list(value, path).filter((v): v is string => typeof v === "string");
}

/** Case-insensitive comparison, as Azure compares enum-like strings. */
export function same(a: unknown, b: string): boolean {
  return typeof a === "string" && a.toLowerCase() === b.toLowerCase();
}

/** True if `a` equals one of `options`, ignoring case. */
export function oneOf(a: unknown, options: readonly string[]): boolean {
  return options.some((o) => same(a, o));
}

/** Days in an ISO 8601 duration of days, weeks, months or years (`P90D`, `P2Y`); undefined otherwise. */
export function durationDays(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/i.exec(value) : null;
  if (match === null || match.slice(1).every((part) => part === undefined)) return undefined;
  const [years, months, weeks, days] = match.slice(1).map((part) => Number(part ?? 0));
  return years * 365 + months * 30 + weeks * 7 + days;
}

/** How a value reads in a message. */
export function shown(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}
