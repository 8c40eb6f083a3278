import * as fs from "fs";
import type { EnforcementLevel } from "./policyResults";

/**
 * Policy pack configuration, in the format of the CLI's `--policy-pack-config` file:
 * `{ "<policy>": "advisory" | { "enforcementLevel": "advisory", "<property>": … }, "all": … }`.
 * Stack facts (approved regions, registers, auditors) come from the stack's own config and fill
 * the policy properties of the same name, unless the file sets them.
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

/** Stack config keys whose values are facts the policies need, by policy property name. */
const factKeys: Readonly<Record<string, { key: string; pick?: (value: unknown) => unknown }>> = {
  approvedRegions: { key: "approvedRegions" },
  auditors: { key: "auditors" },
  registers: {
    key: "registers",
    pick: (value) => (Array.isArray(value) ? value.map((r) => (r !== null && typeof r === "object" ? (r as { name?: unknown }).name : r)) : value),
  },
};

/** Stack facts from the config the program ran with (namespaced keys, values as the CLI passes them). */
export function stackFacts(stackConfig: Readonly<Record<string, string>>, project: string): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const [property, { key, pick }] of Object.entries(factKeys)) {
    const text = stackConfig[`${project}:${key}`];
    if (text === undefined) continue;
    try {
      const value = JSON.parse(text) as unknown;
      facts[property] = pick === undefined ? value : pick(value);
    } catch {
      // Not JSON: settings validation reports it; the policy keeps its default.
    }
  }
  return facts;
}

/**
 * Each policy's level and properties: the pack's default level, then `all`, then the policy's own
 * entry; properties from the stack facts, then the file. Unknown policy names are an error, as a
 * typo would otherwise silently leave a policy mandatory (or advisory).
 */
export function resolvePackConfig(
  declared: readonly PolicyDeclaration[],
  file: PackConfigFile,
  facts: Readonly<Record<string, unknown>>,
): Map<string, ResolvedPolicyConfig> {
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
    const fromFacts = Object.fromEntries(Object.entries(facts).filter(([k]) => policy.configProperties.includes(k)));
    resolved.set(policy.name, {
      enforcementLevel: own.level ?? all.level ?? policy.enforcementLevel,
      properties: { ...fromFacts, ...own.properties },
    });
  }
  return resolved;
}
