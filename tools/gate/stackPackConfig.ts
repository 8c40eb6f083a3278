import * as fs from "fs";
import * as path from "path";
import { controls } from "../../catalog/controls";
import { rules } from "../../policy/rules";
import { mergePackConfigs, PackConfigFile, PolicyConfigEntry, PolicyConfigError, pinnedRelaxations, readPackConfig } from "./policyConfig";
import { ProjectSettings, readProjectSettings } from "../engine/projectSettings";

/**
 * One policy pack configuration per stack, from the stack's *validated* settings (defaults
 * applied, exactly what the program gets), in the CLI's `--policy-pack-config` format. The same
 * file feeds both gates: the offline plan (tools/plan.ts) and every live `pulumi preview`/`up`
 * in .github/workflows (`policyPackConfigs`). `npm run gen:policy-config` writes it to
 * policy/config/<project>.<stack>.json; tests/policy-config.test.ts fails when one is stale.
 *
 * - Stack facts: every property a rule's config spec reads that the settings decide (regions,
 *   principals per duty, registers and their retention), for each policy that declares it.
 * - Pinned: `lockedEnvironments` (prod and dr, and a pinned stack's own environment).
 * - A project's exceptions (`<project dir>/policy-config.json`, e.g. bootstrap's advisory
 *   controls) are merged in, except into a pinned stack.
 * - Prod and dr (by environment or by stack name) are pinned: `"all": "mandatory"`, no exception,
 *   and the plan refuses a `--policy-config` that relaxes them (see {@link pinnedRelaxations}).
 */

const repoRoot = path.resolve(__dirname, "..", "..");

/** The Pulumi projects whose stacks get a generated pack config (repository-relative): the embassy and the state backend. */
export const policyConfigProjects: readonly string[] = [".", "bootstrap"];

/** Where the generated files live. */
export const packConfigDir = path.join(repoRoot, "policy", "config");

/** A project's own additions to its stacks' pack config (levels, e.g. controls it may only follow as advisory). */
export const projectExceptionsFile = "policy-config.json";

/** Environments (and stack names) whose pack config is pinned: every policy mandatory, nothing relaxed. */
export const pinnedEnvironments: readonly string[] = ["prod", "dr"];

/** Policy properties that come from a stack's settings; each needs a line in {@link settingsFacts}. */
export const stackFactProperties = [
  "approvedRegions",
  "auditors",
  "operators",
  "dataIngestPrincipals",
  "keyCustodians",
  "registers",
  "registerRetentionDays",
] as const;

/** Policy properties the repository pins for every stack (not settings). */
export const pinnedProperties = ["lockedEnvironments"] as const;

/**
 * Policy properties that stay the pack's own (its defaults, the same for every stack): a stack
 * setting must not be able to loosen them (keyRotationDays is checked against maximumDaysToRotate,
 * keySize against minimumRsaKeySize).
 */
export const packOwnedProperties = ["maximumDaysToRotate", "minimumRsaKeySize"] as const;

type StackFact = (typeof stackFactProperties)[number];

/** The stack facts the settings decide. */
function settingsFacts(s: ProjectSettings): Partial<Record<StackFact, unknown>> {
  switch (s.kind) {
    case "embassy": {
      const { settings } = s;
      const facts: Record<StackFact, unknown> = {
        approvedRegions: [...settings.approvedRegions],
        auditors: [...settings.auditors],
        operators: [...settings.operators],
        dataIngestPrincipals: [...settings.dataIngestPrincipals],
        keyCustodians: [...settings.keyCustodians],
        registers: settings.registers.map((r) => r.name),
        registerRetentionDays: Object.fromEntries(settings.registers.map((r) => [r.name, r.retentionDays])),
      };
      return facts;
    }
    case "state":
      // The backend's key admins hold Key Vault Crypto Officer: the key custodians' duty.
      return { keyCustodians: [...s.settings.keyAdmins] };
    case "other":
      return {};
  }
}

/** A stack's pack configuration and what it was made from. */
export interface StackPackConfig {
  /** Pulumi project name. */
  readonly project: string;
  readonly stack: string;
  /** The stack's `environment` setting (the embassy's); undefined for a project without one. */
  readonly environment?: string;
  /** Prod or dr: every policy mandatory, and nothing may relax it. */
  readonly pinned: boolean;
  readonly config: PackConfigFile;
  /** Absolute path of the generated file for this stack. */
  readonly file: string;
  /** The validated settings it was made from. */
  readonly settings: ProjectSettings;
}

/** Absolute path of the generated pack config of a stack. */
export function packConfigPath(project: string, stack: string): string {
  return path.join(packConfigDir, `${project}.${stack}.json`);
}

/** The file's text: stable key order (catalog order), two-space JSON, a final newline. */
export function packConfigText(config: PackConfigFile): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * The pack config of `stack` in `projectDir`, with `overrides` over its stack file (as
 * `plan --config` and the tests' bases apply them). Used by the generator, the plan and the
 * mutation harness alike.
 *
 * @throws StackFileError - Pulumi.yaml or the stack file cannot be read
 * @throws ProjectSettingsError - the settings are invalid (the program would refuse them too)
 * @throws PolicyConfigError - the project's exceptions file is unreadable, or would relax a pinned stack
 */
export function packConfigFor(projectDir: string, stack: string, overrides: Record<string, unknown> = {}): StackPackConfig {
  const settings = readProjectSettings(projectDir, stack, overrides);
  const environment = settings.kind === "embassy" ? settings.settings.environment : undefined;
  const pinned = [environment, stack].some((name) => name !== undefined && pinnedEnvironments.includes(name));
  const facts: Record<string, unknown> = {
    ...settingsFacts(settings),
    // A pinned stack that calls itself something else (environment: dev in Pulumi.prod.yaml) is locked all the same.
    lockedEnvironments: [...new Set([...pinnedEnvironments, ...(pinned && environment !== undefined ? [environment] : [])])],
  };
  const generated: Record<string, PolicyConfigEntry> = pinned ? { all: "mandatory" } : {};
  for (const control of controls) {
    const declared = Object.keys(rules[control.id as keyof typeof rules].config ?? {});
    const properties = Object.fromEntries(declared.filter((p) => p in facts).map((p) => [p, facts[p]]));
    if (Object.keys(properties).length > 0) generated[control.id] = properties;
  }
  let config: PackConfigFile = generated;
  const exceptionsFile = path.join(projectDir, projectExceptionsFile);
  if (fs.existsSync(exceptionsFile)) {
    const exceptions = readPackConfig(exceptionsFile);
    const relaxed = pinned ? pinnedRelaxations(generated, exceptions) : [];
    if (relaxed.length > 0) {
      throw new PolicyConfigError(`${path.relative(repoRoot, exceptionsFile)} may not relax the pinned stack ${stack}: ${relaxed.join(", ")}`);
    }
    config = mergePackConfigs(generated, exceptions);
  }
  return { project: settings.project, stack, environment, pinned, config, file: packConfigPath(settings.project, stack), settings };
}
