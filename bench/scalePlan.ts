import * as fs from "fs";
import { runStack } from "../tools/engine/engine";
import { planCounts } from "../tools/reports/counts";

/**
 * `scalePlan.ts <count> [--json <file>]`: the offline plan of the dev stack with `count` generated
 * registers in place of the configured ones: the benchmark's scaling case. Prints
 * `{"resources": n, "registrations": m}` (tools/reports/counts.ts) so the benchmark can show the size
 * of the run; `--json` also writes the capture
 * (for bench/replay.ts; the bench writes it in an untimed run).
 */

/**
 * `reg-1` … `reg-<count>`, alike so that the cases differ in size only. Every one is backed up:
 * past `registersPerShard` (100) they fill further storage-account shards, each with its own backup
 * instance (docs/scale.md), so 1000 registers are ten accounts.
 */
function generatedRegisters(count: number): { name: string; description: string }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `reg-${i + 1}`, description: `generated register ${i + 1}` }));
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  const jsonAt = process.argv.indexOf("--json");
  if (!Number.isInteger(count) || count < 1 || (jsonAt > 0 && process.argv[jsonAt + 1] === undefined)) {
    throw new Error("usage: scalePlan.ts <register count ≥ 1> [--json <file>]");
  }
  const capture = await runStack({ stack: "dev", config: { registers: generatedRegisters(count) } });
  if (capture.error !== undefined) {
    throw new Error(`plan with ${count} registers failed: ${capture.error.message}`);
  }
  if (jsonAt > 0) fs.writeFileSync(process.argv[jsonAt + 1], JSON.stringify(capture));
  const { resources, registrations } = planCounts(capture);
  process.stdout.write(`${JSON.stringify({ resources, registrations })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
