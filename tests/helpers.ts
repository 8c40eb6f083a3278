import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Capture, CapturedResource } from "../tools/capture";
import { runStack, RunOptions } from "../tools/engine";

/**
 * Runs a stack, reusing the capture of an identical earlier run in this `npm test` run (see
 * tests/setup/planCacheSetup.ts). Programs passed as functions are always run.
 */
async function runCached(options: RunOptions): Promise<Capture> {
  const dir = process.env.DATA_EMBASSY_PLAN_CACHE;
  if (dir === undefined || options.program !== undefined) {
    return runStack(options);
  }
  // Key expiry dates derive from the day, so the day is part of the key.
  const key = createHash("sha256")
    .update(JSON.stringify({ ...options, day: new Date().toISOString().slice(0, 10) }))
    .digest("hex");
  const file = path.join(dir, `${key}.json`);
  if (fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Capture;
  }
  const capture = await runStack(options);
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(capture));
  fs.renameSync(partial, file); // atomic: a parallel worker never reads half a file
  return capture;
}

/** Runs a stack offline (default: dev) and fails the test if the program errored. */
export async function plan(options: RunOptions = {}): Promise<Capture> {
  const capture = await runCached(options);
  if (capture.error !== undefined) {
    throw new Error(`plan failed: ${capture.error.message}`);
  }
  return capture;
}

/** Runs a stack offline that is expected to fail; returns the error message and the capture. */
export async function failedPlan(options: RunOptions = {}): Promise<{ message: string; capture: Capture }> {
  const capture = await runCached(options);
  if (capture.error === undefined) {
    throw new Error("expected the plan to fail, but it succeeded");
  }
  return { message: capture.error.message, capture };
}

/** Resources of one type token. */
export function ofType(capture: Capture, type: string): CapturedResource[] {
  return capture.resources.filter((r) => r.type === type);
}

/** The only resource of a type (fails if there is not exactly one). */
export function single(capture: Capture, type: string): CapturedResource {
  const found = ofType(capture, type);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${found.length}`);
  }
  return found[0];
}

/** Resources other than the root stack that the CLI always registers. */
export function registered(capture: Capture): CapturedResource[] {
  return capture.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** A register entry for tests. */
export function register(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, description: `${name} register`, ...extra };
}

/** `count` generated registers (`reg-1` …). */
export function registers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => register(`reg-${i + 1}`));
}
