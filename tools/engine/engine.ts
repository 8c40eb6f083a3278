import * as fs from "fs";
import * as path from "path";
import type * as pulumiType from "@pulumi/pulumi";
import type * as componentsType from "../../components";
import { Capture, CapturedOptions, CapturedResource, Diagnostic, secretMarker } from "./capture";
import { EmbassyMocks, offlineSubscriptionId } from "./mocks";
import { ProjectLoader } from "./moduleLoader";
import { readStackConfig, StackFileError } from "./stackConfig";
import { withCheapStackTraces } from "./stackTraces";

/**
 * The offline engine: runs the real stack program exactly as `pulumi up` would start it — config
 * from Pulumi.yaml and Pulumi.<stack>.yaml, inside a root `pulumi:pulumi:Stack` — but against mocks
 * instead of Azure, and records every registration with its effective options.
 */

/** The component library, freshly loaded for a run (see {@link RunOptions.program}). */
export type Components = typeof componentsType;

/** What to run. */
export interface RunOptions {
  /** Project root (holds Pulumi.yaml). Default: this repository. */
  projectDir?: string;
  /** Stack name; its config is read from Pulumi.<stack>.yaml. Default `dev`. */
  stack?: string;
  /** Config overrides on top of the files (bare keys are in the project namespace). */
  config?: Record<string, unknown>;
  /**
   * Run this instead of the project's main program (for component tests). It receives the
   * component library loaded for this run; whatever it returns becomes the stack outputs.
   */
  program?: (components: Components) => unknown;
  /**
   * Run this instead, without loading the component library: a program that uses the SDK and the
   * provider packages only (the bench's replay of a capture, bench/replay.ts). It must load them
   * with the `require` it is given, the one the engine's SDK (and its mocks) came from.
   */
  bare?: (hostRequire: NodeRequire) => unknown;
  /**
   * Outputs of the stacks the program references with `pulumi.StackReference`, by the name it
   * passes (e.g. `acme/data-embassy/prod`): offline, a referenced stack is its plan's outputs
   * (plan it first; `npm run plan -- --stack-reference <name>=<plan.json>`). A reference to a
   * stack not given is a program error naming it.
   */
  stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const defaultProjectDir = path.resolve(__dirname, "..", "..");

// Pulumi's RPC signatures for special values (sdk/nodejs/runtime/rpc.ts).
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns a wire value into plain JSON: secrets masked, resource references as URNs. */
function plain(value: unknown): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    switch (record[sigKey]) {
      case secretSig:
        return secretMarker;
      case resourceSig:
        return record.urn;
      case undefined:
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
      default:
        return "[asset]";
    }
  }
  return value;
}

interface RawRegistration {
  request: {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getDependenciesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    hasProtect(): boolean;
    getProtect(): boolean;
    hasRetainondelete(): boolean;
    getRetainondelete(): boolean;
    getDeletedwith(): string;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getProvider(): string;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getSourceposition(): { getUri(): string } | undefined;
  };
  urn?: string;
}

/**
 * Project-relative file that registered a resource (`../components/…` for a project in a
 * sub-folder that uses the package's components); undefined for registrations inside packages.
 */
function sourceOf(uri: string | undefined, projectDir: string, packageDir: string): string | undefined {
  if (!uri) return undefined;
  const file = uri.replace(/^file:\/\//, "");
  const inPackage = !path.relative(packageDir, file).startsWith("..");
  return inPackage && !file.split(path.sep).includes("node_modules") ? path.relative(projectDir, file) : undefined;
}

function toResources(raws: RawRegistration[], projectDir: string): CapturedResource[] {
  const packageDir = packageRoot(projectDir);
  const byUrn = new Map<string, CapturedResource>();
  const resources: CapturedResource[] = [];
  for (const { request: req, urn } of raws) {
    if (urn === undefined) continue; // the mock refused it; the error is reported separately
    const parentUrn = req.getParent() || undefined;
    const parent = parentUrn === undefined ? undefined : byUrn.get(parentUrn);
    const timeouts = req.getCustomtimeouts();
    const options: CapturedOptions = {
      // The SDK resolves protect from the parent; retainOnDelete and deletedWith are inherited by
      // the engine, which we stand in for here.
      protect: req.hasProtect() ? req.getProtect() : (parent?.options.protect ?? false),
      retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : (parent?.options.retainOnDelete ?? false),
      deletedWith: req.getDeletedwith() || parent?.options.deletedWith,
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
    };
    if (timeouts !== undefined && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())) {
      options.customTimeouts = {
        create: timeouts.getCreate() || undefined,
        update: timeouts.getUpdate() || undefined,
        delete: timeouts.getDelete() || undefined,
      };
    }
    if (req.getProvider()) options.provider = req.getProvider();
    const uri = req.getSourceposition()?.getUri();
    const resource: CapturedResource = {
      urn,
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: parentUrn,
      dependencies: [...new Set(req.getDependenciesList())],
      inputs: plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      options,
      source: sourceOf(uri, projectDir, packageDir),
    };
    byUrn.set(urn, resource);
    resources.push(resource);
  }
  return resources;
}

function errorOf(err: unknown): { name: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
}

type LogFunction = (message: string, resource?: { urn: { promise(): Promise<string> } }) => Promise<void>;

/**
 * Routes `pulumi.log.info/warn/error` into the capture's diagnostics, as the CLI shows them; under
 * mocks there is no engine to receive them. Returns a function that restores the logger once every
 * message's resource URN is known.
 */
function captureLogs(pulumi: typeof pulumiType, diagnostics: Diagnostic[]): () => Promise<void> {
  const log = pulumi.log as unknown as Record<"info" | "warn" | "error", LogFunction>;
  const originals = { info: log.info, warn: log.warn, error: log.error };
  const pending: Promise<void>[] = [];
  const severities = { info: "info", warn: "warning", error: "error" } as const;
  for (const level of ["info", "warn", "error"] as const) {
    log[level] = (message, resource) => {
      const entry = (urn?: string) => diagnostics.push({ severity: severities[level], message, ...(urn ? { urn } : {}) });
      const delivered = resource === undefined ? Promise.resolve(entry()) : resource.urn.promise().then(entry);
      pending.push(delivered.then(() => undefined));
      return delivered.then(() => undefined);
    };
  }
  return async () => {
    await Promise.allSettled(pending);
    Object.assign(log, originals);
  };
}

/**
 * The npm package a project belongs to: the nearest directory at or above it with a package.json.
 * A project in a sub-folder (bootstrap/) runs on that package's node_modules and may import its
 * sources, exactly as under the Pulumi CLI.
 */
function packageRoot(projectDir: string): string {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return projectDir;
  }
}

// Pulumi's runtime state (mocks, config, root stack) is process-global: runs take turns.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a stack offline and returns its capture. Never throws for a user mistake: a broken stack
 * file or an invalid configuration comes back as `capture.error` with what got registered.
 * Concurrent calls are run one after another.
 */
export function runStack(options: RunOptions = {}): Promise<Capture> {
  const run = queue.then(() => withCheapStackTraces(() => runStackNow(options)));
  queue = run.catch(() => undefined);
  return run;
}

async function runStackNow(options: RunOptions): Promise<Capture> {
  const projectDir = options.projectDir ?? defaultProjectDir;
  const stack = options.stack ?? "dev";
  const diagnostics: Diagnostic[] = [];
  let config;
  try {
    config = readStackConfig(projectDir, stack, options.config);
  } catch (err) {
    if (err instanceof StackFileError) {
      return { project: "data-embassy", stack, resources: [], outputs: {}, diagnostics, error: errorOf(err) };
    }
    throw err;
  }
  diagnostics.push(...config.diagnostics);
  const project = config.project.name;

  const loader = new ProjectLoader(projectDir, packageRoot(projectDir));
  const pulumi = loader.hostRequire("@pulumi/pulumi") as typeof pulumiType;
  const { runInPulumiStack } = loader.hostRequire("@pulumi/pulumi/runtime/stack") as {
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  };
  const subscriptionId = config.values["azure-native:subscriptionId"] ?? offlineSubscriptionId;
  await pulumi.runtime.setMocks(new EmbassyMocks(stack, subscriptionId, diagnostics, options.stackReferences), project, stack, false);
  pulumi.runtime.setAllConfig(config.values, config.secretKeys);

  const raws: RawRegistration[] = [];
  let stackOutputs: Record<string, unknown> = {};
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RawRegistration["request"], cb: (err: unknown, resp?: { getUrn(): string }) => void): void;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } }, cb: unknown): void;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const raw: RawRegistration = { request: req };
    raws.push(raw);
    registerResource(req, (err, resp) => {
      raw.urn = resp?.getUrn();
      cb(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, cb) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      stackOutputs = plain(req.getOutputs().toJavaScript()) as Record<string, unknown>;
    }
    registerOutputs(req, cb);
  };

  const restoreLog = captureLogs(pulumi, diagnostics);
  let error: Capture["error"];
  // Like Pulumi's language host, treat a rejection nobody awaited (a failed component's internal
  // promises) as a program error instead of letting it crash the process.
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => stray.push(reason);
  process.on("unhandledRejection", onStray);
  const main = config.project.main ?? "index.ts";
  try {
    await runInPulumiStack(async () => {
      // The language host reports a failing program as an error; catching it here (instead of
      // letting it reject the root Stack) keeps the Stack's derived promises from rejecting unhandled.
      try {
        if (options.bare !== undefined) {
          return await options.bare(loader.hostRequire);
        }
        if (options.program === undefined) {
          return loader.load(main)[0];
        }
        const [components] = loader.load("components/index.ts") as [Components];
        return await options.program(components);
      } catch (err) {
        error = errorOf(err);
        return {};
      }
    });
  } catch (err) {
    error = errorOf(err);
  }
  try {
    await pulumi.runtime.disconnect();
  } catch (err) {
    error ??= errorOf(err);
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onStray);
    await restoreLog();
  }
  if (error === undefined && stray.length > 0) {
    error = errorOf(stray[0]);
  }
  return { project, stack, resources: toResources(raws, projectDir), outputs: stackOutputs, diagnostics, ...(error ? { error } : {}) };
}
