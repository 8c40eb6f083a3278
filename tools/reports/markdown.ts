import type { Capture } from "../engine/capture";
import { changeCounts, PlanDiff } from "../analysis/compare";
import { criticalPath } from "../analysis/criticalPath";
import { attentionItems } from "./attention";
import { componentGroups, countTypes, shortType } from "./components";
import { countsText, planCounts } from "./counts";
import { diffMarkdown } from "./diff";
import { countByLevel, PolicyFinding, sortFindings } from "./findings";
import { markdownCell, markdownCode, plural } from "./markdownText";
import { componentDiagram } from "./mermaid";
import { RegionLossSection, regionLossMarkdown } from "./regionLoss";
import { regionsTouched } from "./regions";
import { SecuritySettings, securityMarkdown } from "./security";

/**
 * `plan --format markdown`: one stack's part of the pull request's comment, read top-down in
 * seconds — a one-line summary; what needs attention (replacements, deletions, protection lifted,
 * new mandatory violations, security settings, the program's warnings: tools/reports/attention.ts);
 * the security-relevant settings that differ from their defaults or from the base plan; the
 * changes against the base branch with old → new values and whether each replaces the resource;
 * the policy findings with their CIS and Azure Policy ids. Regions, critical path, resources by
 * component and the Mermaid diagram follow, folded. A hidden second line carries the numbers the
 * comment's summary table across stacks is made of (tools/reports/prComment.ts).
 */

/** What the report can show besides the capture. */
export interface MarkdownOptions {
  /** Policy findings of the same run; without them the report says the policy pack did not run. */
  readonly findings?: readonly PolicyFinding[];
  /** Comparison with a base plan (`plan --compare`). */
  readonly diff?: PlanDiff;
  /** The run's security-relevant settings and the base plan's values of them; shown first where they differ. */
  readonly security?: { readonly settings: SecuritySettings; readonly base?: Readonly<Record<string, unknown>> };
  /** The loss of each region the plan touches (tools/analysis/regionLoss.ts), shown after the critical path. */
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

function summaryLine(capture: Capture, findings: readonly PolicyFinding[] | undefined, diff: PlanDiff | undefined): string {
  const counts = planCounts(capture);
  const regions = regionsTouched(capture).filter((r) => !r.global);
  const where = regions.map((r) => (r.resources > 0 ? r.region : `${r.region} (replicas)`)).join(", ") || "none";
  const parts = [`**${plural(counts.resources, "resource")}** in ${plural(counts.components, "component")}`, `regions: ${markdownCell(where)}`];
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
  if (diff !== undefined) {
    const c = changeCounts(diff);
    parts.push(`vs base: +${c.added} −${c.removed} ~${c.changed}${c.replaced + c.mayReplace > 0 ? ` (${c.replaced + c.mayReplace} replace)` : ""}`);
  }
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
  const out = ["#### Regions", "", "| Region | Country | EU | Resources placed here | Geo-redundant copies of |", "| --- | --- | --- | ---: | --- |"];
  for (const r of regions) {
    const eu = r.global ? "global service, no data region" : r.eu === undefined ? "**unknown region**" : r.eu ? "yes" : "**no**";
    const replicas = r.replicaOf.length === 0 ? "—" : r.replicaOf.map(markdownCell).join(", ");
    out.push(`| ${markdownCode(r.region)} | ${r.country ?? "—"} | ${eu} | ${r.resources} | ${replicas} |`);
  }
  // The same resources every report counts: the rest have no `location` of their own.
  const placed = regions.reduce((sum, r) => sum + r.resources, 0);
  const { resources } = planCounts(capture);
  if (placed < resources) {
    out.push(
      "",
      `The other ${resources - placed} of the ${resources} resources take no location of their own (they live in their parent, e.g. a container in its account, or at a scope).`,
    );
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
    `<details><summary>Resources by component and type (${countsText(planCounts(capture))})</summary>`,
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

/** The numbers of one stack's report that the PR comment's summary table shows (tools/reports/prComment.ts). */
export interface StackSummary {
  readonly project: string;
  readonly stack: string;
  /** The `environment` setting (prod, dr, dev) when known: orders the table. */
  readonly environment?: string;
  /**
   * The `coreStack` setting of a register-shard stack (`<organization>/<project>/<stack>`,
   * docs/scale.md): the table shows the stack right after its core's row.
   */
  readonly coreStack?: string;
  readonly failed: boolean;
  readonly resources: number;
  readonly components: number;
  readonly changes?: { readonly added: number; readonly removed: number; readonly changed: number; readonly replaced: number; readonly mayReplace: number };
  readonly policy?: { readonly mandatory: number; readonly advisory: number };
  readonly criticalPathMinutes?: number;
  /** The "Needs attention" bullets (Markdown). */
  readonly attention: readonly string[];
}

const summaryPrefix = "<!-- data-embassy-plan-summary ";

/** The summary of one stack's report, as its hidden second line carries it. */
export function stackSummary(capture: Capture, options: MarkdownOptions = {}): StackSummary {
  const counts = planCounts(capture);
  const setting = (key: string) => options.security?.settings.find((s) => s.key === key)?.value;
  const environment = setting("environment");
  const coreStack = setting("coreStack");
  const path = capture.error === undefined ? criticalPath(capture) : undefined;
  const levels = options.findings === undefined ? undefined : countByLevel(options.findings);
  const changes = options.diff === undefined ? undefined : changeCounts(options.diff);
  return {
    project: capture.project,
    stack: capture.stack,
    ...(typeof environment === "string" ? { environment } : {}),
    ...(typeof coreStack === "string" ? { coreStack } : {}),
    failed: capture.error !== undefined,
    resources: counts.resources,
    components: counts.components,
    ...(changes === undefined ? {} : { changes }),
    ...(levels === undefined ? {} : { policy: { mandatory: levels.mandatory, advisory: levels.advisory } }),
    ...(path === undefined || path.chain.length === 0 ? {} : { criticalPathMinutes: path.minutes }),
    attention: attentionItems({ capture, ...options }),
  };
}

/** The hidden line that carries {@link StackSummary} (`-->` cannot occur: `>` is escaped in the JSON). */
export function summaryComment(summary: StackSummary): string {
  return `${summaryPrefix}${JSON.stringify(summary).replace(/>/g, "\\u003e")} -->`;
}

/** The summary a report carries, or undefined for a report without one (an older tool's). */
export function readStackSummary(report: string): StackSummary | undefined {
  const line = report.split("\n").find((l) => l.startsWith(summaryPrefix) && l.endsWith(" -->"));
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line.slice(summaryPrefix.length, -" -->".length)) as StackSummary;
  } catch {
    return undefined;
  }
}

/** Sections that are there to look things up, folded under one summary line each. */
function folded(summary: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return [`<details><summary>${summary}</summary>`, "", ...lines, "</details>", ""];
}

/** The report as GitHub-flavoured Markdown. */
export function formatMarkdown(capture: Capture, options: MarkdownOptions = {}): string {
  const { findings, diff, security } = options;
  const summary = stackSummary(capture, options);
  const out = [reportMarker(capture), summaryComment(summary), `### Offline plan: ${markdownCode(`${capture.project}/${capture.stack}`)}`, ""];
  if (capture.error !== undefined) {
    out.push(`❌ **The program failed** (${markdownCell(capture.error.name)}):`, "", "```text", capture.error.message.replace(/```/g, "'''"), "```", "");
    if (security !== undefined) out.push(...securityMarkdown(security.settings, security.base));
    return `${out.join("\n")}\n`;
  }
  out.push(summaryLine(capture, findings, diff), "");
  if (summary.attention.length > 0) out.push("#### Needs attention", "", ...summary.attention.map((a) => `- ${a}`), "");
  if (security !== undefined) out.push(...securityMarkdown(security.settings, security.base));
  if (diff !== undefined) out.push(diffMarkdown(diff));
  out.push(...policySection(capture, findings, options.maxFindings ?? 50));
  const path = criticalPath(capture);
  out.push(...folded("Regions", regionSection(capture)));
  out.push(...folded(`Critical path ≈ ${path.minutes} min`, criticalPathSection(capture)));
  out.push(...regionLossMarkdown(options.regionLoss));
  out.push(...resourcesSection(capture));
  out.push(
    ...folded("Components and dependencies (diagram)", [
      "#### Components and dependencies",
      "",
      "Arrows point from a prerequisite to what needs it.",
      "",
      "```mermaid",
      componentDiagram(capture, findings).trimEnd(),
      "```",
      "",
    ]),
  );
  return `${out.join("\n")}\n`;
}
