import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { runStack, RunOptions } from "../tools/engine/engine";
import { planInServer, planServerSocket } from "./setup/planServers";

const repoRoot = path.resolve(__dirname, "..");

/** How long a worker waits for a plan another worker is computing before computing it itself. */
const waitForPeerMs = 120000;

/**
 * Runs a stack, reusing the capture of an identical earlier run in this `npm test` run (see
 * tests/setup/planCacheSetup.ts). When another jest worker is already running the same plan, waits
 * for its capture instead of running it twice. Stack plans run in this worker's plan server;
 * programs passed as functions cannot leave the test's process and always run here.
 */
async function runCached(options: RunOptions): Promise<Capture> {
  const dir = process.env.DATA_EMBASSY_PLAN_CACHE;
  if (dir === undefined || options.program !== undefined) {
    return runStack(options);
  }
  // The same plan however it is asked for; key expiry dates derive from the day, so the day counts.
  const identity = {
    projectDir: path.resolve(options.projectDir ?? repoRoot),
    stack: options.stack ?? "dev",
    config: options.config ?? {},
    unset: unsetKeys(options),
    day: new Date().toISOString().slice(0, 10),
    // A shard stack's plan depends on the core outputs it is given too.
    ...(options.stackReferences === undefined ? {} : { stackReferences: options.stackReferences }),
  };
  const file = path.join(dir, `${createHash("sha256").update(JSON.stringify(identity)).digest("hex")}.json`);
  const read = () => JSON.parse(fs.readFileSync(file, "utf8")) as Capture;
  if (fs.existsSync(file)) return read();
  if (!claim(`${file}.lock`)) {
    for (const deadline = Date.now() + waitForPeerMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      if (fs.existsSync(file)) return read();
    }
  }
  const capture = await planInServer(planServerSocket(dir, process.env.JEST_WORKER_ID ?? "1"), { options, unset: identity.unset });
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(capture));
  fs.renameSync(partial, file); // atomic: a waiting worker never reads half a file
  return capture;
}

/** Config keys a test removes from the stack file by overriding them with `undefined` (JSON drops them). */
function unsetKeys(options: RunOptions): string[] {
  return Object.entries(options.config ?? {})
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);
}

/** Creates `lock` unless it exists: true for the one worker that gets to compute the plan. */
function claim(lock: string): boolean {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/** Runs a stack offline (default: dev) and fails the test if the program errored. */
export async function plan(options: RunOptions = {}): Promise<Capture> {
  const capture = await runCached(options);
  if (capture.error !== undefined) {
    throw new Error(`plan failed: ${capture.error.message}`);
  }
  return capture;
}

/** Runs a stack offline that is expected to fail; returns the error message and the capture. */
export async function failedPlan(options: RunOptions = {}): Promise<{ message: string; capture: Capture }> {
  const capture = await runCached(options);
  if (capture.error === undefined) {
    throw new Error("expected the plan to fail, but it succeeded");
  }
  return { message: capture.error.message, capture };
}

// Config overrides shared by every test that needs the scenario, so that one `npm test` run plans
// each scenario once (tests/setup/planCacheSetup.ts).

/** Keys in a Managed HSM with a three-administrator security-domain quorum, protected as in production. */
export const managedHsmConfig = {
  keyManagement: "managedHsm",
  managedHsmAdmins: ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e", "2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f"],
  protectResources: true,
};

/** Portugal's embassy in Poland Central, a region without a geo-pair: registers object-replicated to Germany West Central. */
export const unpairedHostConfig = {
  homeCountry: "PT",
  hostRegion: "polandcentral",
  "azure-native:location": "polandcentral",
  approvedRegions: ["polandcentral", "germanywestcentral", "germanynorth"],
  objectReplicationRegion: "germanywestcentral",
};

/**
 * The plan without the VNet flow log's own resources (`<governance>-flow-<target>-…`: its account,
 * writer identity and grant, components/embassyGovernance/flowLogs.ts), for tests about the registers' account and the
 * key custody identity, which the flow log's would otherwise duplicate by type.
 */
export function exceptFlowLogs(capture: Capture): Capture {
  const ofFlowLog = (r: CapturedResource) => String(r.parent).includes("EmbassyGovernance") && r.name.includes("-flow-");
  return { ...capture, resources: capture.resources.filter((r) => !ofFlowLog(r)) };
}

/** Resources of one type token. */
export function ofType(capture: Capture, type: string): CapturedResource[] {
  return capture.resources.filter((r) => r.type === type);
}

/** The only resource of a type (fails if there is not exactly one). */
export function single(capture: Capture, type: string): CapturedResource {
  const found = ofType(capture, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}`);
  }
  return found[0];
}

/** Resources other than the root stack that the CLI always registers. */
export function registered(capture: Capture): CapturedResource[] {
  return capture.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** A register entry for tests. */
export function register(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, description: `${name} register`, ...extra };
}

/** A minimal valid embassy configuration for settings tests (everything else defaulted). */
export const minimalSettings = {
  environment: "dev",
  homeCountry: "EE",
  namePrefix: "ee",
  hostRegion: "westeurope",
  keyCustodians: ["3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24"],
  registers: [register("population")],
};

/** `count` generated registers (`reg-1` …). */
export function registers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => register(`reg-${i + 1}`));
}
