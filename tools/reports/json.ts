import type { Capture } from "../engine/capture";
import type { PolicyFinding } from "./findings";

/**
 * `plan --format json`: the capture (tools/engine/capture.ts, unchanged) plus the policy findings when
 * the policy pack ran, and the security-relevant settings (tools/analysis/securitySettings.ts) when they
 * are known. It is what `plan --compare` reads back as the base of a comparison, and it accepts a
 * bare `plan --json` capture too (then there is nothing to compare controls against).
 */

/** A capture with the policy findings and the security-relevant settings of the same run. */
export type PlanDocument = Capture & { findings?: PolicyFinding[]; securitySettings?: Record<string, unknown> };

/** The document for a run; `findings` is left out when the policy pack did not run, `securitySettings` when unknown. */
export function planDocument(capture: Capture, findings?: readonly PolicyFinding[], securitySettings?: Readonly<Record<string, unknown>>): PlanDocument {
  return {
    ...capture,
    ...(findings === undefined ? {} : { findings: [...findings] }),
    ...(securitySettings === undefined ? {} : { securitySettings: { ...securitySettings } }),
  };
}

/** The document as pretty-printed JSON. */
export function formatJson(capture: Capture, findings?: readonly PolicyFinding[], securitySettings?: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(planDocument(capture, findings, securitySettings), null, 2)}\n`;
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
    record?.securitySettings === undefined ||
    (typeof record.securitySettings === "object" && record.securitySettings !== null && !Array.isArray(record.securitySettings))
      ? undefined
      : "securitySettings",
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new PlanDocumentError(`${source} is not a plan (from \`plan --format json\` or \`plan --json\`): bad or missing ${problems.join(", ")}`);
  }
  return record as PlanDocument;
}
