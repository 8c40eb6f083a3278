import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { statefulTypes } from "../policy/rules/protection";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { plan } from "./helpers";
import { basePlan, projectDir, stackAnalyzeOptions } from "./policyHarness";

/** The committed stacks comply, and the plan CLI reports policy results and fails on mandatory ones. */

let runner: PolicyRunner;
beforeAll(async () => {
  runner = await PolicyRunner.start();
}, 60000);
afterAll(async () => {
  await runner?.close();
});

describe("the stacks' plans", () => {
  it.each(["dev", "prod", "dr"])("%s has no mandatory violation", async (stack) => {
    const report = await runner.analyze(await plan({ stack }), stackAnalyzeOptions({}, stack));
    expect(report.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it.each(["dev", "prod"] as const)("%s: retainOnDelete goes with protect on every stateful resource (the pack only sees protect)", async (base) => {
    const stateful = (await basePlan(base)).resources.filter((r) => (statefulTypes as readonly string[]).includes(r.type));
    expect(stateful.length).toBeGreaterThan(0);
    expect(stateful.filter((r) => r.options.retainOnDelete !== r.options.protect).map((r) => r.urn)).toEqual([]);
    expect(stateful.every((r) => r.options.protect === (base === "prod"))).toBe(true);
  });
});

describe("npm run plan", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the plan CLI with a policy config that approves only North Europe, so West Europe's resources break approved-locations. */
  function planWith(config: Record<string, unknown>, ...args: string[]) {
    const file = path.join(dir, `${Object.keys(config).length}-${args.length}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", "--policy-config", file, ...args], {
      cwd: projectDir,
      encoding: "utf8",
    });
  }

  it("prints pass/fail per control with its ids and exits 3 on a mandatory violation", () => {
    const run = planWith({ "approved-locations": { approvedRegions: ["northeurope"] } });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/Policy pack data-embassy-baseline/);
    expect(run.stdout).toMatch(/FAIL {2}approved-locations +AP e56962a6,e765b5de {2}\[mandatory\]/);
    expect(run.stdout).toMatch(/PASS {2}storage-https-only +CIS 4\.1\/9\.3\.4 · AP 404c3081/);
    expect(run.stdout).toMatch(/ResourceGroup embassy-rg: location westeurope is not an approved region/);
  }, 120000);

  it("exits 0 when the violations are advisory, and carries the results under `policy` in --json", () => {
    const run = planWith({ "approved-locations": { enforcementLevel: "advisory", approvedRegions: ["northeurope"] } }, "--json");
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      resources: unknown[];
      policy: { summary: { mandatory: number; advisory: number }; violations: { policyName: string }[] };
    };
    expect(doc.resources.length).toBeGreaterThan(0);
    expect(doc.policy.summary.mandatory).toBe(0);
    expect(doc.policy.violations.map((v) => v.policyName)).toContain("approved-locations");
  }, 120000);
});
