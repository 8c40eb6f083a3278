import type { ChildProcess } from "child_process";
import * as fs from "fs";

/** Stops the plan servers and deletes the run's plan cache (see planCacheSetup.ts). */
export default function teardown(): void {
  for (const server of (globalThis as { planServers?: ChildProcess[] }).planServers ?? []) server.kill();
  const dir = process.env.DATA_EMBASSY_PLAN_CACHE;
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}
