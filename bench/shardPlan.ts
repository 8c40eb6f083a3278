import * as fs from "fs";
import { runStack } from "../tools/engine/engine";
import { planCounts } from "../tools/reports/counts";

/**
 * The benchmark's shard-stack case (docs/scale.md): one embassy's registers split into a core stack
 * and register-shard stacks, each planned in a process of its own.
 *
 * - `shardPlan.ts core <count> <core.json>`: the dev stack as the core, with `reg-1` … `reg-<count>`;
 *   writes its capture (the shard stacks read its outputs).
 * - `shardPlan.ts shard <k> <from> <count> <core.json>`: register-shard stack `k` (firstShard `k`)
 *   with `reg-<from>` … `reg-<from+count-1>`, against the core's plan outputs.
 *
 * Each prints `{"resources": n, "registrations": m}` (tools/reports/counts.ts).
 */

/** The reference name the shard stacks give their core. */
export const benchCoreStack = "bench/data-embassy/dev";

function generated(from: number, count: number): { name: string; description: string }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `reg-${from + i}`, description: `generated register ${from + i}` }));
}

async function main(): Promise<void> {
  const [kind, ...rest] = process.argv.slice(2);
  const numbers = rest.slice(0, kind === "core" ? 1 : 3).map(Number);
  if ((kind !== "core" && kind !== "shard") || numbers.some((n) => !Number.isInteger(n) || n < 1) || rest.length !== numbers.length + 1) {
    throw new Error("usage: shardPlan.ts core <count> <core.json> | shardPlan.ts shard <k> <from> <count> <core.json>");
  }
  const file = rest[rest.length - 1];
  const capture =
    kind === "core"
      ? await runStack({ stack: "dev", config: { registers: generated(1, numbers[0]) } })
      : await runStack({
          stack: "dev",
          config: { coreStack: benchCoreStack, firstShard: numbers[0], registers: generated(numbers[1], numbers[2]) },
          stackReferences: { [benchCoreStack]: (JSON.parse(fs.readFileSync(file, "utf8")) as { outputs: Record<string, unknown> }).outputs },
        });
  if (capture.error !== undefined) throw new Error(`${kind} plan failed: ${capture.error.message}`);
  if (kind === "core") fs.writeFileSync(file, JSON.stringify({ outputs: capture.outputs }));
  const { resources, registrations } = planCounts(capture);
  process.stdout.write(`${JSON.stringify({ resources, registrations })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
