import { changeCounts, PlanDiff, PropertyChange, ResourceChange } from "../analysis/compare";
import { shortType } from "./components";
import { foldedJson } from "./fold";
import { markdownCell, markdownCode } from "./markdownText";

/** Renders `plan --compare` results for the terminal and for the Markdown report. */

/** At most this many changed paths are listed per resource. */
const maxPaths = 8;

const pathList = (paths: readonly string[]) =>
  paths.length > maxPaths ? `${paths.slice(0, maxPaths).join(", ")}, … ${paths.length - maxPaths} more` : paths.join(", ");

const sign: Record<ResourceChange["kind"], string> = { added: "+", removed: "-", changed: "~" };

/** One line summing up the diff, e.g. `2 added, 0 removed, 1 changed (1 replaced), 40 unchanged; findings: 1 new, 0 resolved`. */
export function diffSummary(diff: PlanDiff): string {
  const c = changeCounts(diff);
  const replacing = [c.replaced > 0 ? `${c.replaced} replaced` : "", c.mayReplace > 0 ? `${c.mayReplace} may be replaced` : ""].filter(Boolean).join(", ");
  const resources = `${c.added} added, ${c.removed} removed, ${c.changed} changed${replacing === "" ? "" : ` (${replacing})`}, ${diff.unchanged} unchanged`;
  if (diff.findings === undefined) return resources;
  const fresh = diff.findings.filter((f) => f.kind === "new").length;
  return `${resources}; findings: ${fresh} new, ${diff.findings.length - fresh} resolved`;
}

/** The diff as plain text lines. */
export function formatDiffText(diff: PlanDiff): string {
  const lines = [`Compared with ${diff.base.project}/${diff.base.stack}: ${diffSummary(diff)}`];
  for (const c of diff.resources) {
    const replace = c.replacement === undefined ? "" : `  [${c.replacement.certainty}: ${c.replacement.because}]`;
    lines.push(`  ${sign[c.kind]} ${shortType(c.type)}  ${c.name}${c.kind === "changed" ? `: ${pathList(c.paths)}` : ""}${replace}`);
    for (const change of (c.changes ?? []).slice(0, maxPaths)) {
      lines.push(`      ${change.path}: ${shown(change.before, textWidth)} → ${shown(change.after, textWidth)}`);
    }
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

/** A value as the diff shows it: JSON, `absent` for a missing one, cut short beyond `width`. */
function shown(value: unknown, width: number): string {
  return value === undefined ? "absent" : foldedJson(value, width, "the Markdown report");
}

/** Widest value shown in a table cell or a text line; longer ones are folded. */
const cellWidth = 60;
const textWidth = 120;

const kindCell: Record<ResourceChange["kind"], string> = { added: "➕ added", removed: "➖ removed", changed: "✏️ changed" };

function replaceCell(c: ResourceChange): string {
  if (c.kind === "removed") return c.protect ? "**deleted — protected: `pulumi up` stops**" : "deleted";
  if (c.replacement === undefined) return c.kind === "changed" ? "in place" : "";
  const protectedNote = c.protect ? "; protected: `pulumi up` stops until `protect` is lifted" : "";
  return `${c.replacement.certainty === "replaces" ? "🔁 **replaces**" : "⚠️ **may replace**"}: ${markdownCell(c.replacement.because)}${protectedNote}`;
}

const valueCell = (value: unknown) => (value === undefined ? "absent" : markdownCode(foldedJson(value, cellWidth, "below")));
const fence = (value: unknown) => (value === undefined ? "absent" : (JSON.stringify(value, null, 2) ?? "absent").replace(/```/g, "'''"));

/**
 * The diff as a Markdown section (heading level 4): per resource, each changed property with its
 * value in the base and in this plan, and whether the change replaces the resource. Values longer
 * than a cell are cut short in the table and given whole in a folded block below it.
 */
export function diffMarkdown(diff: PlanDiff): string {
  const out = [`#### Changes against ${markdownCell(`${diff.base.project}/${diff.base.stack}`)} (base)`, "", diffSummary(diff), ""];
  const long: { resource: string; change: PropertyChange }[] = [];
  if (diff.resources.length > 0) {
    out.push("| | Resource | Type | Property | Base → this plan | Update |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of diff.resources) {
      const first = `| ${kindCell[c.kind]} | ${markdownCell(c.name)} | ${markdownCode(shortType(c.type))} |`;
      const changes = c.changes ?? c.paths.map((path) => ({ path, before: undefined, after: undefined }));
      if (changes.length === 0) {
        out.push(`${first} | | ${replaceCell(c)} |`);
        continue;
      }
      for (const [i, change] of changes.slice(0, maxPaths).entries()) {
        const lead = i === 0 ? first : "| | | |";
        const values = c.changes === undefined ? "" : `${valueCell(change.before)} → ${valueCell(change.after)}`;
        out.push(`${lead} ${markdownCode(change.path)} | ${values} | ${i === 0 ? replaceCell(c) : ""} |`);
        const isLong = (v: unknown) => v !== undefined && (JSON.stringify(v) ?? "").length > cellWidth;
        if (c.changes !== undefined && (isLong(change.before) || isLong(change.after))) long.push({ resource: c.name, change });
      }
      if (changes.length > maxPaths) out.push(`| | | | … ${changes.length - maxPaths} more | | |`);
    }
    out.push("");
  }
  if (long.length > 0) {
    out.push(`<details><summary>Whole values of ${long.length} long ${long.length === 1 ? "property" : "properties"}</summary>`, "");
    for (const { resource, change } of long) {
      out.push(
        `${markdownCell(resource)} ${markdownCode(change.path)}, base:`,
        "",
        "```json",
        fence(change.before),
        "```",
        "",
        "this plan:",
        "",
        "```json",
        fence(change.after),
        "```",
        "",
      );
    }
    out.push("</details>", "");
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
