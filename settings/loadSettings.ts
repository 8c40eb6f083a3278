import * as pulumi from "@pulumi/pulumi";
import { checkKeys, rawConfigValues, stringKeysOf } from "./configKeys";
import { crossKeyRules, SettingsProblem } from "./crossKeyRules";
import { Settings, settingsSchema } from "./schema";

export type { Settings } from "./schema";
export type { SettingsProblem } from "./crossKeyRules";

/** Config namespace of the embassy's keys (the Pulumi project name). */
export const configNamespace = "data-embassy";

/**
 * A stack configuration that cannot build an embassy. Extends `RunError` so the Pulumi CLI prints
 * the message alone, without a stack trace.
 */
export class SettingsError extends pulumi.RunError {
  constructor(
    readonly problems: readonly SettingsProblem[],
    stack: string,
  ) {
    super(
      [
        `Invalid configuration for stack "${stack}": ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
        ...problems.map((p) => `  - ${qualify(p.key)}: ${p.message}`),
        `Fix these keys in Pulumi.${stack}.yaml (or with \`pulumi config set\`); see docs/config.md for every key.`,
      ].join("\n"),
    );
    this.name = "SettingsError";
  }
}

function qualify(key: string): string {
  return key.includes(":") ? key : `${configNamespace}:${key}`;
}

/**
 * Validates raw config values (already parsed from YAML/JSON) into settings.
 * Every key is checked on its own first, then the cross-key rules run on the keys that passed,
 * so one call reports every problem.
 */
export function validateSettings(raw: Readonly<Record<string, unknown>>): { settings?: Settings; problems: SettingsProblem[] } {
  const { values, problems } = checkKeys(
    settingsSchema.shape,
    raw,
    (hint) => `is not a data-embassy setting${hint ? `; did you mean ${hint}?` : " (see docs/config.md)"}`,
  );
  for (const rule of crossKeyRules) {
    problems.push(...rule(values as Partial<Settings>));
  }
  if (problems.length > 0) {
    return { problems };
  }
  return { settings: deepFreeze(values as Settings), problems };
}

const stringKeys = stringKeysOf(settingsSchema);

/**
 * The `data-embassy:*` keys of a stack's config (namespaced keys, values as the CLI passes them:
 * strings, or JSON text for the rest) as raw values for {@link validateSettings}. Used inside a
 * Pulumi run by {@link loadSettings} and outside one by the tools (seal, pack config, reports).
 */
export function rawSettings(config: Readonly<Record<string, string>>): Record<string, unknown> {
  return rawConfigValues(config, configNamespace, stringKeys);
}

/**
 * Reads the stack's `data-embassy:*` config into validated, immutable settings — the only place
 * in the project that reads configuration. Throws {@link SettingsError} listing every problem
 * before any resource is registered.
 */
export function loadSettings(): Settings {
  const { settings, problems } = validateSettings(rawSettings(pulumi.runtime.allConfig()));
  const location = new pulumi.Config("azure-native").get("location");
  if (location !== undefined && settings !== undefined && location.toLowerCase() !== settings.hostRegion) {
    problems.push({ key: "azure-native:location", message: `is "${location}" but hostRegion is "${settings.hostRegion}"; set both to the host region` });
  }
  if (settings === undefined || problems.length > 0) {
    throw new SettingsError(problems, pulumi.getStack());
  }
  return settings;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
