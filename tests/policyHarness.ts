import * as path from "path";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { mergePackConfigs, PackConfigFile } from "../tools/gate/policyConfig";
import type { PolicyReport } from "../tools/gate/policyResults";
import type { AnalyzeOptions, PolicyRunner } from "../tools/gate/policyRunner";
import { readStackConfig } from "../tools/engine/stackConfig";
import { packConfigFor } from "../tools/gate/stackPackConfig";
import { managedHsmConfig, plan, unpairedHostConfig } from "./helpers";

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
  /** The dev stack on a host without a geo-pair (polandcentral), object-replicated to germanywestcentral. */
  unpaired: { stack: "dev", config: unpairedHostConfig },
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
 * What a pass over a `stack` run with config `overrides` gets, as the plan gives it: the stack
 * config (for `ConfigureStack`) and the stack's pack config from its validated settings
 * (tools/gate/stackPackConfig.ts, the generated policy/config file when there are no overrides), with
 * `packConfig` merged over it.
 */
export function stackAnalyzeOptions(overrides: Record<string, unknown> = {}, stack = "dev", packConfig: PackConfigFile = {}): AnalyzeOptions {
  return { stackConfig: stackConfigOf(overrides, stack), packConfig: mergePackConfigs(packConfigFor(projectDir, stack, overrides).config, packConfig) };
}

/** One pass of the pack over `capture`, with the base's stack config and pack config (`packConfig` merged over it). */
export function analyze(runner: PolicyRunner, capture: Capture, base: BaseName = "dev", packConfig: PackConfigFile = {}): Promise<PolicyReport> {
  const { stack, config } = bases[base] as { stack: string; config?: Record<string, unknown> };
  return runner.analyze(capture, stackAnalyzeOptions(config, stack, packConfig));
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
