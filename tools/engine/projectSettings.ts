import { rawStateConfig, StateConfigError, stateNamespace, StateSettings, validateStateSettings } from "../../bootstrap/settings";
import { configNamespace, rawSettings, Settings, SettingsError, validateSettings } from "../../settings";
import { MistypedConfig, readStackConfig } from "./stackConfig";

/**
 * A stack's validated settings as its program gets them — Pulumi.yaml defaults, Pulumi.<stack>.yaml,
 * overrides, then the project's own schema and rules, defaults applied — read without a Pulumi
 * runtime, for the tools that derive something from them (the per-stack policy pack config, the PR
 * report's security-relevant settings). The embassy (`data-embassy`) and the state backend
 * (`data-embassy-state`, bootstrap/) are known; another project has no settings the tools read.
 */

/** The validated settings of one stack, by project. */
export type ProjectSettings =
  | { readonly kind: "embassy"; readonly project: string; readonly stack: string; readonly settings: Settings }
  | { readonly kind: "state"; readonly project: string; readonly stack: string; readonly settings: StateSettings }
  | { readonly kind: "other"; readonly project: string; readonly stack: string };

/** The stack's settings are invalid: the message lists every problem, as the program would. */
export class ProjectSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectSettingsError";
  }
}

/**
 * Reads and validates the settings of `stack` in `projectDir`.
 *
 * @param overrides - config values over the stack file's (bare keys are in the project namespace; `undefined` removes a key)
 * @throws StackFileError - Pulumi.yaml or the stack file cannot be read
 * @throws ProjectSettingsError - the settings are invalid
 */
export function readProjectSettings(projectDir: string, stack: string, overrides: Record<string, unknown> = {}): ProjectSettings {
  const { project, values } = readStackConfig(projectDir, stack, overrides);
  if (project.name === configNamespace) {
    const { settings, problems } = validateSettings(rawSettings(values));
    if (settings === undefined) throw new ProjectSettingsError(new SettingsError(problems, stack).message);
    return { kind: "embassy", project: project.name, stack, settings };
  }
  if (project.name === stateNamespace) {
    const { settings, problems } = validateStateSettings(rawStateConfig(values), values["azure-native:location"]);
    if (settings === undefined) throw new ProjectSettingsError(new StateConfigError(problems).message);
    return { kind: "state", project: project.name, stack, settings };
  }
  return { kind: "other", project: project.name, stack };
}

/**
 * The settings problems of every key but the wrongly typed ones, one line each
 * (`data-embassy:hostRegion: unknown Azure region …`): with the type problems, every problem of a
 * stack in one run. A wrongly typed key is left out of the validation, so its absence is no problem.
 */
export function problemsBesideTypes(projectName: string, mistyped: MistypedConfig): string[] {
  const { values } = mistyped;
  const found =
    projectName === configNamespace
      ? validateSettings(rawSettings(values)).problems
      : projectName === stateNamespace
        ? validateStateSettings(rawStateConfig(values), values["azure-native:location"]).problems
        : [];
  const qualify = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);
  // `registers[1].name` belongs to `data-embassy:registers`.
  const mistypedKey = (key: string) => mistyped.keys.includes(qualify(key.split(/[.[]/)[0]));
  return found.filter((p) => !mistypedKey(p.key)).map((p) => `${qualify(p.key)}: ${p.message}`);
}
