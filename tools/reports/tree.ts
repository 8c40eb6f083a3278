import type { Capture, CapturedResource } from "../engine/capture";
import { criticalPath } from "../analysis/criticalPath";
import { countsText, planCounts } from "./counts";
import { foldedJson } from "./fold";

/** Most characters of an output value shown on its line. */
const outputWidth = 160;

/** Renders a capture as an indented resource tree followed by a count per type. */
export function formatTree(capture: Capture): string {
  const children = new Map<string | undefined, CapturedResource[]>();
  for (const r of capture.resources) {
    const siblings = children.get(r.parent) ?? [];
    siblings.push(r);
    children.set(r.parent, siblings);
  }
  const lines: string[] = [`Offline plan of ${capture.project}/${capture.stack}: ${countsText(planCounts(capture))}`, ""];
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const flags = [r.options.protect ? "protect" : "", r.options.retainOnDelete ? "retain" : ""].filter(Boolean);
      lines.push(`${"  ".repeat(depth)}${r.custom ? "+" : "•"} ${r.type}  ${r.name}${flags.length ? `  [${flags.join(", ")}]` : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);

  // Resources only (components are the bullets above), so the counts add up to the header's.
  const counts = new Map<string, number>();
  for (const r of capture.resources.filter((c) => c.custom)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const width = Math.max(0, ...[...counts.keys()].map((t) => t.length));
  lines.push("", "Resources by type:");
  for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${type.padEnd(width)}  ${String(count).padStart(4)}`);
  }
  if (Object.keys(capture.outputs).length > 0) {
    lines.push("", "Outputs:");
    // A long output (the audit evidence is thousands of characters) is cut short; --json has it whole.
    for (const [key, value] of Object.entries(capture.outputs)) lines.push(`  ${key}: ${foldedJson(value, outputWidth)}`);
  }
  const path = criticalPath(capture);
  lines.push(
    "",
    `Critical path: ${path.chain.length} resources one after another, ≈ ${path.minutes} min to provision (typical Azure times, catalog/resourceTypes.ts, plus the configured waits for role assignments to take effect)`,
  );
  lines.push(`  ${path.chain.map((r) => r.name).join(" → ")}`);
  if (path.untimedTypes.length > 0) lines.push(`  (timed with a default: ${path.untimedTypes.join(", ")})`);
  for (const d of capture.diagnostics) lines.push(`${d.severity}: ${d.message}`);
  return `${lines.join("\n")}\n`;
}
