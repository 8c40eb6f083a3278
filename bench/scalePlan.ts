import { runStack } from "../tools/engine";

/**
 * `scalePlan.ts <count>`: the offline plan of the dev stack with `count` generated registers in
 * place of the configured ones: the benchmark's scaling case. Prints `{"resources": n}` so the
 * benchmark can show how many registrations the run made.
 */

/**
 * `reg-1` … `reg-<count>`, alike so that the cases differ in size only. All but the first are on
 * legal hold, which keeps them out of the vaulted blob backup: Azure's backup protects at most 100
 * containers per storage account (the settings reject more backed-up registers) and at least one,
 * so this is the shape a stack of 1000 registers can have.
 */
function generatedRegisters(count: number): { name: string; description: string; legalHold: boolean }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `reg-${i + 1}`, description: `generated register ${i + 1}`, legalHold: i > 0 }));
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error("usage: scalePlan.ts <register count ≥ 1>");
  }
  const capture = await runStack({ stack: "dev", config: { registers: generatedRegisters(count) } });
  if (capture.error !== undefined) {
    throw new Error(`plan with ${count} registers failed: ${capture.error.message}`);
  }
  process.stdout.write(`${JSON.stringify({ resources: capture.resources.length })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
