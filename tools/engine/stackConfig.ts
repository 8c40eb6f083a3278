import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { Diagnostic } from "./capture";

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml and produces the config map the Pulumi CLI would hand
 * to the program: project defaults first, stack values over them, every key namespaced, every
 * value a string (JSON for lists, maps, numbers and booleans), `secure:` values as secrets.
 * Declared types are checked by the CLI's rules (quoted "14" is an integer, "false" a boolean);
 * every problem is reported in one error, and a key under a namespace nothing reads is warned about.
 */

/** A key declared in Pulumi.yaml's `config:` block. */
export interface ConfigDeclaration {
  type?: "string" | "integer" | "boolean" | "array" | "object";
  items?: ConfigItems;
  description?: string;
  default?: unknown;
  secret?: boolean;
}

/** The `items` of an array-typed key (nested for arrays of arrays). */
export interface ConfigItems {
  type: string;
  items?: ConfigItems;
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

/**
 * Keys whose values are not of their declared type, with the config of every other key: enough
 * for a caller to validate the rest and report every problem of the stack in one run.
 */
export interface MistypedConfig {
  /** The problems, one line each, as the CLI words them. */
  readonly problems: readonly string[];
  /** The namespaced keys whose value has the wrong type. */
  readonly keys: readonly string[];
  /** The config of the well-typed keys, as {@link readStackConfig} would have returned it. */
  readonly values: Readonly<Record<string, string>>;
}

/** A problem in Pulumi.yaml or a stack file, reported the way the CLI would. */
export class StackFileError extends Error {
  constructor(
    message: string,
    /** Set when the only problems are wrongly typed values. */
    readonly mistyped?: MistypedConfig,
  ) {
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
    config[namespaced(doc.name, key)] = value !== null && typeof value === "object" ? (value as ConfigDeclaration) : { default: value };
  }
  return { name: doc.name, runtime: doc.runtime, main: typeof doc.main === "string" ? doc.main : undefined, config };
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

const int64Min = BigInt("-9223372036854775808");
const int64Max = BigInt("9223372036854775807");

/** Go's `strconv.Atoi` on a 64-bit platform: an optional sign, decimal digits, in int64 range. */
function parsesAsGoInt(text: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= int64Min && n <= int64Max;
}

/** The CLI's `workspace.InferFullTypeName`: `integer`, `array<string>`, `array<array<integer>>`. */
function fullTypeName(type: string, items: ConfigItems | undefined): string {
  return items === undefined ? type : `array<${fullTypeName(items.type, items.items)}>`;
}

/**
 * The CLI's `workspace.ValidateConfigValue` (sdk/go/common/workspace/project.go). `value` is what
 * the CLI checks: a top-level scalar as its string form (see {@link cliForm}), a list or map as
 * decoded JSON, whose items keep their JSON types.
 */
function validConfigValue(type: string, items: ConfigItems | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      // A whole number, or a string strconv.Atoi accepts ("14", "-3", "+7", "007"; not "1e3", " 14", "14.0").
      return Number.isInteger(value) || (typeof value === "string" && parsesAsGoInt(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return Array.isArray(value) && items !== undefined && value.every((item) => validConfigValue(items.type, items.items, item));
  }
}

/**
 * A stack file value as the CLI stores and checks it (config.Value): a top-level boolean or number
 * becomes its JSON text, so `false` and `"false"`, `14` and `"14"` are the same value; a list or a
 * map stays structured.
 */
function cliForm(value: unknown): unknown {
  return typeof value === "boolean" || typeof value === "number" ? JSON.stringify(value) : value;
}

/** The expected type when `value` does not pass the CLI's check of the declared type. */
function typeMismatch(decl: ConfigDeclaration, value: unknown): string | undefined {
  if (decl.type === undefined) return undefined;
  return validConfigValue(decl.type, decl.items, cliForm(value)) ? undefined : fullTypeName(decl.type, decl.items);
}

/** The namespaces a key may live in: the project's, `pulumi`'s, and those of the providers the package depends on. */
function knownNamespaces(projectDir: string, project: string): string[] {
  const namespaces = new Set([project, "pulumi"]);
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
        for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
          const provider = /^@pulumi\/(.+)$/.exec(name)?.[1];
          if (provider !== undefined && provider !== "pulumi" && provider !== "policy") namespaces.add(provider);
        }
      } catch {
        // an unreadable package.json names no providers
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return [...namespaces];
}

/** Levenshtein distance, for "did you mean" on a misspelt namespace. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** A warning for a key no project or provider reads (a misspelt namespace is otherwise silently ignored). */
function unknownNamespace(key: string, known: readonly string[]): Diagnostic | undefined {
  const namespace = key.slice(0, key.indexOf(":"));
  if (known.includes(namespace)) return undefined;
  const near = known.find((k) => distance(k, namespace) <= 2);
  return {
    severity: "warning",
    message:
      `${key} is ignored: no part of this project reads the "${namespace}" namespace (known: ${known.join(", ")})` +
      (near === undefined ? "" : `; did you mean ${near}:${key.slice(namespace.length + 1)}?`),
  };
}

/** Several problems in one message, or the CLI's own message when there is one. */
export function configProblemsMessage(stack: string, problems: readonly string[]): string {
  if (problems.length === 1) return problems[0];
  return [`Stack '${stack}' has ${problems.length} configuration problems:`, ...problems.map((p) => `  - ${p}`)].join("\n");
}

/**
 * Builds the stack's config: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then `overrides`
 * (namespaced or bare keys with plain values, for tests and generated configs).
 */
export function readStackConfig(projectDir: string, stack: string, overrides: Record<string, unknown> = {}): StackConfig & { project: ProjectFile } {
  const project = readProjectFile(projectDir);
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  const doc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
  const raw: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(project.config)) {
    if (decl.default !== undefined) raw[key] = decl.default;
  }
  const problems: string[] = [];
  const mistypedKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (!key.includes(":")) {
      problems.push(`Pulumi.${stack}.yaml: config key "${key}" needs a namespace, e.g. "${project.name}:${key}"`);
      continue;
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
  const namespaces = knownNamespaces(projectDir, project.name);
  for (const [key, value] of Object.entries(raw)) {
    const unread = unknownNamespace(key, namespaces);
    if (unread !== undefined) diagnostics.push(unread);
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
      // The CLI stops at the first; every one is reported here, so one run shows them all.
      problems.push(`Stack '${stack}' with configuration key '${key}' must be of type '${expected}'`);
      mistypedKeys.push(key);
      continue;
    }
    values[key] = toConfigString(value);
    if (decl?.secret === true) secretKeys.push(key);
  }
  if (problems.length > 0) {
    const onlyTypes = problems.length === mistypedKeys.length;
    throw new StackFileError(configProblemsMessage(stack, problems), onlyTypes ? { problems, keys: mistypedKeys, values } : undefined);
  }
  return { project, values, secretKeys, diagnostics };
}
