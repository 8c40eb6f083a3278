import type { Capture } from "../engine/capture";
import type { PlanDiff } from "../analysis/compare";
import { shortType } from "./components";
import type { PolicyFinding } from "./findings";
import { markdownCell, markdownCode } from "./markdownText";
import { calledOut, SecuritySettings } from "./security";

/**
 * What a reviewer must not miss, first in the PR comment: the irreversible and the
 * security-relevant — a resource replaced or deleted (its data goes with it; a protected one
 * stops `pulumi up`), protection switched off, a new mandatory policy violation, a security
 * setting that differs from its default or changed against the base plan, and the program's
 * warnings (irreversible steps, manual steps). One Markdown bullet each, most severe first.
 */

/** What the attention list is made from (a subset of the report's input). */
export interface AttentionInput {
  readonly capture: Capture;
  readonly diff?: PlanDiff;
  readonly findings?: readonly PolicyFinding[];
  readonly security?: { readonly settings: SecuritySettings; readonly base?: Readonly<Record<string, unknown>> };
}

const resource = (name: string, type: string) => `**${markdownCell(name)}** (${markdownCode(shortType(type))})`;
const json = (value: unknown) => (value === undefined ? "unset" : markdownCode(JSON.stringify(value)));

/** At most this many resources are named one by one per kind of change; more are summed up in one bullet. */
const maxNamed = 3;

/** One bullet per resource, or one for all of them when there are more than {@link maxNamed}. */
function grouped(items: string[], each: (i: number) => string, all: (names: string) => string, names: string[]): void {
  if (names.length === 0) return;
  if (names.length <= maxNamed) {
    names.forEach((_, i) => items.push(each(i)));
    return;
  }
  items.push(all(`${names.slice(0, maxNamed).join(", ")} and ${names.length - maxNamed} more (see the changes)`));
}

/** The bullets (without the leading `- `), most severe first; empty when nothing needs attention. */
export function attentionItems(input: AttentionInput): string[] {
  const { capture, diff, findings, security } = input;
  const items: string[] = [];
  if (capture.error !== undefined) items.push(`❌ the program failed: ${markdownCell(capture.error.message.split("\n")[0])}`);
  const stops = (c: { protect?: boolean }) => (c.protect ? " — it is protected, so `pulumi up` stops until `protect` is lifted" : "");
  const changes = diff?.resources ?? [];
  // Data goes first: deletions and certain replacements, then possible ones, then protection lifted.
  const removed = changes.filter((c) => c.kind === "removed");
  grouped(
    items,
    (i) => `🗑️ ${resource(removed[i].name, removed[i].type)} is **deleted**${stops(removed[i])}`,
    (names) => `🗑️ ${removed.length} resources are **deleted**${removed.some((c) => c.protect) ? ", protected ones among them" : ""}: ${names}`,
    removed.map((c) => resource(c.name, c.type)),
  );
  for (const certainty of ["replaces", "may replace"] as const) {
    const replaced = changes.filter((c) => c.replacement?.certainty === certainty);
    const icon = certainty === "replaces" ? "🔁" : "⚠️";
    const verb = certainty === "replaces" ? "is **replaced** (deleted and created again)" : "**may be replaced**";
    grouped(
      items,
      (i) => {
        const c = replaced[i];
        const why = c.replacement === undefined ? "" : `: ${markdownCode(c.replacement.input)} changes; ${markdownCell(c.replacement.because)}`;
        return `${icon} ${resource(c.name, c.type)} ${verb}${why}${stops(c)}`;
      },
      (names) =>
        `${icon} ${replaced.length} resources ${certainty === "replaces" ? "are **replaced**" : "**may be replaced**"}${replaced.some((c) => c.protect) ? ", protected ones among them" : ""}: ${names}`,
      replaced.map((c) => resource(c.name, c.type)),
    );
  }
  const unprotected = changes.filter((c) =>
    (c.changes ?? []).some((x) => ["options.protect", "options.retainOnDelete"].includes(x.path) && x.before === true && x.after !== true),
  );
  grouped(
    items,
    (i) => `🔓 ${resource(unprotected[i].name, unprotected[i].type)} loses \`protect\` or \`retainOnDelete\`: a later change can delete it`,
    (names) => `🔓 ${unprotected.length} resources lose \`protect\` or \`retainOnDelete\`: ${names}`,
    unprotected.map((c) => resource(c.name, c.type)),
  );
  for (const f of diff?.findings ?? []) {
    if (f.kind === "new" && f.finding.enforcementLevel === "mandatory") {
      items.push(`❌ new mandatory violation **${markdownCell(f.finding.controlId)}**: ${markdownCell(f.finding.message)}`);
    }
  }
  if (diff?.findings === undefined) {
    const mandatory = (findings ?? []).filter((f) => f.enforcementLevel === "mandatory");
    if (mandatory.length > 0) items.push(`❌ ${mandatory.length} mandatory policy violation${mandatory.length === 1 ? "" : "s"} (see Policy)`);
  }
  // Against a base plan, what this change alters; without one, everything that differs from its default.
  const settings = security === undefined ? [] : calledOut(security.settings, security.base).filter((s) => security.base === undefined || s.changed);
  for (const s of settings) {
    const why = s.changed ? `changed from ${json(s.base?.value)}` : `differs from ${json(s.expected?.value)} (${markdownCell(s.expected?.what ?? "")})`;
    items.push(`🛡️ security setting ${markdownCode(s.key)} is ${json(s.value)}: ${why}`);
  }
  for (const d of capture.diagnostics.filter((x) => x.severity === "warning")) items.push(`⚠️ ${markdownCell(d.message)}`);
  return items;
}
