import * as fs from "fs";
import type * as pulumi from "@pulumi/pulumi";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { runStack } from "../tools/engine/engine";
import { planCounts } from "../tools/reports/counts";

/**
 * The floor a plan is measured against: the SDK registering exactly the resources of a plan's
 * capture — the same classes (azure-native, random and time resources by their type token,
 * components as plain ComponentResources), names, inputs, parents, dependencies and options — under
 * the same engine and mocks, with no program logic: no settings, no component code, no invokes.
 * What a plan costs beyond its replay is what the program and the plan CLI add.
 *
 * `replay.ts <capture.json>` replays a capture written by `npm run plan -- --json <file>` (or
 * bench/scalePlan.ts) and prints `{"resources": n, "registrations": m}` (tools/reports/counts.ts).
 */

/** The package that defines a type token's resources. */
const packages: Readonly<Record<string, string>> = { "azure-native": "@pulumi/azure-native", random: "@pulumi/random", time: "@pulumiverse/time" };

type ResourceClass = new (name: string, args: unknown, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The class a type token names: `azure-native:storage:StorageAccount` is `@pulumi/azure-native/storage`'s
 * `StorageAccount`, loaded with `load` (the engine's require).
 */
export function resourceClass(type: string, load: NodeRequire): ResourceClass {
  const [pkg, module, name] = type.split(":");
  const packageName = packages[pkg];
  if (packageName === undefined || name === undefined) throw new Error(`replay: no package for ${type}`);
  // azure-native is loaded by sub-module, as the program loads it; the others export every class at the top.
  const exports = (pkg === "azure-native" ? load(`${packageName}/${module}`) : load(packageName)) as Record<string, unknown>;
  const found = exports[name];
  if (typeof found !== "function") throw new Error(`replay: ${packageName} has no class ${name} (${type})`);
  return found as ResourceClass;
}

/** Registers every resource of `capture` (but the root stack, which the engine creates) in capture order, with the SDK `load` gives. */
export function replay(capture: Capture, load: NodeRequire): number {
  const sdk = load("@pulumi/pulumi") as typeof pulumi;
  // A component of the plan, with none of its logic: registered, and its (empty) outputs with it.
  class ReplayedComponent extends sdk.ComponentResource {
    constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
      super(type, name, {}, opts);
      this.registerOutputs({});
    }
  }
  const created = new Map<string, pulumi.Resource>();
  const resource = (urn: string | undefined) => (urn === undefined ? undefined : created.get(urn));
  let count = 0;
  for (const r of capture.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const opts = options(r, resource);
    if (r.custom) {
      const Class = resourceClass(r.type, load);
      created.set(r.urn, new Class(r.name, r.inputs, opts));
    } else {
      created.set(r.urn, new ReplayedComponent(r.type, r.name, opts));
    }
    count++;
  }
  return count;
}

/** The options a captured resource was registered with, its parent and dependencies as the replayed resources. */
function options(r: CapturedResource, resource: (urn: string | undefined) => pulumi.Resource | undefined): pulumi.CustomResourceOptions {
  const dependsOn = r.dependencies.map(resource).filter((d): d is pulumi.Resource => d !== undefined);
  const o = r.options;
  return {
    parent: resource(r.parent),
    dependsOn,
    protect: o.protect,
    retainOnDelete: o.retainOnDelete,
    ...(o.deletedWith === undefined ? {} : { deletedWith: resource(o.deletedWith) }),
    ...(o.ignoreChanges.length > 0 ? { ignoreChanges: o.ignoreChanges } : {}),
    ...(o.replaceOnChanges.length > 0 ? { replaceOnChanges: o.replaceOnChanges } : {}),
    ...(o.customTimeouts === undefined ? {} : { customTimeouts: o.customTimeouts }),
  };
}

/** Runs the replay of `capture` through the offline engine, on the capture's stack. */
export function runReplay(capture: Capture): Promise<Capture> {
  return runStack({ stack: capture.stack, bare: (load) => ({ replayed: replay(capture, load) }) });
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error("usage: replay.ts <capture.json>");
  const capture = JSON.parse(fs.readFileSync(file, "utf8")) as Capture;
  const result = await runReplay(capture);
  if (result.error !== undefined) throw new Error(`replay of ${file} failed: ${result.error.message}`);
  const { resources, registrations } = planCounts(result);
  process.stdout.write(`${JSON.stringify({ resources, registrations })}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
