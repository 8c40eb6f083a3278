import type { Capture } from "../capture";
import type { PlanDiff } from "../compare";
import { criticalPath } from "../criticalPath";
import { componentGroups, countTypes, shortType } from "./components";
import { diffMarkdown } from "./diff";
import { countByLevel, PolicyFinding, sortFindings } from "./findings";
import { markdownCell, markdownCode, plural } from "./markdownText";
import { componentDiagram } from "./mermaid";
import { RegionLossSection, regionLossMarkdown } from "./regionLoss";
import { regionsTouched } from "./regions";
import { SecuritySettings, securityMarkdown } from "./security";

/**
 * `plan --format markdown`: the report a pull request gets as a comment — first the
 * security-relevant settings that differ from their defaults or from the base plan, then summary,
 * changes against the base branch, policy findings with their CIS and Azure Policy ids, regions,
 * critical path, resources by component and type, and a Mermaid diagram GitHub renders.
 */

/** What the report can show besides the capture. */
export interface MarkdownOptions {
  /** Policy findings of the same run; without them the report says the policy pack did not run. */
  readonly findings?: readonly PolicyFinding[];
  /** Comparison with a base plan (`plan --compare`). */
  readonly diff?: PlanDiff;
  /** The run's security-relevant settings and the base plan's values of them; shown first where they differ. */
  readonly security?: { readonly settings: SecuritySettings; readonly base?: Readonly<Record<string, unknown>> };
  /** The loss of each region the plan touches (tools/regionLoss.ts), shown after the critical path. */
  readonly regionLoss?: RegionLossSection;
  /** Most findings listed (the rest are counted); keeps a comment under GitHub's 65,536 characters. Default 50. */
  readonly maxFindings?: number;
}

/** Hidden first line that lets CI find and update its own comment for this stack. */
export function reportMarker(capture: Pick<Capture, "project" | "stack">): string {
  return `<!-- data-embassy-plan:${capture.project}/${capture.stack} -->`;
}

const levelIcon: Record<PolicyFinding["enforcementLevel"], string> = { mandatory: "❌", advisory: "⚠️", remediate: "🔧", disabled: "⏸️" };

const resourceName = (capture: Capture, urn: string | undefined) =>
  urn === undefined ? "(stack)" : (capture.resources.find((r) => r.urn === urn)?.name ?? urn.split("::").pop() ?? urn);

function summaryLine(capture: Capture, findings: readonly PolicyFinding[] | undefined): string {
  const azure = capture.resources.filter((r) => r.custom).length;
  const components = capture.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
  const regions = regionsTouched(capture).filter((r) => !r.global);
  const where = regions.map((r) => (r.resources > 0 ? r.region : `${r.region} (replicas)`)).join(", ") || "none";
  const parts = [`**${plural(azure, "resource")}** in ${plural(components, "component")}`, `regions: ${markdownCell(where)}`];
  if (findings === undefined) {
    parts.push("policy: not run");
  } else {
    const counts = countByLevel(findings);
    parts.push(
      counts.mandatory + counts.advisory === 0
        ? "policy: ✅ no violations"
        : `policy: ${counts.mandatory > 0 ? "❌" : "⚠️"} ${counts.mandatory} mandatory, ${counts.advisory} advisory`,
    );
  }
  const path = criticalPath(capture);
  if (path.chain.length > 0) parts.push(`critical path ≈ ${path.minutes} min`);
  return parts.join(" · ");
}

function policySection(capture: Capture, findings: readonly PolicyFinding[] | undefined, max: number): string[] {
  const out = ["#### Policy", ""];
  if (findings === undefined) return [...out, "The policy pack did not run in this plan.", ""];
  if (findings.length === 0) return [...out, "✅ Every control passes.", ""];
  const sorted = sortFindings(findings);
  out.push("| | Control | Resource | Message | CIS | Azure Policy |", "| --- | --- | --- | --- | --- | --- |");
  for (const f of sorted.slice(0, max)) {
    const control = `**${markdownCell(f.controlId)}** ${markdownCell(f.title ?? f.policyName)}`;
    const ids = (list: readonly string[] | undefined) => (list ?? []).map(markdownCode).join(" ") || "—";
    out.push(
      `| ${levelIcon[f.enforcementLevel]} ${f.enforcementLevel} | ${control} | ${markdownCell(resourceName(capture, f.urn))} | ${markdownCell(f.message)} | ${ids(f.cis)} | ${ids(f.azurePolicy)} |`,
    );
  }
  if (sorted.length > max) out.push("", `… and ${sorted.length - max} more (all of them are in the SARIF and JSON reports).`);
  return [...out, ""];
}

function regionSection(capture: Capture): string[] {
  const regions = regionsTouched(capture);
  if (regions.length === 0) return [];
  const out = ["#### Regions", "", "| Region | Country | EU | Resources | Geo-redundant copies of |", "| --- | --- | --- | ---: | --- |"];
  for (const r of regions) {
    const eu = r.global ? "global service, no data region" : r.eu === undefined ? "**unknown region**" : r.eu ? "yes" : "**no**";
    const replicas = r.replicaOf.length === 0 ? "—" : r.replicaOf.map(markdownCell).join(", ");
    out.push(`| ${markdownCode(r.region)} | ${r.country ?? "—"} | ${eu} | ${r.resources} | ${replicas} |`);
  }
  return [...out, ""];
}

function criticalPathSection(capture: Capture): string[] {
  const path = criticalPath(capture);
  if (path.chain.length === 0) return [];
  const out = [
    "#### Critical path",
    "",
    `${path.chain.length} resources that must be created one after another, ≈ **${path.minutes} min** with typical Azure provisioning times and the configured waits for role assignments to take effect — the infrastructure part of the recovery time:`,
    "",
    path.chain.map((r) => `${markdownCell(r.name)} (${markdownCode(shortType(r.type))})`).join(" → "),
    "",
  ];
  if (path.untimedTypes.length > 0) out.push(`Timed with a default: ${path.untimedTypes.map(markdownCode).join(", ")}.`, "");
  return out;
}

function resourcesSection(capture: Capture): string[] {
  const groups = [...componentGroups(capture).values()].filter((g) => g.resources.length > 0);
  if (groups.length === 0) return [];
  const out = [
    `<details><summary>Resources by component and type (${capture.resources.filter((r) => r.custom).length})</summary>`,
    "",
    "| Component | Type | Count |",
    "| --- | --- | ---: |",
  ];
  for (const g of groups) {
    const component =
      g.component.type === "pulumi:pulumi:Stack" ? "(stack)" : `${markdownCell(g.component.name)} (${markdownCell(shortType(g.component.type))})`;
    for (const [type, count] of countTypes(g.resources)) out.push(`| ${component} | ${markdownCode(shortType(type))} | ${count} |`);
  }
  return [...out, "", "</details>", ""];
}

/** The report as GitHub-flavoured Markdown. */
export function formatMarkdown(capture: Capture, options: MarkdownOptions = {}): string {
  const { findings, diff, security } = options;
  const out = [reportMarker(capture), `### Offline plan: ${markdownCode(`${capture.project}/${capture.stack}`)}`, ""];
  if (security !== undefined) out.push(...securityMarkdown(security.settings, security.base));
  if (capture.error !== undefined) {
    out.push(`❌ **The program failed** (${markdownCell(capture.error.name)}):`, "", "```text", capture.error.message.replace(/```/g, "'''"), "```", "");
    return `${out.join("\n")}\n`;
  }
  out.push(summaryLine(capture, findings), "");
  if (diff !== undefined) out.push(diffMarkdown(diff));
  out.push(...policySection(capture, findings, options.maxFindings ?? 50));
  out.push(...regionSection(capture));
  out.push(...criticalPathSection(capture));
  out.push(...regionLossMarkdown(options.regionLoss));
  out.push(...resourcesSection(capture));
  out.push(
    "#### Components and dependencies",
    "",
    "Arrows point from a prerequisite to what needs it.",
    "",
    "```mermaid",
    componentDiagram(capture, findings).trimEnd(),
    "```",
    "",
  );
  const notes = capture.diagnostics.filter((d) => d.severity !== "info");
  if (notes.length > 0) {
    out.push("#### Notes", "", ...notes.map((d) => `- ${d.severity}: ${markdownCell(d.message)}`), "");
  }
  return `${out.join("\n")}\n`;
}
