import * as path from "path";
import type { Capture, CapturedResource } from "../tools/capture";
import type { PackConfigFile } from "../tools/policyConfig";
import type { PolicyReport } from "../tools/policyResults";
import type { PolicyRunner } from "../tools/policyRunner";
import { readStackConfig } from "../tools/stackConfig";
import { managedHsmConfig, plan } from "./helpers";

/** Shared by the policy tests: named plans, their stack config, and passes of the real pack over them. */

export const projectDir = path.resolve(__dirname, "..");

/** The plans the mutations start from: a stack and config overrides on top of its file. */
export const bases = {
  /** The dev stack as committed. */
  dev: { stack: "dev" },
  /** The prod stack as committed (phase build): protection on, WORM and backups still Unlocked, long retention. */
  prod: { stack: "prod" },
  /** The prod stack once sealed: WORM and backups Locked, ingest open. */
  sealedProd: { stack: "prod", config: { phase: "sealed" } },
  /** The dev stack with its keys in a Managed HSM. */
  managedHsm: { stack: "dev", config: managedHsmConfig },
} satisfies Record<string, { stack: string; config?: Record<string, unknown> }>;

/** Name of a base plan. */
export type BaseName = keyof typeof bases;

/** The stack config (namespaced, CLI strings) a dev-stack run with `overrides` gets. */
export function stackConfigOf(overrides: Record<string, unknown> = {}, stack = "dev"): Record<string, string> {
  return readStackConfig(projectDir, stack, overrides).values;
}

const plans = new Map<string, Promise<Capture>>();

/** The capture of a base plan (run once per test file). */
export function basePlan(base: BaseName): Promise<Capture> {
  let capture = plans.get(base);
  if (capture === undefined) {
    capture = plan(bases[base]);
    plans.set(base, capture);
  }
  return capture;
}

/** A deep copy of a capture, safe to mutate. */
export function copy(capture: Capture): Capture {
  return structuredClone(capture);
}

/**
 * Stack facts that duty-least-privilege and register-container-worm read but that
 * tools/policyConfig.ts `stackFacts` does not pass yet (it passes approvedRegions, auditors and
 * register names): the duties' principals and each register's retention, as pack config. Until
 * that file passes them, the real plan runs these two policies without them (the duty checks then
 * have no principals, and register WORM is checked for presence only); delete this bridge then.
 */
export function pendingStackFacts(stackConfig: Readonly<Record<string, string>>, project = "data-embassy"): PackConfigFile {
  const read = (key: string): unknown => {
    const value = stackConfig[`${project}:${key}`];
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  };
  const principals = Object.fromEntries(
    ["operators", "dataIngestPrincipals", "keyCustodians"].flatMap((key) => (Array.isArray(read(key)) ? [[key, read(key)]] : [])),
  );
  // Only retentions the stack states: a register without one gets the settings' default, which only they know.
  const registers = Array.isArray(read("registers")) ? (read("registers") as { name?: unknown; retentionDays?: unknown }[]) : [];
  const registerRetentionDays = Object.fromEntries(
    registers.flatMap((r) => (typeof r?.name === "string" && typeof r.retentionDays === "number" ? [[r.name, r.retentionDays]] : [])),
  );
  return { "duty-least-privilege": principals, "register-container-worm": { registerRetentionDays } };
}

/** `extra` over `base`, policy by policy (a policy's properties merged, `extra` winning). */
function mergePackConfig(base: PackConfigFile, extra: PackConfigFile): PackConfigFile {
  const merged: Record<string, PackConfigFile[string]> = { ...base };
  for (const [policy, entry] of Object.entries(extra)) {
    const before = merged[policy];
    merged[policy] = typeof before === "object" && typeof entry === "object" ? { ...before, ...entry } : entry;
  }
  return merged;
}

/** One pass of the pack over `capture`, with the base's stack config. */
export function analyze(runner: PolicyRunner, capture: Capture, base: BaseName = "dev", packConfig: PackConfigFile = {}): Promise<PolicyReport> {
  const { stack, config } = bases[base] as { stack: string; config?: Record<string, unknown> };
  const stackConfig = stackConfigOf(config, stack);
  return runner.analyze(capture, { stackConfig, packConfig: mergePackConfig(pendingStackFacts(stackConfig), packConfig) });
}

/** Ids of the controls with violations at `level` (default: any level). */
export function failing(report: PolicyReport, level?: string): string[] {
  const ids = report.violations.filter((v) => level === undefined || v.enforcementLevel === level).map((v) => v.policyName);
  return [...new Set(ids)].sort();
}

/** The first resource of a type, if any. */
export function firstOf(capture: Capture, type: string, pick: (r: CapturedResource) => boolean = () => true): CapturedResource | undefined {
  return capture.resources.find((r) => r.type === type && pick(r));
}
