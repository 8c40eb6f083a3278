import { configNamespace, rawSettings, Settings, validateSettings } from "../../settings";
import { readStackConfig, StackFileError } from "../engine/stackConfig";
import { SealError } from "./errors";

/**
 * The stack's validated settings, read the way `loadSettings` reads them inside a Pulumi run —
 * Pulumi.yaml defaults, then Pulumi.<stack>.yaml, through the same schema and cross-key rules —
 * but without a Pulumi runtime, so the seal can run from a shell.
 */

/** What the seal needs from the settings. */
export interface SealSettings {
  /** The settings, validated with the lock acknowledged (so the intent can be read; see {@link acknowledged}). */
  readonly settings: Settings;
  /** The stack's own `acknowledgeIrreversibleLock`. */
  readonly acknowledged: boolean;
}

/**
 * Reads and validates the settings of `stack`. The acknowledgement is taken out of validation and
 * returned on its own: the settings rules refuse a `Locked` state without it, and the seal must
 * still read that intent to refuse with one line naming the key. Every other problem is reported.
 *
 * @param projectDir - the Pulumi project (holds Pulumi.yaml)
 * @param overrides - config values over the stack file's (bare keys are in the project namespace)
 * @throws SealError - the stack file is missing or invalid, or the settings break a rule
 */
export function loadSealSettings(projectDir: string, stack: string, overrides: Record<string, unknown> = {}): SealSettings {
  let values: Record<string, string>;
  try {
    values = readStackConfig(projectDir, stack, overrides).values;
  } catch (err) {
    if (err instanceof StackFileError) throw new SealError(err.message);
    throw err;
  }
  const raw = rawSettings(values);
  const acknowledged = raw.acknowledgeIrreversibleLock === true;
  const { settings, problems } = validateSettings({ ...raw, acknowledgeIrreversibleLock: true });
  if (settings === undefined) {
    throw new SealError(
      [
        `Invalid configuration for stack "${stack}": ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
        ...problems.map((p) => `  - ${p.key.includes(":") ? p.key : `${configNamespace}:${p.key}`}: ${p.message}`),
        `Fix these keys in Pulumi.${stack}.yaml; see docs/config.md for every key.`,
      ].join("\n"),
    );
  }
  return { settings, acknowledged };
}
