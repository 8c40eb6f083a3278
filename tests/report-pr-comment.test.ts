import type { Capture, CapturedResource } from "../tools/engine/capture";
import { comparePlans } from "../tools/analysis/compare";
import { formatMarkdown, readStackSummary } from "../tools/reports/markdown";
import { commentLimit, commentMarker, prComment } from "../tools/reports/prComment";
import type { SecuritySettings } from "../tools/reports/security";
import { plan } from "./helpers";

/**
 * The pull request's one comment, made of the stacks' Markdown reports: a summary table across
 * stacks with prod first, what needs attention on top, the reports folded, and never more than
 * GitHub accepts.
 */

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const environment = (value: string): SecuritySettings => [{ key: "environment", value, expected: { value, what: "the stack's name" } }];

/** The dev plan as another stack of the same project. */
function asStack(capture: Capture, stack: string): Capture {
  const renamed = JSON.parse(JSON.stringify(capture).split(`urn:pulumi:${capture.stack}::`).join(`urn:pulumi:${stack}::`)) as Capture;
  return { ...renamed, stack };
}

describe("PR comment", () => {
  let dev: Capture;
  beforeAll(async () => {
    dev = await plan();
  });

  function reports() {
    const prod = asStack(dev, "prod");
    const moved = clone(prod);
    (moved.resources.find((r) => r.name === "embassy-storage-account") as CapturedResource).inputs.location = "swedencentral";
    const state: Capture = { ...clone(dev), project: "data-embassy-state", stack: "ee", resources: dev.resources.slice(0, 5) };
    return [
      // In file order, as the workflow finds them: bootstrap first, prod last.
      { file: "bootstrap-ee.md", text: formatMarkdown(state, { findings: [] }) },
      { file: "embassy-dev.md", text: formatMarkdown(dev, { findings: [], security: { settings: environment("dev") } }) },
      { file: "embassy-dr.md", text: formatMarkdown(asStack(dev, "dr"), { findings: [], security: { settings: environment("dr") } }) },
      {
        file: "embassy-prod.md",
        text: formatMarkdown(moved, { findings: [], diff: comparePlans(prod, moved), security: { settings: environment("prod") } }),
      },
    ];
  }

  it("opens with one summary table across stacks: prod, dr, dev, then other projects", () => {
    const comment = prComment(reports(), "https://github.example/run/1");
    const lines = comment.split("\n");
    expect(lines[0]).toBe(commentMarker);
    const rows = lines.filter((l) => /^\| \*\*/.test(l));
    expect(rows.map((r) => r.split("|")[1].trim())).toEqual(["**prod**", "**dr**", "**dev**", "**ee** (data-embassy-state)"]);
    expect(rows[0]).toContain("| +0 −0 ~1 | ⚠️ 1 may be | ✅ pass |");
    expect(rows[1]).toContain("| no base | — | ✅ pass |");
    // Every row counts resources as the stack's own report does.
    const counted = reports().map((r) => readStackSummary(r.text)?.resources);
    expect(rows.map((r) => Number(/\| (\d+) in \d+ components? \|/.exec(r)?.[1])).sort()).toEqual([...counted].sort());
  });

  it("puts what needs attention above the reports, the prod replacement first", () => {
    const comment = prComment(reports(), "https://github.example/run/1");
    const attention = comment.indexOf("### Needs attention");
    const first = comment.indexOf("<details>");
    expect(attention).toBeGreaterThan(0);
    expect(attention).toBeLessThan(first);
    const bullets = comment
      .slice(attention, first)
      .split("\n")
      .filter((l) => l.startsWith("- "));
    expect(bullets[0]).toMatch(/^- ⚠️ \*\*embassy-storage-account\*\* \(`storage:StorageAccount`\) \*\*may be replaced\*\*: `location` changes/);
    // The reports are folded, each once, without their hidden summary line.
    expect(comment.match(/<details><summary>[^<]*: the whole report<\/summary>/g)).toHaveLength(4);
    expect(comment).not.toContain("data-embassy-plan-summary");
  });

  it("stays under GitHub's limit: reports that do not fit are named with a link to the artifacts, never cut", () => {
    const big = reports().map((r) => ({ ...r, text: `${r.text}\n${"padding line\n".repeat(2500)}` }));
    const comment = prComment(big, "https://github.example/run/1");
    expect(comment.length).toBeLessThanOrEqual(commentLimit);
    expect(comment).toMatch(
      /Not shown here, too long for one comment: .*; every report is whole in \[the run's artifacts\]\(https:\/\/github\.example\/run\/1\)/,
    );
    // The table still covers every stack.
    expect(comment.split("\n").filter((l) => /^\| \*\*/.test(l))).toHaveLength(4);
  });

  it("says where to look when no stack wrote a report", () => {
    expect(prComment([], "https://github.example/run/1")).toContain("No plan report: see [the run](https://github.example/run/1).");
  });
});
