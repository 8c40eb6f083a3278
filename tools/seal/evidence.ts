import * as fs from "fs";
import * as path from "path";
import type { Caller } from "./caller";
import type { NotSealed, SealPlan, SealStep } from "./sealPlan";

/**
 * The seal's evidence: a JSON record of who sealed what, when, from which state to which, and with
 * which ETag. It is rewritten after every step, so an interrupted run still leaves what it did; its
 * `result` stays `in-progress` until the run ends and says `sealed` only when every step is Locked.
 */

/** What happened to one step. */
export type StepOutcome =
  /** Dry run: would be locked unless already Locked. */
  | "planned"
  /** Locked by this run. */
  | "locked"
  /** Was Locked already: no write. */
  | "already-sealed"
  /** A register container without a policy of its own: its blobs take the account's (Locked) WORM default. */
  | "covered-by-account-policy"
  /** Refused before any write, or a write Azure rejected. */
  | "failed"
  /** Not reached: an earlier step failed. */
  | "not-attempted";

/** A policy's state as read from (or returned by) ARM. */
export interface PolicySnapshot {
  readonly state: string;
  readonly retentionDays?: number;
  readonly allowProtectedAppendWrites?: boolean;
  readonly etag?: string;
}

/** The record of one step. */
export interface StepEvidence {
  readonly kind: SealStep["kind"];
  readonly label: string;
  readonly resourceId: string;
  readonly reason: string;
  readonly sources: readonly { title: string; url: string }[];
  outcome: StepOutcome;
  before?: PolicySnapshot;
  after?: PolicySnapshot;
  /** The If-Match sent with the write; null where the API takes none (account, vault). */
  ifMatch?: string | null;
  readAt?: string;
  writtenAt?: string;
  error?: string;
}

/** How the run ended. */
export type SealResult = "in-progress" | "sealed" | "already-sealed" | "nothing-to-seal" | "failed" | "dry-run";

/** The whole evidence document. */
export interface Evidence {
  readonly tool: "data-embassy seal";
  readonly stack: string;
  readonly mode: "seal" | "dry-run";
  readonly startedAt: string;
  finishedAt?: string;
  result: SealResult;
  caller?: Caller;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly outputsSource: string;
  /** The settings the plan came from. */
  readonly intent: Record<string, unknown>;
  readonly steps: StepEvidence[];
  readonly notSealed: readonly NotSealed[];
  /** Write requests sent to ARM by this run. */
  writes: number;
  error?: string;
}

/** Evidence for a plan, every step `planned`. */
export function newEvidence(
  plan: SealPlan,
  options: { mode: Evidence["mode"]; outputsSource: string; intent: Record<string, unknown>; startedAt: string; caller?: Caller },
): Evidence {
  return {
    tool: "data-embassy seal",
    stack: plan.stack,
    mode: options.mode,
    startedAt: options.startedAt,
    result: options.mode === "dry-run" ? "dry-run" : "in-progress",
    ...(options.caller === undefined ? {} : { caller: options.caller }),
    subscriptionId: plan.subscriptionId,
    resourceGroup: plan.resourceGroup,
    outputsSource: options.outputsSource,
    intent: options.intent,
    steps: plan.steps.map((s) => ({
      kind: s.kind,
      label: s.label,
      resourceId: s.resourceId,
      reason: s.reason,
      sources: s.sources.map(({ title, url }) => ({ title, url })),
      outcome: "planned",
    })),
    notSealed: plan.notSealed,
    writes: 0,
  };
}

/** `out/seal-<stack>-<timestamp>.json`, the timestamp in UTC without characters file systems dislike. */
export function defaultEvidencePath(stack: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "-");
  return path.join("out", `seal-${stack}-${stamp}.json`);
}

/**
 * Writes the evidence document (creating its directory) through a temporary file and a rename, so
 * a reader never sees half a document.
 */
export function writeEvidence(file: string, evidence: Evidence): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, `${JSON.stringify(evidence, null, 2)}\n`);
  fs.renameSync(partial, file);
}
