/**
 * The capture: what the offline engine records of one run of the stack program. It is the JSON
 * contract behind `plan --json`, the policy runner, the PR report and the benchmarks — extend it,
 * never break it.
 */

/** Marker that replaces a secret value wherever it appears in inputs or outputs. */
export const secretMarker = "[secret]";

/** Options as the engine would apply them, with inheritance from parents resolved. */
export interface CapturedOptions {
  protect: boolean;
  retainOnDelete: boolean;
  /** URN of the resource whose deletion deletes this one, if any. */
  deletedWith?: string;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
  /** Explicit provider reference, if the resource was given one. */
  provider?: string;
}

/** One registered resource. */
export interface CapturedResource {
  urn: string;
  /** Type token, e.g. `azure-native:storage:StorageAccount`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  /** True for provider-backed resources, false for components. */
  custom: boolean;
  /** Parent URN (undefined only for the root stack). */
  parent?: string;
  /** URNs this resource explicitly or implicitly depends on. */
  dependencies: string[];
  /** Inputs as sent to the provider; secret values replaced by {@link secretMarker}. */
  inputs: Record<string, unknown>;
  options: CapturedOptions;
  /** Program source that registered it (`file:line`, relative to the project), when known. */
  source?: string;
}

/** A message from the run (config warnings, engine notes). */
export interface Diagnostic {
  severity: "info" | "warning" | "error";
  message: string;
  urn?: string;
}

/** The whole capture of one stack run. */
export interface Capture {
  project: string;
  stack: string;
  resources: CapturedResource[];
  /** Stack outputs; secrets replaced by {@link secretMarker}. */
  outputs: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Set when the program failed (e.g. invalid configuration); resources then holds only what got registered. */
  error?: { name: string; message: string };
}
