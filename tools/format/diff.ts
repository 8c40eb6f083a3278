import { changeCounts, PlanDiff, ResourceChange } from "../compare";
import { shortType } from "./components";
import { markdownCell, markdownCode } from "./markdownText";

/** Renders `plan --compare` results for the terminal and for the Markdown report. */

/** At most this many changed paths are listed per resource. */
const maxPaths = 8;

const pathList = (paths: readonly string[]) =>
  paths.length > maxPaths ? `${paths.slice(0, maxPaths).join(", ")}, … ${paths.length - maxPaths} more` : paths.join(", ");

const sign: Record<ResourceChange["kind"], string> = { added: "+", removed: "-", changed: "~" };

/** One line summing up the diff, e.g. `2 added, 0 removed, 1 changed, 40 unchanged; controls: 1 new, 0 resolved`. */
export function diffSummary(diff: PlanDiff): string {
  const c = changeCounts(diff);
  const resources = `${c.added} added, ${c.removed} removed, ${c.changed} changed, ${diff.unchanged} unchanged`;
  if (diff.findings === undefined) return resources;
  const fresh = diff.findings.filter((f) => f.kind === "new").length;
  return `${resources}; findings: ${fresh} new, ${diff.findings.length - fresh} resolved`;
}

/** The diff as plain text lines. */
export function formatDiffText(diff: PlanDiff): string {
  const lines = [`Compared with ${diff.base.project}/${diff.base.stack}: ${diffSummary(diff)}`];
  for (const c of diff.resources) {
    lines.push(`  ${sign[c.kind]} ${shortType(c.type)}  ${c.name}${c.kind === "changed" ? `: ${pathList(c.paths)}` : ""}`);
  }
  if (diff.findings === undefined) {
    lines.push("  (findings not compared: the base or this plan carries no policy results)");
  }
  for (const { kind, finding } of diff.findings ?? []) {
    lines.push(
      `  ${kind === "new" ? "!" : "✓"} ${kind} [${finding.enforcementLevel}] ${finding.controlId} ${finding.urn?.split("::").pop() ?? "(stack)"}: ${finding.message}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The diff as a Markdown section (heading level 4). */
export function diffMarkdown(diff: PlanDiff): string {
  const out = [`#### Changes against ${markdownCell(`${diff.base.project}/${diff.base.stack}`)} (base)`, "", diffSummary(diff), ""];
  if (diff.resources.length > 0) {
    out.push("| | Type | Resource | What changed |", "| --- | --- | --- | --- |");
    for (const c of diff.resources) {
      out.push(`| ${c.kind} | ${markdownCode(shortType(c.type))} | ${markdownCell(c.name)} | ${markdownCell(pathList(c.paths))} |`);
    }
    out.push("");
  }
  if (diff.findings !== undefined && diff.findings.length > 0) {
    out.push("| | Control | Level | Resource | Message |", "| --- | --- | --- | --- | --- |");
    for (const { kind, finding } of diff.findings) {
      const resource = finding.urn?.split("::").pop() ?? "(stack)";
      out.push(
        `| ${kind === "new" ? "🆕 new" : "✅ resolved"} | ${markdownCell(finding.controlId)} | ${finding.enforcementLevel} | ${markdownCell(resource)} | ${markdownCell(finding.message)} |`,
      );
    }
    out.push("");
  }
  return `${out.join("\n")}\n`;
}
