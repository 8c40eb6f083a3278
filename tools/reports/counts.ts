import type { Capture } from "../engine/capture";
import { plural } from "./markdownText";

/**
 * The one definition of "how big is this plan" every report uses (tree, Markdown, summary line,
 * progress, comparison, PR comment): **resources** are what the providers create — custom
 * resources, each a `pulumi up` step; **components** are the groupings around them; the stack
 * itself is neither. Registrations = resources + components + the stack.
 */

/** The sizes of one plan. */
export interface PlanCounts {
  /** Custom (provider-backed) resources. */
  readonly resources: number;
  /** Component resources, the stack excluded. */
  readonly components: number;
  /** Everything the program registered. */
  readonly registrations: number;
}

/** Counts `capture` by the definition above. */
export function planCounts(capture: Pick<Capture, "resources">): PlanCounts {
  const resources = capture.resources.filter((r) => r.custom).length;
  const components = capture.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
  return { resources, components, registrations: capture.resources.length };
}

/** `163 resources in 6 components`. */
export function countsText(counts: PlanCounts): string {
  return `${plural(counts.resources, "resource")} in ${plural(counts.components, "component")}`;
}
