import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { Diagnostic } from "./capture";

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml and produces the config map the Pulumi CLI would hand
 * to the program: project defaults first, stack values over them, every key namespaced, every
 * value a string (JSON for lists, maps, numbers and booleans), `secure:` values as secrets.
 */

/** A key declared in Pulumi.yaml's `config:` block. */
export interface ConfigDeclaration {
  type?: "string" | "integer" | "boolean" | "array";
  items?: { type: string };
  description?: string;
  default?: unknown;
  secret?: boolean;
}

/** The parts of Pulumi.yaml the engine needs. */
export interface ProjectFile {
  name: string;
  runtime: unknown;
  main?: string;
  /** Declared keys, namespaced (`data-embassy:hostRegion`, `azure-native:location`). */
  config: Record<string, ConfigDeclaration>;
}

/** Config as the CLI passes it to a program. */
export interface StackConfig {
  values: Record<string, string>;
  secretKeys: string[];
  diagnostics: Diagnostic[];
}

/** Placeholder the offline engine uses for a `secure:` value it cannot decrypt. */
export const offlineSecretPlaceholder = "offline-placeholder-secret";

/** A problem in Pulumi.yaml or a stack file, reported the way the CLI would. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

function readYaml(file: string): unknown {
  if (!fs.existsSync(file)) {
    throw new StackFileError(`${path.basename(file)} not found in ${path.dirname(file)}`);
  }
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new StackFileError(`${path.basename(file)} is not valid YAML: ${(err as Error).message}`);
  }
}

function namespaced(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Reads and checks Pulumi.yaml. */
export function readProjectFile(projectDir: string): ProjectFile {
  const doc = readYaml(path.join(projectDir, "Pulumi.yaml")) as Record<string, unknown> | null;
  if (doc === null || typeof doc.name !== "string" || doc.runtime === undefined) {
    throw new StackFileError("Pulumi.yaml must declare `name` and `runtime`");
  }
  const config: Record<string, ConfigDeclaration> = {};
  for (const [key, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
    // A bare scalar is shorthand for a default value.
    config[namespaced(doc.name, key)] =
      value !== null && typeof value === "object" ? (value as ConfigDeclaration) : { default: value };
  }
  return { name: doc.name, runtime: doc.runtime, main: typeof doc.main === "string" ? doc.main : undefined, config };
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function typeMismatch(decl: ConfigDeclaration, value: unknown): string | undefined {
  switch (decl.type) {
    case "string":
      return typeof value === "string" ? undefined : "string";
    case "integer":
      return Number.isInteger(value) ? undefined : "integer";
    case "boolean":
      return typeof value === "boolean" ? undefined : "boolean";
    case "array":
      return Array.isArray(value) && value.every((v) => decl.items?.type !== "string" || typeof v === "string")
        ? undefined
        : `array<${decl.items?.type ?? "any"}>`;
    default:
      return undefined;
  }
}

/**
 * Builds the stack's config: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then `overrides`
 * (namespaced or bare keys with plain values, for tests and generated configs).
 */
export function readStackConfig(
  projectDir: string,
  stack: string,
  overrides: Record<string, unknown> = {},
): StackConfig & { project: ProjectFile } {
  const project = readProjectFile(projectDir);
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  const doc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
  const raw: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(project.config)) {
    if (decl.default !== undefined) raw[key] = decl.default;
  }
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (!key.includes(":")) {
      throw new StackFileError(`Pulumi.${stack}.yaml: config key "${key}" needs a namespace, e.g. "${project.name}:${key}"`);
    }
    raw[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete raw[namespaced(project.name, key)]; // an override can also remove a key
    } else {
      raw[namespaced(project.name, key)] = value;
    }
  }

  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      values[key] = offlineSecretPlaceholder;
      secretKeys.push(key);
      diagnostics.push({
        severity: "warning",
        message: `${key} is an encrypted (secure:) value; the offline plan uses a placeholder secret instead`,
      });
      continue;
    }
    const decl = project.config[key];
    const expected = decl === undefined ? undefined : typeMismatch(decl, value);
    if (expected !== undefined) {
      throw new StackFileError(`Stack '${stack}' with configuration key '${key}' must be of type '${expected}'`);
    }
    values[key] = toConfigString(value);
    if (decl?.secret === true) secretKeys.push(key);
  }
  return { project, values, secretKeys, diagnostics };
}
