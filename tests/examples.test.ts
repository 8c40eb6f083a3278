import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PolicyFinding } from "../tools/reports/findings";

/**
 * examples/keys-and-storage passes the project's policy pack with its own documented pack config
 * (examples/keys-and-storage/policy-config.json, examples/README.md), and that config relaxes no
 * more than it must: each control it makes advisory does fail.
 */

const repoRoot = path.resolve(__dirname, "..");
const example = path.join(repoRoot, "examples", "keys-and-storage");
const tsNode = require.resolve("ts-node/register/transpile-only", { paths: [repoRoot] });

describe("examples/keys-and-storage with its own pack config", () => {
  it("plans with 0 mandatory violations, and every control its config relaxes is one that fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-plan-"));
    try {
      const out = path.join(dir, "example.json");
      const run = spawnSync(
        process.execPath,
        ["-r", tsNode, path.join(repoRoot, "tools", "plan.ts"), "--project", example, "--stack", "example", "--format", `json=${out}`],
        {
          cwd: repoRoot,
          encoding: "utf8",
          env: { ...process.env, TS_NODE_PROJECT: path.join(repoRoot, "tsconfig.json") },
          timeout: 120000,
        },
      );
      expect(run.stderr).toMatch(/keys-and-storage\/example: 15 resources in 2 components .* policy: 0 mandatory, \d+ advisory/);
      expect(run.status).toBe(0);
      const findings = (JSON.parse(fs.readFileSync(out, "utf8")) as { findings: PolicyFinding[] }).findings;
      const relaxed = Object.keys(JSON.parse(fs.readFileSync(path.join(example, "policy-config.json"), "utf8")) as object).sort();
      expect(findings.every((f) => f.enforcementLevel === "advisory")).toBe(true);
      expect([...new Set(findings.map((f) => f.controlId))].sort()).toEqual(relaxed);
      // No finding speaks of a production stack: the example says it is one (environment: dev).
      expect(findings.filter((f) => /prod stack/.test(f.message))).toEqual([]);
      // The README documents exactly these controls.
      const readme = fs.readFileSync(path.join(repoRoot, "examples", "README.md"), "utf8");
      for (const id of relaxed) expect(readme).toContain(`\`${id}\``);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);
});
