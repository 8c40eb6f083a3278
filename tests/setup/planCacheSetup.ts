import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensurePackBuilt } from "../../tools/gate/policyPack";
import { startPlanServers } from "./planServers";

/**
 * One `npm test` run plans the same stack with the same config in many test files. The offline
 * engine is deterministic, so tests/helpers.ts keeps each distinct plan for the rest of the run in
 * this directory (shared by the jest workers) and the teardown deletes it: nothing outlives the run.
 * Stack plans run in plan servers, one per jest worker (tests/setup/planServer.ts says why).
 */
export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  // Once, before the workers start packs: none of them then finds the pack out of date.
  ensurePackBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-embassy-plans-"));
  process.env.DATA_EMBASSY_PLAN_CACHE = dir;
  (globalThis as { planServers?: unknown }).planServers = await startPlanServers(dir, Math.max(1, globalConfig.maxWorkers));
}
