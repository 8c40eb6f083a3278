import { controlsById } from "../../catalog/controls";
import type { PolicyFinding } from "../reports/findings";
import type { PolicyReport } from "./policyResults";

/** The policy report's violations as the reports (Markdown, SARIF, JSON, summary) render them, with the catalog's remediation and source. */
export function policyFindings(report: PolicyReport): PolicyFinding[] {
  const byId = new Map(report.controls.map((c) => [c.controlId, c]));
  return report.violations.map((v) => {
    const control = v.controlId === undefined ? undefined : byId.get(v.controlId);
    const entry = v.controlId === undefined ? undefined : controlsById.get(v.controlId);
    return {
      controlId: v.controlId ?? v.policyName,
      policyName: v.policyName,
      title: control?.title,
      urn: v.urn,
      message: v.message,
      enforcementLevel: v.enforcementLevel,
      cis: control === undefined ? undefined : [...control.cis.v3.map((id) => `v3 ${id}`), ...control.cis.v6.map((id) => `v6 ${id}`)],
      azurePolicy: control?.azurePolicy,
      ...(entry === undefined ? {} : { remediation: entry.remediation }),
      ...(entry?.source === undefined ? {} : { source: entry.source }),
    };
  });
}
