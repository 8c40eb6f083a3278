import type { Capture } from "../engine/capture";
import { changeCounts, PlanDiff } from "../analysis/compare";
import { criticalPath } from "../analysis/criticalPath";
import { countsText, planCounts } from "./counts";
import { countByLevel, PolicyFinding } from "./findings";
import { Palette, palette } from "./progress";
import { regionsTouched } from "./regions";

/** The compact closing line of `plan`: size, regions, policy verdict, critical path, change against the base. */
export function formatSummary(
  capture: Capture,
  extras: { findings?: readonly PolicyFinding[]; diff?: PlanDiff } = {},
  colours: Palette = palette(false),
): string {
  const { red, yellow, green, bold } = colours;
  const regions = regionsTouched(capture)
    .filter((r) => !r.global)
    .map((r) => (r.resources > 0 ? r.region : `+${r.region} replicas`));
  const parts = [`${bold(`${capture.project}/${capture.stack}`)}: ${countsText(planCounts(capture))}`, regions.join(", ") || "no region"];
  if (extras.findings === undefined) {
    parts.push("policy not run");
  } else {
    const { mandatory, advisory } = countByLevel(extras.findings);
    parts.push(
      mandatory + advisory === 0
        ? green("policy: no violations")
        : `policy: ${mandatory > 0 ? red(`${mandatory} mandatory`) : "0 mandatory"}, ${advisory > 0 ? yellow(`${advisory} advisory`) : "0 advisory"}`,
    );
  }
  const path = criticalPath(capture);
  if (path.chain.length > 0) parts.push(`critical path ≈ ${path.minutes} min`);
  if (extras.diff !== undefined) {
    const c = changeCounts(extras.diff);
    const replacing = c.replaced + c.mayReplace > 0 ? ` (${c.replaced} replaced, ${c.mayReplace} may be)` : "";
    parts.push(`vs ${extras.diff.base.stack} base: +${c.added} -${c.removed} ~${c.changed}${replacing}`);
  }
  return `${parts.join(" · ")}\n`;
}
