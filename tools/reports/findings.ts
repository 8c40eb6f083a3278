/**
 * The policy results the reports render, as the reports need them. The policy runner produces its
 * own result type; whoever connects the two maps it onto {@link PolicyFinding}, so the formats do
 * not depend on the policy pack's internals.
 */

/** How a policy's violations are enforced (CrossGuard's levels). */
export type EnforcementLevel = "mandatory" | "advisory" | "remediate" | "disabled";

/** One violation of one control by one resource (or by the stack as a whole). */
export interface PolicyFinding {
  /** Control id from the control catalog, e.g. `STG-01`. */
  readonly controlId: string;
  /** Name of the CrossGuard policy that checks the control. */
  readonly policyName: string;
  /** Short title of the control; the policy name stands in when absent. */
  readonly title?: string;
  /** URN of the violating resource; undefined for a stack-level finding. */
  readonly urn?: string;
  /** What is wrong and, ideally, how to fix it. */
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  /** CIS Microsoft Azure Foundations Benchmark recommendation ids, e.g. `3.15`. */
  readonly cis?: readonly string[];
  /** Azure Policy built-in definition ids or names the control corresponds to. */
  readonly azurePolicy?: readonly string[];
  /** What to change when the control fails (the catalog's `remediation`). */
  readonly remediation?: string;
  /** The page the control's Azure constraint comes from (the catalog's `source`), when it has one. */
  readonly source?: string;
}

const levelOrder: Record<EnforcementLevel, number> = { mandatory: 0, advisory: 1, remediate: 2, disabled: 3 };

/** Findings in reading order: mandatory first, then by control id and resource. */
export function sortFindings(findings: readonly PolicyFinding[]): PolicyFinding[] {
  return [...findings].sort(
    (a, b) =>
      levelOrder[a.enforcementLevel] - levelOrder[b.enforcementLevel] || a.controlId.localeCompare(b.controlId) || (a.urn ?? "").localeCompare(b.urn ?? ""),
  );
}

/** Number of findings per enforcement level. */
export function countByLevel(findings: readonly PolicyFinding[]): Record<EnforcementLevel, number> {
  const counts: Record<EnforcementLevel, number> = { mandatory: 0, advisory: 0, remediate: 0, disabled: 0 };
  for (const f of findings) counts[f.enforcementLevel] += 1;
  return counts;
}

/** Identity of a finding across two plans: the same control broken by the same resource. */
export function findingKey(finding: PolicyFinding): string {
  return `${finding.controlId}\u0000${finding.urn ?? ""}`;
}
