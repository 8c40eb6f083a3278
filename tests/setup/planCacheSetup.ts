import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * One `npm test` run plans the same stack with the same config in many test files. The offline
 * engine is deterministic, so tests/helpers.ts keeps each distinct plan for the rest of the run in
 * this directory (shared by the jest workers) and the teardown deletes it: nothing outlives the run.
 */
export default function setup(): void {
  process.env.DATA_EMBASSY_PLAN_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "data-embassy-plans-"));
}
