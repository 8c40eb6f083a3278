import type { Capture } from "../capture";
import type { PolicyFinding } from "./findings";

/**
 * `plan --format json`: the capture (tools/capture.ts, unchanged) plus the policy findings when
 * the policy pack ran. It is what `plan --compare` reads back as the base of a comparison, and it
 * accepts a bare `plan --json` capture too (then there is nothing to compare controls against).
 */

/** A capture with the policy findings of the same run. */
export type PlanDocument = Capture & { findings?: PolicyFinding[] };

/** The document for a run; `findings` is left out when the policy pack did not run. */
export function planDocument(capture: Capture, findings?: readonly PolicyFinding[]): PlanDocument {
  return findings === undefined ? capture : { ...capture, findings: [...findings] };
}

/** The document as pretty-printed JSON. */
export function formatJson(capture: Capture, findings?: readonly PolicyFinding[]): string {
  return `${JSON.stringify(planDocument(capture, findings), null, 2)}\n`;
}

/** A file that is not a plan document. */
export class PlanDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanDocumentError";
  }
}

/** Reads a document written by `plan --format json` or `plan --json`; `source` names it in errors. */
export function parsePlanDocument(text: string, source: string): PlanDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new PlanDocumentError(`${source} is not JSON: ${(err as Error).message}`);
  }
  const record = doc as Partial<PlanDocument> | null;
  const problems = [
    typeof record?.project === "string" ? undefined : "project",
    typeof record?.stack === "string" ? undefined : "stack",
    Array.isArray(record?.resources) ? undefined : "resources",
    record?.findings === undefined || Array.isArray(record.findings) ? undefined : "findings",
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new PlanDocumentError(`${source} is not a plan (from \`plan --format json\` or \`plan --json\`): bad or missing ${problems.join(", ")}`);
  }
  return record as PlanDocument;
}
