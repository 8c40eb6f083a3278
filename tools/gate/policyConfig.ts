import * as fs from "fs";
import { isDeepStrictEqual } from "util";
import type { EnforcementLevel } from "./policyResults";

/**
 * Policy pack configuration, in the format of the CLI's `--policy-pack-config` file:
 * `{ "<policy>": "advisory" | { "enforcementLevel": "advisory", "<property>": … }, "all": … }`.
 * The stack's facts (approved regions, registers, principals) reach the policies only through such
 * a file: the one generated per stack from its validated settings (tools/gate/stackPackConfig.ts,
 * `npm run gen:policy-config`), which the live `pulumi preview --policy-pack-config` reads too.
 */

/** One policy's entry: a level, or a level plus config properties. */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/** A policy pack config file. */
export type PackConfigFile = Readonly<Record<string, PolicyConfigEntry>>;

/** One policy's resolved config, as sent to the analyzer's `Configure`. */
export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** What the runner knows of a policy from `GetAnalyzerInfo`. */
export interface PolicyDeclaration {
  readonly name: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Config property names from the policy's config schema. */
  readonly configProperties: readonly string[];
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A config file that names unknown policies or levels. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function level(value: unknown, where: string): EnforcementLevel | undefined {
  if (value === undefined) return undefined;
  if (!levels.includes(value as EnforcementLevel)) {
    throw new PolicyConfigError(`${where}: enforcement level ${JSON.stringify(value)} is not one of ${levels.join(", ")}`);
  }
  return value as EnforcementLevel;
}

/** Reads a config file (JSON). */
export function readPackConfig(file: string): PackConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PolicyConfigError(`policy config ${file}: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PolicyConfigError(`policy config ${file} must be a JSON object keyed by policy name`);
  }
  return parsed as PackConfigFile;
}

/** A config entry as a level (if it sets one) and its properties. */
function split(entry: PolicyConfigEntry | undefined): { level?: unknown; properties: Record<string, unknown> } {
  if (entry === undefined) return { properties: {} };
  if (typeof entry === "string") return { level: entry, properties: {} };
  const { enforcementLevel, ...properties } = entry;
  return { level: enforcementLevel, properties };
}

/**
 * `extra` over `base`, policy by policy: a level replaces the level, properties replace the
 * properties of the same name, and the rest of the base entry stays (a bare level on top of an
 * entry with properties keeps the properties).
 */
export function mergePackConfigs(base: PackConfigFile, extra: PackConfigFile): PackConfigFile {
  const merged: Record<string, PolicyConfigEntry> = { ...base };
  for (const [policy, entry] of Object.entries(extra)) {
    const before = split(merged[policy]);
    const after = split(entry);
    const level = (after.level ?? before.level) as EnforcementLevel | undefined;
    const properties = { ...before.properties, ...after.properties };
    merged[policy] =
      Object.keys(properties).length === 0 && level !== undefined ? level : { ...(level === undefined ? {} : { enforcementLevel: level }), ...properties };
  }
  return merged;
}

/**
 * What `extra` would relax in a pinned configuration (a prod or dr stack's): any level other than
 * mandatory, and any property whose value differs from the pinned one (a property the pinned
 * configuration leaves to the pack's default counts too). Empty: `extra` only restates `pinned`.
 */
export function pinnedRelaxations(pinned: PackConfigFile, extra: PackConfigFile): string[] {
  const found: string[] = [];
  for (const [policy, entry] of Object.entries(extra)) {
    const { level, properties } = split(entry);
    if (level !== undefined && level !== "mandatory") found.push(`${policy} is ${String(level)}`);
    const fixed = split(pinned[policy]).properties;
    for (const [property, value] of Object.entries(properties)) {
      if (!isDeepStrictEqual(value, fixed[property])) found.push(`${policy}.${property} differs`);
    }
  }
  return found;
}

/**
 * Each policy's level and properties: the pack's default level, then `all`, then the policy's own
 * entry; properties from the file. Unknown policy names are an error, as a typo would otherwise
 * silently leave a policy mandatory (or advisory).
 */
export function resolvePackConfig(declared: readonly PolicyDeclaration[], file: PackConfigFile): Map<string, ResolvedPolicyConfig> {
  const names = new Set(declared.map((p) => p.name));
  const unknown = Object.keys(file).filter((k) => k !== "all" && !names.has(k));
  if (unknown.length > 0) {
    throw new PolicyConfigError(`policy config names unknown policies: ${unknown.join(", ")} (known: ${[...names].join(", ")})`);
  }
  const entry = (value: PolicyConfigEntry | undefined, where: string) => {
    if (value === undefined) return { level: undefined, properties: {} };
    if (typeof value === "string") return { level: level(value, where), properties: {} };
    const { enforcementLevel, ...properties } = value;
    return { level: level(enforcementLevel, where), properties };
  };
  const all = entry(file.all, "all");
  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of declared) {
    const own = entry(file[policy.name], policy.name);
    resolved.set(policy.name, { enforcementLevel: own.level ?? all.level ?? policy.enforcementLevel, properties: own.properties });
  }
  return resolved;
}
