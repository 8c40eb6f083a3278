import * as fs from "fs";

/** Deletes the run's plan cache (see planCacheSetup.ts). */
export default function teardown(): void {
  const dir = process.env.DATA_EMBASSY_PLAN_CACHE;
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}
