import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CapturedResource } from "../tools/engine/capture";
import { planCounts } from "../tools/reports/counts";
import { formatJson } from "../tools/reports/json";
import { plan } from "./helpers";

/**
 * `npm run plan` end to end, the way CI calls it: several reports from one run, a comparison with a
 * base plan, progress and summary on stderr (plain text when not a terminal), nothing else on stdout.
 */

const repoRoot = path.resolve(__dirname, "..");

function runPlan(args: string[]) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", ...args], { cwd: repoRoot, env, encoding: "utf8" });
}

describe("plan CLI reports", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes Markdown, SARIF and JSON in one run, compares with a base and sums up on stderr", async () => {
    const base = await plan();
    const gone = base.resources.find((r) => r.type === "azure-native:storage:StorageAccount") as CapturedResource;
    const extra = { ...gone, urn: `${gone.urn}-old`, name: `${gone.name}-old` };
    fs.writeFileSync(path.join(dir, "base.json"), formatJson({ ...base, resources: [...base.resources, extra] }));

    const out = path.join(dir, "reports");
    const run = runPlan([
      "--no-policy",
      "--compare",
      path.join(dir, "base.json"),
      "--format",
      `markdown=${path.join(out, "dev.md")}`,
      "--format",
      `sarif=${path.join(out, "dev.sarif")}`,
      "--format",
      `json=${path.join(out, "dev.json")}`,
    ]);
    expect(run.stderr).not.toContain("\u001b[");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const steps = run.stderr
      .split("\n")
      .filter((l) => l.startsWith("✓"))
      .map((l) => l.replace(/ \(.*$/, ""));
    expect(steps).toEqual([
      "✓ loading config of dev",
      "✓ running the program under mocks",
      `✓ comparing with ${path.join(dir, "base.json")}`,
      "✓ writing reports",
    ]);
    expect(run.stderr).toMatch(/data-embassy\/dev: \d+ resources in \d+ components · .* · vs dev base: \+0 -1 ~0\n$/);
    // The progress step and the closing line count the same resources as the reports.
    const { resources, components, registrations } = planCounts(base);
    expect(run.stderr).toMatch(
      new RegExp(`running the program under mocks \\([\\d.]+ s\\): ${resources} resources in ${components} components \\(${registrations} registrations\\)`),
    );
    expect(run.stderr).toContain(`data-embassy/dev: ${resources} resources in ${components} components`);

    expect(fs.readFileSync(path.join(out, "dev.md"), "utf8")).toContain(`| ➖ removed | ${extra.name} | \`storage:StorageAccount\` | | | deleted |`);
    expect(JSON.parse(fs.readFileSync(path.join(out, "dev.sarif"), "utf8")).version).toBe("2.1.0");
    expect(JSON.parse(fs.readFileSync(path.join(out, "dev.json"), "utf8")).resources).toHaveLength(base.resources.length);
  });

  it("opens the Markdown report with the security-relevant settings that differ from the defaults or from the base plan", () => {
    const base = path.join(dir, "prod-base.json");
    expect(runPlan(["--stack", "prod", "--no-policy", "--format", `json=${base}`]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(base, "utf8")).securitySettings).toMatchObject({
      environment: "prod",
      protectResources: true,
      policyEnforcement: "Deny",
    });
    const report = path.join(dir, "prod-weakened.md");
    const weakened = [
      "--config",
      "environment=dev",
      "--config",
      "protectResources=false",
      "--config",
      "minDistanceKm=0",
      "--config",
      "policyEnforcement=Audit",
    ];
    const run = runPlan(["--stack", "prod", "--no-policy", ...weakened, "--compare", base, "--format", `markdown=${report}`]);
    expect(run.status).toBe(0);
    const lines = fs.readFileSync(report, "utf8").split("\n");
    // Right under the title: the summary line, then what needs attention, then the settings' table.
    expect(lines.slice(2, 7)).toEqual([
      "### Offline plan: `data-embassy/prod`",
      "",
      // environment=dev drops the Defender plans: two fewer resources than the prod base.
      expect.stringMatching(/^\*\*\d+ resources\*\* in \d+ components .* · vs base: \+0 −\d+ ~\d+ \(\d+ replace\)$/),
      "",
      "#### Needs attention",
    ]);
    expect(lines).toContain('- 🛡️ security setting `environment` is `"dev"`: changed from `"prod"`');
    expect(lines.findIndex((l) => l.startsWith("#### Needs attention"))).toBeLessThan(lines.findIndex((l) => l.startsWith("#### Security-relevant settings")));
    const changed = lines.filter((l) => l.startsWith("| `") && l.includes("**changed**"));
    expect(changed).toEqual([
      '| `environment` | `"dev"` | `"prod"` (the stack\'s name) | **changed** from `"prod"` |',
      "| `protectResources` | `false` | `true` (default) | **changed** from `true` |",
      "| `minDistanceKm` | `0` | `1000` (default) | **changed** from `1000` |",
      '| `policyEnforcement` | `"Audit"` | `"Deny"` (default) | **changed** from `"Deny"` |',
    ]);
    // Prod's own departures from the defaults (stricter ones too) are listed, unchanged against the base.
    expect(lines).toContain('| `wormState` | `"Locked"` | `"Unlocked"` (default) | same |');
    expect(lines.findIndex((l) => l.startsWith("#### Security-relevant settings"))).toBeLessThan(lines.findIndex((l) => l.startsWith("#### Changes against")));
  }, 60000);

  it("refuses two reports on stdout and an unknown format, before running anything", () => {
    const two = runPlan(["--format", "markdown", "--format", "sarif"]);
    expect(two.status).toBe(2);
    expect(two.stderr).toContain("only one report can go to stdout");
    const unknown = runPlan(["--format", "html"]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown format "html"; use one of tree, markdown, sarif, json');
  });
});
