import { isDeepStrictEqual } from "util";
import { markdownCell, markdownCode } from "./markdownText";

/**
 * The security-relevant settings of a run (tools/analysis/securitySettings.ts reads them) as the reports
 * show them: the section at the top of the Markdown report, and the values in the plan document.
 */

/** One security-relevant setting of a run. */
export interface SecuritySetting {
  readonly key: string;
  /** The validated value (undefined: not set, and no default). */
  readonly value: unknown;
  /**
   * What a value different from is called out: the schema's default, or for `environment` the
   * stack's own name. Undefined for keys that have no sensible baseline (principals, regions):
   * those are called out only when they change against the base plan.
   */
  readonly expected?: { readonly value: unknown; readonly what: string };
}

/** The security-relevant settings of one run. */
export type SecuritySettings = readonly SecuritySetting[];

/** The values, by key, as the plan document carries them. */
export function securityValues(settings: SecuritySettings): Record<string, unknown> {
  return Object.fromEntries(settings.map((s) => [s.key, s.value]));
}

/** One setting the report calls out. */
export interface CalledOut extends SecuritySetting {
  /** The base plan's value, when the base plan carries the settings. */
  readonly base?: { readonly value: unknown };
  readonly differsFromExpected: boolean;
  readonly changed: boolean;
}

/** The settings that differ from what is expected of them or from the base plan's (`base`: its `securitySettings`). */
export function calledOut(settings: SecuritySettings, base?: Readonly<Record<string, unknown>>): CalledOut[] {
  return settings.flatMap((s) => {
    const differsFromExpected = s.expected !== undefined && !isDeepStrictEqual(s.value, s.expected.value);
    const changed = base !== undefined && !isDeepStrictEqual(s.value, base[s.key]);
    return differsFromExpected || changed ? [{ ...s, base: base === undefined ? undefined : { value: base[s.key] }, differsFromExpected, changed }] : [];
  });
}

const shown = (value: unknown) => (value === undefined ? "unset" : markdownCode(JSON.stringify(value)));

/**
 * The report's first section: every security-relevant setting that differs from what is expected
 * of it (its default; for `environment`, the stack's name) or from the base plan. Empty when none
 * does. Lists (regions, principals) are compared with the base plan only.
 */
export function securityMarkdown(settings: SecuritySettings, base?: Readonly<Record<string, unknown>>): string[] {
  const rows = calledOut(settings, base);
  if (rows.length === 0) return [];
  const withBase = base !== undefined;
  const out = [
    "#### Security-relevant settings",
    "",
    `Settings that decide how strong the guards are, where they differ from the default${withBase ? " or from the base plan" : ""}: check each is meant.`,
    "",
    `| Setting | Value | Expected |${withBase ? " Base plan |" : ""}`,
    `| --- | --- | --- |${withBase ? " --- |" : ""}`,
  ];
  for (const r of rows) {
    const expected = r.expected === undefined ? "—" : `${shown(r.expected.value)} (${markdownCell(r.expected.what)})`;
    const baseCell = r.base === undefined ? "" : ` ${r.changed ? `**changed** from ${shown(r.base.value)}` : "same"} |`;
    out.push(`| ${markdownCode(r.key)} | ${shown(r.value)} | ${expected} |${baseCell}`);
  }
  return [...out, ""];
}
