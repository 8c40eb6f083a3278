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
  /** The prod stack as committed: protection on, WORM and backups Locked, long retention. */
  prod: { stack: "prod" },
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

/** One pass of the pack over `capture`, with the base's stack config. */
export function analyze(runner: PolicyRunner, capture: Capture, base: BaseName = "dev", packConfig: PackConfigFile = {}): Promise<PolicyReport> {
  const { stack, config } = bases[base] as { stack: string; config?: Record<string, unknown> };
  return runner.analyze(capture, { stackConfig: stackConfigOf(config, stack), packConfig });
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
