import type { Capture, CapturedResource } from "../tools/capture";
import { runStack, RunOptions } from "../tools/engine";

/** Runs a stack offline (default: dev) and fails the test if the program errored. */
export async function plan(options: RunOptions = {}): Promise<Capture> {
  const capture = await runStack(options);
  if (capture.error !== undefined) {
    throw new Error(`plan failed: ${capture.error.message}`);
  }
  return capture;
}

/** Runs a stack offline that is expected to fail; returns the error message and the capture. */
export async function failedPlan(options: RunOptions = {}): Promise<{ message: string; capture: Capture }> {
  const capture = await runStack(options);
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
