import type { ControlResult, ControlStatus, PolicyReport, PolicyViolation } from "./policyResults";

/** Renders a policy report as the plan's policy section: every control with its ids, violations under it. */

const marks: Record<ControlStatus, string> = { pass: "PASS", fail: "FAIL", "not-applicable": "n/a ", disabled: "off " };

/** `CIS 4.1/9.3.4 · AP 404c3081` for a control. */
export function controlIds(control: Pick<ControlResult, "cis" | "azurePolicy">): string {
  const cis = control.cis.v3.length + control.cis.v6.length > 0 ? `CIS ${control.cis.v3.join(",") || "–"}/${control.cis.v6.join(",") || "–"}` : "";
  const ap = control.azurePolicy.length > 0 ? `AP ${control.azurePolicy.map((g) => g.slice(0, 8)).join(",")}` : "";
  return [cis, ap].filter(Boolean).join(" · ") || "embassy rule";
}

/** `StorageAccount embassy-storage-account`: type and Pulumi name, which is how people recognise a resource. */
function resourceOf(v: PolicyViolation): string {
  if (v.urn === undefined) return "(stack)";
  const name = v.urn.split("::").pop() ?? v.urn;
  return v.resourceType === undefined ? name : `${v.resourceType.split(":").pop()} ${name}`;
}

/** The policy section of the plan's text output. */
export function formatPolicyReport(report: PolicyReport): string {
  const { summary } = report;
  const lines = [
    `Policy pack ${report.pack.name} ${report.pack.version}: ${summary.passed} passed, ${summary.failed} failed, ${summary.notApplicable} not applicable — ` +
      `${summary.mandatory} mandatory, ${summary.advisory} advisory violation${summary.mandatory + summary.advisory === 1 ? "" : "s"}`,
    "",
  ];
  const width = Math.max(...report.controls.map((c) => c.controlId.length));
  for (const control of report.controls) {
    const level = control.status === "fail" ? `  [${control.enforcementLevel}]` : "";
    lines.push(`  ${marks[control.status]}  ${control.controlId.padEnd(width)}  ${controlIds(control)}${level}`);
    for (const v of report.violations.filter((x) => x.policyName === control.controlId)) {
      lines.push(`          ${resourceOf(v)}: ${v.message.replace(/\n/g, " ")}`);
    }
  }
  const foreign = report.violations.filter((v) => v.controlId === undefined);
  for (const v of foreign) lines.push(`  FAIL  ${v.policyName} (not in the catalog)  ${resourceOf(v)}: ${v.message}`);
  if (summary.mandatory > 0)
    lines.push(
      "",
      `${summary.mandatory} mandatory violation${summary.mandatory === 1 ? "" : "s"}: the plan fails (docs/policies.md says how to fix each control).`,
    );
  return `${lines.join("\n")}\n`;
}
