import { readStackSummary, StackSummary, summaryComment } from "./markdown";
import { markdownCell, markdownCode, plural } from "./markdownText";

/**
 * The pull request's one comment, made of every stack's Markdown report (`plan --format markdown`):
 * a summary table across stacks — prod first, then dr, then dev, then the rest, each register-shard
 * stack right after its core — then what needs attention in each, then each stack's report folded.
 * A reviewer reads the first screen; the rest is there to look up. GitHub refuses comments over
 * 65,536 characters: reports that do not fit are named, with a link to the run's artifacts, instead
 * of being cut mid-table.
 */

/** First line of the comment, which the workflow finds and updates. */
export const commentMarker = "<!-- data-embassy-plan -->";

/** Largest comment GitHub accepts, with room for the workflow's own additions. */
export const commentLimit = 65000;

const environmentOrder = ["prod", "dr", "dev"];

/** The core of a register-shard stack (docs/scale.md), from its `coreStack` (`<organization>/<project>/<stack>`). */
function coreOf(s: StackSummary): { project: string; stack: string } | undefined {
  if (s.coreStack === undefined) return undefined;
  const parts = s.coreStack.split("/");
  return { project: parts.length === 3 ? parts[1] : s.project, stack: parts[parts.length - 1] };
}

type Rank = [environment: number, project: number, anchor: string, shard: number, stack: string];

/**
 * Where a stack comes in the table: by environment (prod, dr, dev, unknown), the embassy before
 * other projects, then by name; a register-shard stack takes its core's place and follows it (its
 * core's environment when the comment has the core's report, else its own).
 */
function rank(s: StackSummary, all: readonly StackSummary[]): Rank {
  const core = coreOf(s);
  const anchor =
    core === undefined ? s : (all.find((c) => c.coreStack === undefined && c.project === core.project && c.stack === core.stack) ?? { ...s, ...core });
  const environment = anchor.environment ?? (environmentOrder.includes(anchor.stack) ? anchor.stack : undefined);
  const order = environment === undefined ? environmentOrder.length : environmentOrder.indexOf(environment);
  return [
    order < 0 ? environmentOrder.length : order,
    anchor.project === "data-embassy" ? 0 : 1,
    `${anchor.project}/${anchor.stack}`,
    core === undefined ? 0 : 1,
    s.stack,
  ];
}

function compareRank(x: Rank, y: Rank): number {
  return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]) || x[3] - y[3] || x[4].localeCompare(y[4]);
}

/** The stack as the table and the attention list name it: its project when not the embassy, its core when a register-shard stack. */
function stackName(s: StackSummary): string {
  const core = coreOf(s);
  const notes = [
    s.project === "data-embassy" ? "" : markdownCell(s.project),
    core === undefined ? "" : `shards of ${markdownCell(core.project === s.project ? core.stack : `${core.project}/${core.stack}`)}`,
  ].filter(Boolean);
  return `**${markdownCell(s.stack)}**${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

function changesCell(s: StackSummary): string {
  if (s.changes === undefined) return "no base";
  const { added, removed, changed } = s.changes;
  return added + removed + changed === 0 ? "none" : `+${added} −${removed} ~${changed}`;
}

function replaceCell(s: StackSummary): string {
  if (s.changes === undefined) return "—";
  const { replaced, mayReplace, removed } = s.changes;
  const parts = [replaced > 0 ? `🔁 ${replaced} replaced` : "", mayReplace > 0 ? `⚠️ ${mayReplace} may be` : "", removed > 0 ? `🗑️ ${removed} deleted` : ""];
  return parts.filter(Boolean).join(", ") || "none";
}

function policyCell(s: StackSummary): string {
  if (s.policy === undefined) return "not run";
  const { mandatory, advisory } = s.policy;
  if (mandatory + advisory === 0) return "✅ pass";
  return `${mandatory > 0 ? "❌" : "⚠️"} ${mandatory} mandatory, ${advisory} advisory`;
}

/** One report as the workflow collected it. */
export interface StackReport {
  /** File name, for a report without a summary line. */
  readonly file: string;
  readonly text: string;
}

/**
 * The comment. `runUrl` links the workflow run (its artifacts hold every report whole).
 */
export function prComment(reports: readonly StackReport[], runUrl: string): string {
  const parsed = reports.map((r) => ({ ...r, summary: readStackSummary(r.text) }));
  const summarised = parsed.filter((r): r is typeof r & { summary: StackSummary } => r.summary !== undefined);
  const all = summarised.map((r) => r.summary);
  const known = summarised.map((r) => ({ ...r, rank: rank(r.summary, all) })).sort((a, b) => compareRank(a.rank, b.rank));
  const unknown = parsed.filter((r) => r.summary === undefined);
  const out = [commentMarker, "## Offline plan", ""];
  if (reports.length === 0) return `${[...out, `No plan report: see [the run](${runUrl}).`].join("\n")}\n`;
  if (known.length > 0) {
    out.push(
      "| Stack | Resources | Changes vs base | Replaced or deleted | Policy | Critical path | Needs attention |",
      "| --- | ---: | --- | --- | --- | ---: | ---: |",
    );
    for (const { summary: s } of known) {
      if (s.failed) {
        out.push(`| ${stackName(s)} | ❌ program failed | | | | | ${s.attention.length} |`);
        continue;
      }
      const path = s.criticalPathMinutes === undefined ? "—" : `${s.criticalPathMinutes} min`;
      out.push(
        `| ${stackName(s)} | ${s.resources} in ${plural(s.components, "component")} | ${changesCell(s)} | ${replaceCell(s)} | ${policyCell(s)} | ${path} | ${s.attention.length} |`,
      );
    }
    out.push("", "Resources are what the providers create (components and the stack not counted), the same number in every report.", "");
    const attention = known.filter((r) => r.summary.attention.length > 0);
    if (attention.length > 0) {
      out.push("### Needs attention", "");
      for (const { summary: s } of attention) out.push(`${stackName(s)}`, "", ...s.attention.map((a) => `- ${a}`), "");
    }
  }
  if (unknown.length > 0) out.push(`Reports without a summary (from an older plan tool): ${unknown.map((r) => markdownCode(r.file)).join(", ")}.`, "");
  out.push("### Reports", "");
  const left: string[] = [];
  for (const r of [...known, ...unknown]) {
    const title = r.summary === undefined ? markdownCell(r.file) : `${markdownCell(r.summary.project)}/${markdownCell(r.summary.stack)}`;
    // The summary line has done its work in the table above.
    const text = r.summary === undefined ? r.text : r.text.replace(`${summaryComment(r.summary)}\n`, "");
    const folded = [`<details><summary>${title}: the whole report</summary>`, "", text.trimEnd(), "", "</details>", ""];
    const closing = `The reports of ${left.length + 1} stacks did not fit in one comment: see [the run's artifacts](${runUrl}).`;
    if ([...out, ...folded].join("\n").length + closing.length + 2 > commentLimit || left.length > 0) {
      left.push(title);
      continue;
    }
    out.push(...folded);
  }
  if (left.length > 0) out.push(`Not shown here, too long for one comment: ${left.join(", ")}; every report is whole in [the run's artifacts](${runUrl}).`, "");
  return `${out.join("\n")}\n`;
}
