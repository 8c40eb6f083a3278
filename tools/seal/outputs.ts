import { spawnSync } from "child_process";
import * as fs from "fs";
import { z } from "zod";
import { SealError } from "./errors";

/**
 * Where the embassy's resources are: the stack outputs that `index.ts` exports. A real seal takes
 * them from `pulumi stack output`, a dry run from the offline plan; `--outputs <file>` gives them
 * directly (the JSON `pulumi stack output --json --show-secrets` prints).
 */

const armId = (what: string) =>
  z
    .string({ error: `must be the ${what}'s Azure resource id` })
    .regex(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i,
      `must be the ${what}'s Azure resource id (/subscriptions/…/resourceGroups/…/providers/…)`,
    );

/** The outputs the seal reads; other outputs are ignored. */
export const sealOutputsSchema = z.object({
  resourceGroupName: z.string({ error: "must be the resource group's name" }).min(1),
  storageAccountName: z.string({ error: "must be the storage account's name" }).regex(/^[a-z0-9]{3,24}$/, "must be a storage account name"),
  registerContainers: z.record(z.string(), armId("register container"), { error: "must map each register to its container's resource id" }),
  backupVaultId: armId("backup vault").optional(),
  /** A host without a geo-pair: the object replica's account and its backup vault, in objectReplicationRegion (null otherwise). */
  replica: z
    .object({
      storageAccountName: z.string({ error: "must be the replica storage account's name" }).regex(/^[a-z0-9]{3,24}$/, "must be a storage account name"),
      backupVaultId: armId("replica backup vault").optional(),
    })
    .optional(),
});

/** The stack outputs the seal reads. */
export type SealOutputs = z.output<typeof sealOutputsSchema>;

/** Stack outputs and where they came from (recorded in the evidence). */
export interface LoadedOutputs {
  readonly outputs: SealOutputs;
  readonly source: string;
}

/**
 * Checks raw stack outputs. `null` counts as absent (a stack without a backup vault exports none).
 *
 * @throws SealError - naming every output that is missing or malformed
 */
export function parseSealOutputs(raw: unknown, source: string): SealOutputs {
  const record = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (record === undefined) throw new SealError(`Stack outputs from ${source} are not a JSON object`);
  const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null));
  const result = sealOutputsSchema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.map(String).join(".") || "(outputs)"}: ${i.message}`);
    throw new SealError([`Stack outputs from ${source} cannot locate the embassy's resources:`, ...problems].join("\n"));
  }
  return result.data;
}

/**
 * Reads outputs from a file written by `pulumi stack output --json --show-secrets`.
 *
 * @throws SealError - the file is missing, not JSON, or lacks an output the seal needs
 */
export function outputsFromFile(file: string): LoadedOutputs {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new SealError(`Cannot read --outputs ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SealError(`--outputs ${file} is not JSON: ${(err as Error).message}`);
  }
  const source = `file ${file}`;
  return { outputs: parseSealOutputs(raw, source), source };
}

/**
 * Runs `pulumi stack output --json --show-secrets --stack <stack>` in `projectDir`.
 *
 * @throws SealError - the Pulumi CLI is not installed, or it failed (its first error line is kept)
 */
export function outputsFromPulumi(projectDir: string, stack: string, pulumiCommand = "pulumi"): LoadedOutputs {
  const args = ["stack", "output", "--json", "--show-secrets", "--stack", stack];
  const run = spawnSync(pulumiCommand, args, { cwd: projectDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.error !== undefined) {
    if ((run.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SealError(
        `The Pulumi CLI ("${pulumiCommand}") is not installed or not on PATH: install it and log in to the stack's backend, or pass --outputs <file> with the JSON of \`pulumi ${args.join(" ")}\``,
      );
    }
    throw new SealError(`Cannot run ${pulumiCommand}: ${run.error.message}`);
  }
  if (run.status !== 0) {
    const firstLine = run.stderr.split("\n").find((l) => l.trim() !== "") ?? `exit code ${run.status}`;
    throw new SealError(`\`pulumi ${args.join(" ")}\` failed: ${firstLine.trim()}`);
  }
  const source = `pulumi stack output --stack ${stack}`;
  let raw: unknown;
  try {
    raw = JSON.parse(run.stdout);
  } catch (err) {
    throw new SealError(`\`pulumi ${args.join(" ")}\` did not print JSON: ${(err as Error).message}`);
  }
  return { outputs: parseSealOutputs(raw, source), source };
}

/**
 * Runs the stack offline (tools/engine/engine.ts) and takes its outputs: what `pulumi up` would export.
 * Resource ids then carry the mocks' subscription and name suffixes, so only a dry run uses them.
 *
 * @throws SealError - the program failed (e.g. an invalid configuration)
 */
export async function outputsFromOfflinePlan(projectDir: string, stack: string, config: Record<string, unknown> = {}): Promise<LoadedOutputs> {
  // Loaded here: the engine brings in the Pulumi SDK, which `--help` and real runs do not need.
  const { runStack } = await import("../engine/engine");
  const capture = await runStack({ projectDir, stack, config });
  if (capture.error !== undefined) throw new SealError(capture.error.message);
  const source = `offline plan of ${stack} (tools/engine/engine.ts)`;
  return { outputs: parseSealOutputs(capture.outputs, source), source };
}
