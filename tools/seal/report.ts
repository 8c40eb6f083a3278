import type { Evidence, StepEvidence } from "./evidence";
import type { SealPlan } from "./sealPlan";
import type { Source } from "./sources";

/** What the seal prints for people: the dry run's plan and a real run's step-by-step result. */

function distinctSources(plan: SealPlan): Source[] {
  const byUrl = new Map<string, Source>();
  for (const step of plan.steps) for (const source of step.sources) byUrl.set(source.url, source);
  return [...byUrl.values()];
}

/**
 * The dry run's report: every lock with its resource id, reason and sources, what is left alone,
 * and Microsoft's statements on what a lock cannot undo.
 */
export function formatPlan(plan: SealPlan, outputsSource: string): string {
  const sources = distinctSources(plan);
  const ref = (s: Source) => `[${sources.indexOf(s) + 1}]`;
  const lines = [
    `Seal plan for stack "${plan.stack}" — dry run: nothing is read from or written to Azure.`,
    `  outputs: ${outputsSource}`,
    `  subscription ${plan.subscriptionId}, resource group ${plan.resourceGroup}`,
    "",
    `Would lock ${plan.steps.length} polic${plan.steps.length === 1 ? "y" : "ies"}, Unlocked → Locked (a real run reads each first and skips what is already Locked).`,
    "IRREVERSIBLE: a Locked policy cannot be unlocked, shortened or deleted; its retention can only be extended.",
  ];
  plan.steps.forEach((step, i) => {
    lines.push(`  ${i + 1}. ${step.label}`, `     ${step.resourceId}`, `     why: ${step.reason}`, `     sources: ${step.sources.map(ref).join(" ")}`);
  });
  if (plan.notSealed.length > 0) {
    lines.push("", "Left as they are:");
    for (const n of plan.notSealed) lines.push(`  - ${n.what}: ${n.reason}`);
  }
  lines.push("", "What Microsoft says:");
  sources.forEach((s, i) => lines.push(`  [${i + 1}] ${s.title}`, `      "${s.quote}"`, `      ${s.url}`));
  return `${lines.join("\n")}\n`;
}

const marks: Record<StepEvidence["outcome"], string> = {
  planned: "·",
  locked: "✓ locked",
  "already-sealed": "= already sealed",
  "covered-by-account-policy": "= no own policy; the account's Locked WORM default applies",
  failed: "✗ FAILED",
  "not-attempted": "- not attempted",
};

/** A real run's result: one line per step, then the verdict and where the evidence is. */
export function formatResult(evidence: Evidence, evidenceFile: string): string {
  const lines = evidence.steps.map((s) => {
    const etag = s.ifMatch ? ` (If-Match ${s.ifMatch})` : "";
    const error = s.error === undefined ? "" : `\n      ${s.error}`;
    return `  ${marks[s.outcome]}: ${s.label}${etag}${error}`;
  });
  const count = (o: StepEvidence["outcome"]) => evidence.steps.filter((s) => s.outcome === o).length;
  const summary =
    evidence.result === "sealed" || evidence.result === "already-sealed"
      ? `Stack "${evidence.stack}" is sealed: ${count("locked")} locked now, ${count("already-sealed") + count("covered-by-account-policy")} already sealed, ${evidence.writes} write${evidence.writes === 1 ? "" : "s"}.`
      : `Stack "${evidence.stack}" is NOT sealed (${evidence.result}): ${count("locked")} locked now, ${count("failed")} failed, ${count("not-attempted")} not attempted.`;
  const caller = evidence.caller === undefined ? "" : ` as ${evidence.caller.upn ?? evidence.caller.appid ?? evidence.caller.oid}`;
  const left = evidence.notSealed.map((n) => `  (left as it is) ${n.what}: ${n.reason}`);
  return `${[...lines, ...left].join("\n")}\n${summary}${caller}\nEvidence: ${evidenceFile}\n`;
}
