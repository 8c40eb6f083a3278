import type { Capture } from "../engine/capture";
import { ComponentGroup, componentGroups, countTypes, groupEdges, groupOf, shortType } from "./components";
import type { PolicyFinding } from "./findings";

/**
 * A Mermaid flowchart of the component instances and the dependencies between them, which GitHub
 * renders in a ```mermaid block. A component that contains others is a subgraph; arrows point
 * from a prerequisite to what needs it (creation order). Node ids are generated (`n0`, `g0`…), never
 * taken from resource names, and every label is escaped, so no name can break the syntax.
 */

/** Label characters Mermaid takes literally inside `["…"]`; everything else becomes an entity code. */
const plainLabelChar = /[A-Za-z0-9 .,:/()_+-]/;

/** Escapes text for a quoted Mermaid label: `#quot;`-style decimal entity codes for anything unusual. */
export function mermaidText(text: string): string {
  return Array.from(text, (ch) => (plainLabelChar.test(ch) ? ch : `#${ch.codePointAt(0)};`)).join("");
}

/** A quoted label from lines of text (joined with Mermaid's `<br/>`). */
function label(lines: readonly string[]): string {
  return `"${lines.map(mermaidText).join("<br/>")}"`;
}

/** At most this many type lines per node; the rest are summarised. */
const maxTypeLines = 6;

function typeLines(group: ComponentGroup): string[] {
  const counts = countTypes(group.resources);
  const lines = counts.slice(0, maxTypeLines).map(([type, n]) => `${n} × ${shortType(type)}`);
  if (counts.length > maxTypeLines) {
    const rest = counts.slice(maxTypeLines).reduce((sum, [, n]) => sum + n, 0);
    lines.push(`… ${rest} more`);
  }
  return lines;
}

const title = (group: ComponentGroup) => `${group.component.name} · ${shortType(group.component.type)}`;

/** The diagram's Mermaid source (without the ``` fence). */
export function componentDiagram(capture: Capture, findings: readonly PolicyFinding[] = []): string {
  const groups = componentGroups(capture);
  const edges = groupEdges(capture, groups);
  const endpoints = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodeIds = new Map<string, string>();
  let subgraphs = 0;
  const lines = ["flowchart LR"];

  const emit = (urn: string, indent: string, isRoot: boolean) => {
    const group = groups.get(urn);
    if (group === undefined) return;
    // The root stack is no box of its own; a component holding others is a subgraph.
    const boxed = group.children.length > 0 && !isRoot;
    const needsNode = group.resources.length > 0 || endpoints.has(urn) || (group.children.length === 0 && !isRoot);
    const inner = boxed ? `${indent}  ` : indent;
    if (boxed) lines.push(`${indent}subgraph g${subgraphs++}[${label([title(group)])}]`);
    if (needsNode) {
      const id = `n${nodeIds.size}`;
      nodeIds.set(urn, id);
      const text = boxed ? (group.resources.length > 0 ? typeLines(group) : ["(the component itself)"]) : [title(group), ...typeLines(group)];
      lines.push(`${inner}${id}[${label(text)}]`);
    }
    for (const child of group.children) emit(child, inner, false);
    if (boxed) lines.push(`${indent}end`);
  };
  for (const [urn, group] of groups) {
    if (group.parent === undefined) emit(urn, "  ", group.component.type === "pulumi:pulumi:Stack");
  }

  for (const edge of edges) {
    const from = nodeIds.get(edge.from);
    const to = nodeIds.get(edge.to);
    if (from !== undefined && to !== undefined) lines.push(`  ${from} --> ${to}`);
  }

  // Components holding a resource that breaks a mandatory control are outlined in red.
  const owner = groupOf(groups);
  const flagged = new Set(
    findings
      .filter((f) => f.enforcementLevel === "mandatory" && f.urn !== undefined)
      .map((f) => nodeIds.get(owner.get(f.urn as string) ?? ""))
      .filter((id): id is string => id !== undefined),
  );
  if (flagged.size > 0) {
    lines.push("  classDef violation stroke:#d1242f,stroke-width:3px");
    lines.push(`  class ${[...flagged].sort().join(",")} violation`);
  }
  return `${lines.join("\n")}\n`;
}
