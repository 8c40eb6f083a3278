import type { Area, Severity } from "../../catalog/controls";

/**
 * What a policy pass over a capture produces: the typed result that the plan prints, `plan --json`
 * carries under `policy`, and reports (Markdown, SARIF) are built from.
 */

/** CrossGuard enforcement levels. */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One violation reported by the pack. */
export interface PolicyViolation {
  /** Catalog control id (undefined only for a policy the catalog does not know). */
  readonly controlId?: string;
  /** CrossGuard policy name (equals the control id in the embassy pack). */
  readonly policyName: string;
  /** Resource that violates the policy (absent for a stack-wide violation). */
  readonly urn?: string;
  /** Type token of that resource, when it is in the capture. */
  readonly resourceType?: string;
  readonly message: string;
  /** Level the violation was reported at: `mandatory` fails the plan. */
  readonly enforcementLevel: EnforcementLevel;
  readonly severity?: Severity;
}

/** How a control fared in one pass. */
export type ControlStatus = "pass" | "fail" | "not-applicable" | "disabled";

/** One catalog control's result, with the ids auditors map it by. */
export interface ControlResult {
  readonly controlId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly area: Area;
  readonly cis: { readonly v3: readonly string[]; readonly v6: readonly string[] };
  /** GUIDs of the corresponding built-in Azure Policy definitions or initiatives. */
  readonly azurePolicy: readonly string[];
  /** Effective enforcement level (pack default or config). */
  readonly enforcementLevel: EnforcementLevel;
  readonly status: ControlStatus;
  readonly violations: number;
}

/** The result of running the policy pack over one capture. */
export interface PolicyReport {
  readonly pack: { readonly name: string; readonly version: string };
  /** Every control, in catalog order. */
  readonly controls: readonly ControlResult[];
  readonly violations: readonly PolicyViolation[];
  readonly summary: {
    /** Violations at mandatory level: any makes the plan fail. */
    readonly mandatory: number;
    readonly advisory: number;
    readonly passed: number;
    readonly failed: number;
    readonly notApplicable: number;
  };
}
