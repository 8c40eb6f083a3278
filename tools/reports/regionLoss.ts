import { checkLetter, LossVerdict } from "../analysis/regionLoss";
import { RestoreEstimate, restoreEstimateText } from "../analysis/restoreEstimate";
import { markdownCell, markdownCode } from "./markdownText";

/**
 * The report's "Losing a region" section: for every region the plan touches (or the regions
 * `--lose` names), whether every register survives its loss, and why a register would not
 * (tools/analysis/regionLoss.ts), plus the data part of the recovery time when registers declare a size.
 */

/** Lost registers detailed per region; the rest are counted. */
const maxRegistersShown = 10;

/** What the section shows. */
export interface RegionLossSection {
  readonly verdicts: readonly LossVerdict[];
  /** The data-restore estimate, when registers declare a size. */
  readonly restore?: RestoreEstimate;
  /** The critical path (provisioning) minutes the estimate adds to. */
  readonly criticalPathMinutes?: number;
}

/** "≈ 29.8 min: 26.9 min critical path + data restore ≥ 2.9 min (…)". */
export function rtoText(section: RegionLossSection): string | undefined {
  const { restore, criticalPathMinutes } = section;
  if (restore === undefined || criticalPathMinutes === undefined) return undefined;
  const total = Math.round((criticalPathMinutes + restore.minutes) * 10) / 10;
  return `RTO ≥ ${total} min: ${criticalPathMinutes} min critical path + ${restoreEstimateText(restore)}; an account failover instead typically completes within ${restore.failoverMinutes} min`;
}

/** The section as Markdown lines (none without verdicts). */
export function regionLossMarkdown(section: RegionLossSection | undefined): string[] {
  if (section === undefined || section.verdicts.every((v) => v.registers.length === 0)) return [];
  const out = [
    "#### Losing a region",
    "",
    "Every resource the plan places in the region taken away; a register survives when one copy keeps (a) a copy outside the region, (b) a key that decrypts it, (c) a private path to read or restore it and (d) a duty's role that can do so (docs/dr-runbook.md, *Lose a region, offline*).",
    "",
    "| Region lost | Resources taken away | Registers | |",
    "| --- | ---: | --- | --- |",
  ];
  for (const v of section.verdicts) {
    const lost = v.registers.filter((r) => !r.survives);
    const verdict = v.registers.length === 0 ? "no registers" : lost.length === 0 ? "all survive" : `**${lost.length} of ${v.registers.length} lost**`;
    out.push(`| ${markdownCode(v.region)} | ${v.removed} | ${verdict} | ${v.survives ? "✅" : "❌"} |`);
  }
  out.push("");
  for (const v of section.verdicts.filter((x) => !x.survives)) {
    out.push(`<details><summary>Losing ${markdownCode(v.region)}: why registers are lost</summary>`, "");
    const lost = v.registers.filter((x) => !x.survives);
    // A PR comment must stay under GitHub's 65,536 characters, whatever the number of registers.
    for (const r of lost.slice(0, maxRegistersShown)) {
      out.push(`- **${markdownCell(r.register)}**${r.copies.length === 0 ? ": no container of this register in the plan" : ""}`);
      for (const c of r.copies) {
        const failed = c.checks.filter((k) => !k.ok);
        out.push(`  - ${markdownCell(c.label)}: ${failed.map((k) => `(${checkLetter[k.check]}) ${markdownCell(k.reason)}`).join("; ")}`);
      }
    }
    if (lost.length > maxRegistersShown) out.push(`- … and ${lost.length - maxRegistersShown} more (all of them: \`npm run plan -- --lose ${v.region}\`)`);
    for (const n of v.notes) out.push(`- note: ${markdownCell(n)}`);
    out.push("", "</details>", "");
  }
  const rto = rtoText(section);
  if (rto !== undefined) out.push(`Recovery time: ${markdownCell(rto)}.`, "");
  return out;
}
