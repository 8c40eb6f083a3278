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
/** The settings of a register-shard stack of `core` (docs/scale.md), as the plan CLI reads them. */
const shardOf = (core: string, env: string): SecuritySettings => [...environment(env), { key: "coreStack", value: `acme/data-embassy/${core}` }];

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

  it("shows each register-shard stack right after its core, named as its shards", () => {
    const shards = [
      // Names that sort away from their core: the order follows the core, not the name.
      { file: "embassy-archive-1.md", text: formatMarkdown(asStack(dev, "archive-1"), { findings: [], security: { settings: shardOf("dev", "dev") } }) },
      { file: "embassy-prod-shard2.md", text: formatMarkdown(asStack(dev, "prod-shard2"), { findings: [], security: { settings: shardOf("prod", "prod") } }) },
      { file: "embassy-prod-shard1.md", text: formatMarkdown(asStack(dev, "prod-shard1"), { findings: [], security: { settings: shardOf("prod", "prod") } }) },
      // Its own environment unknown: it still follows its core.
      { file: "embassy-zz-dr-shard.md", text: formatMarkdown(asStack(dev, "zz-dr-shard"), { findings: [], security: { settings: shardOf("dr", "") } }) },
    ];
    expect(readStackSummary(shards[1].text)?.coreStack).toBe("acme/data-embassy/prod");
    const comment = prComment([...shards, ...reports()], "https://github.example/run/1");
    const rows = comment.split("\n").filter((l) => /^\| \*\*/.test(l));
    expect(rows.map((r) => r.split("|")[1].trim())).toEqual([
      "**prod**",
      "**prod-shard1** (shards of prod)",
      "**prod-shard2** (shards of prod)",
      "**dr**",
      "**zz-dr-shard** (shards of dr)",
      "**dev**",
      "**archive-1** (shards of dev)",
      "**ee** (data-embassy-state)",
    ]);
    // One comment still: every report folded once, under GitHub's limit.
    expect(comment.match(/<details><summary>[^<]*: the whole report<\/summary>/g)).toHaveLength(8);
    expect(comment.length).toBeLessThanOrEqual(commentLimit);
    // A core stack's summary carries no core.
    expect(readStackSummary(reports()[3].text)?.coreStack).toBeUndefined();
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
