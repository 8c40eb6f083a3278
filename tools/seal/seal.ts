import type { TokenCredential } from "@azure/identity";
import type { ArmConnection } from "./armSealer";
import { SealError } from "./errors";
import { defaultEvidencePath, Evidence, newEvidence, writeEvidence } from "./evidence";
import { LoadedOutputs, outputsFromFile, outputsFromOfflinePlan, outputsFromPulumi } from "./outputs";
import { formatPlan, formatResult } from "./report";
import { intendsLock, planSeal, SealIntent } from "./sealPlan";
import { loadSealSettings } from "./stackSettings";

/**
 * One seal run, start to end: settings → acknowledgement → outputs → plan → (dry run: print it) or
 * (caller → read → lock → evidence). The CLI (tools/seal/cli.ts) is a thin shell around it.
 */

/** What to run, and where to print. */
export interface SealRunOptions {
  readonly stack: string;
  readonly dryRun?: boolean;
  /** JSON of `pulumi stack output --json --show-secrets`; default: the Pulumi CLI (dry run: the offline plan). */
  readonly outputsFile?: string;
  /** Evidence file; default `out/seal-<stack>-<timestamp>.json` (a dry run writes one only when given). */
  readonly evidenceFile?: string;
  /** The Pulumi project (holds Pulumi.yaml and the stack files). */
  readonly projectDir: string;
  /** Config values over the stack file's (bare keys are in the project namespace). */
  readonly config?: Record<string, unknown>;
  /** The credential to seal with; default `DefaultAzureCredential`. */
  readonly credential?: () => TokenCredential;
  readonly arm?: ArmConnection;
  /** The Pulumi CLI to read outputs with; default `pulumi`. */
  readonly pulumiCommand?: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential();
}

function intentRecord(intent: SealIntent, acknowledged: boolean): Record<string, unknown> {
  return {
    wormState: intent.wormState,
    wormRetentionDays: intent.wormRetentionDays,
    backupImmutability: intent.backupImmutability,
    acknowledgeIrreversibleLock: acknowledged,
    registers: intent.registers.map((r) => ({ name: r.name, immutability: r.immutability, retentionDays: r.retentionDays })),
  };
}

async function loadOutputs(options: SealRunOptions): Promise<LoadedOutputs> {
  if (options.outputsFile !== undefined) return outputsFromFile(options.outputsFile);
  if (options.dryRun === true) return outputsFromOfflinePlan(options.projectDir, options.stack, options.config);
  return outputsFromPulumi(options.projectDir, options.stack, options.pulumiCommand);
}

/**
 * Runs the seal and returns the exit code: 0 sealed, already sealed, nothing to seal or a dry run;
 * 1 refused or failed (the message is printed; the evidence says what happened).
 *
 * @throws Error - only for bugs; every problem an operator can fix comes back as exit code 1
 */
export async function runSeal(options: SealRunOptions): Promise<number> {
  try {
    return await seal(options);
  } catch (err) {
    if (!(err instanceof SealError)) throw err;
    options.stderr(`${err.message}\n`);
    return 1;
  }
}

async function seal(options: SealRunOptions): Promise<number> {
  const { stack } = options;
  const startedAt = new Date();
  const { settings, acknowledged } = loadSealSettings(options.projectDir, stack, options.config);
  if (!intendsLock(settings)) {
    options.stdout(
      `Nothing to seal for stack "${stack}": its settings ask for no Locked state (wormState ${settings.wormState}, backupImmutability ${settings.backupImmutability}, no register with immutability "locked").\n`,
    );
    return 0;
  }
  if (!acknowledged) {
    throw new SealError(
      `Refusing to seal stack "${stack}": data-embassy:acknowledgeIrreversibleLock is not true in Pulumi.${stack}.yaml, and every lock is irreversible.`,
    );
  }
  const loaded = await loadOutputs(options);
  const plan = planSeal(stack, settings, loaded.outputs);
  const intent = intentRecord(settings, acknowledged);
  if (plan.steps.length === 0) {
    options.stdout(`Nothing to seal for stack "${stack}":\n${plan.notSealed.map((n) => `  - ${n.what}: ${n.reason}`).join("\n")}\n`);
    return 0;
  }
  if (options.dryRun === true) {
    options.stdout(formatPlan(plan, loaded.source));
    if (options.evidenceFile !== undefined) {
      const evidence = newEvidence(plan, { mode: "dry-run", outputsSource: loaded.source, intent, startedAt: startedAt.toISOString() });
      evidence.finishedAt = new Date().toISOString();
      writeEvidence(options.evidenceFile, evidence);
      options.stdout(`Plan written to ${options.evidenceFile}\n`);
    }
    return 0;
  }

  // The vault's key is switched in place in phase keys-ready; its immutability is locked after that
  // (docs/phases.md). A re-run in phase sealed finds everything Locked and writes nothing.
  if (settings.phase === "build") {
    throw new SealError(
      `Refusing to seal stack "${stack}": it is in phase build. Set data-embassy:phase to keys-ready and run pulumi up first (docs/phases.md); --dry-run shows the seal meanwhile.`,
    );
  }
  // The Azure SDKs load only for a real run.
  const { armScope, createArmClients, executeSeal } = await import("./armSealer");
  const { identifyCaller } = await import("./caller");
  const credential = options.credential?.() ?? (await defaultCredential());
  const caller = await identifyCaller(credential, armScope(options.arm?.endpoint));
  const file = options.evidenceFile ?? defaultEvidencePath(stack, startedAt);
  const evidence: Evidence = newEvidence(plan, { mode: "seal", outputsSource: loaded.source, intent, startedAt: startedAt.toISOString(), caller });
  writeEvidence(file, evidence);
  try {
    await executeSeal(plan, createArmClients(credential, plan.subscriptionId, options.arm), evidence, (e) => writeEvidence(file, e));
  } catch (err) {
    if (!(err instanceof SealError)) {
      for (const step of evidence.steps) if (step.outcome === "planned") step.outcome = "not-attempted";
      evidence.result = "failed";
      evidence.error = `unexpected error: ${(err as Error).message}`;
    }
    throw err;
  } finally {
    evidence.finishedAt = new Date().toISOString();
    writeEvidence(file, evidence);
    options.stdout(formatResult(evidence, file));
  }
  if (settings.phase !== "sealed")
    options.stdout(`Next: set data-embassy:phase to sealed in Pulumi.${stack}.yaml and run pulumi up: ingest opens (docs/phases.md).\n`);
  return 0;
}
