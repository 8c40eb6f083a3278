import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { controls } from "../catalog/controls";
import { rules } from "../policy/rules";
import { generatedPackConfigs, leftoverPackConfigs } from "../tools/generators/generatePolicyConfig";
import { mergePackConfigs, PackConfigFile, PolicyConfigError, pinnedRelaxations, readPackConfig } from "../tools/gate/policyConfig";
import { readProjectSettings } from "../tools/engine/projectSettings";
import { packConfigFor, packConfigPath, packOwnedProperties, pinnedProperties, stackFactProperties } from "../tools/gate/stackPackConfig";

/**
 * One pack configuration per stack, generated from the validated settings (policy/config/, `npm run
 * gen:policy-config`): current, complete, pinned for prod and dr, and what the plan CLI runs with.
 */

const repoRoot = path.resolve(__dirname, "..");
const bootstrapDir = path.join(repoRoot, "bootstrap");
const committed = (project: string, stack: string) => readPackConfig(packConfigPath(project, stack));
const entry = (config: PackConfigFile, policy: string) => config[policy] as Record<string, unknown>;

function runPlan(args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", ...args], { cwd: repoRoot, encoding: "utf8" });
}

describe("generated pack configs", () => {
  it("are current: one per stack of the embassy and of bootstrap/, none left over (run `npm run gen:policy-config`)", () => {
    const generated = generatedPackConfigs();
    expect(generated.map((g) => g.file).sort()).toEqual(
      ["data-embassy.dev.json", "data-embassy.dr.json", "data-embassy.prod.json", "data-embassy-state.ee.json"]
        .map((f) => path.join("policy", "config", f))
        .sort(),
    );
    for (const g of generated) expect([g.file, fs.readFileSync(path.join(repoRoot, g.file), "utf8")]).toEqual([g.file, g.text]);
    expect(leftoverPackConfigs(generated)).toEqual([]);
  });

  it("cover every policy property a rule declares: a stack fact, pinned, or left to the pack on purpose", () => {
    const known: string[] = [...stackFactProperties, ...pinnedProperties, ...packOwnedProperties];
    const declared = controls.flatMap((c) => Object.keys(rules[c.id as keyof typeof rules].config ?? {}).map((p) => `${c.id}.${p}`));
    expect(declared.filter((d) => !known.includes(d.split(".")[1]))).toEqual([]);
    // Each stack fact is read by some policy (a fact nobody reads is a leftover).
    for (const fact of stackFactProperties) expect([fact, declared.some((d) => d.endsWith(`.${fact}`))]).toEqual([fact, true]);
  });

  it("carry the validated settings, defaults applied, to every policy that declares them", () => {
    const { settings } = readProjectSettings(repoRoot, "dev") as Extract<ReturnType<typeof readProjectSettings>, { kind: "embassy" }>;
    const dev = committed("data-embassy", "dev");
    expect(dev.all).toBeUndefined();
    expect(entry(dev, "approved-locations").approvedRegions).toEqual(settings.approvedRegions);
    expect(entry(dev, "allowed-locations-assignment").approvedRegions).toEqual(settings.approvedRegions);
    expect(entry(dev, "auditor-read-only").auditors).toEqual(settings.auditors);
    expect(entry(dev, "duty-least-privilege")).toEqual({
      operators: settings.operators,
      dataIngestPrincipals: settings.dataIngestPrincipals,
      keyCustodians: settings.keyCustodians,
    });
    const names = settings.registers.map((r) => r.name);
    for (const policy of ["register-container-worm", "container-encryption-scope-enforced", "key-per-register"])
      expect(entry(dev, policy).registers).toEqual(names);
    // Every register's retention, the schema's default included where the stack file states none.
    expect(entry(dev, "register-container-worm").registerRetentionDays).toEqual(Object.fromEntries(settings.registers.map((r) => [r.name, r.retentionDays])));
    const withDefault = packConfigFor(repoRoot, "dev", { registers: [{ name: "population", description: "Population register" }] }).config;
    expect(entry(withDefault, "register-container-worm").registerRetentionDays).toEqual({ population: 3650 });
  });

  it.each(["prod", "dr"])("%s is pinned: every policy mandatory, prod and dr locked", (stack) => {
    const config = committed("data-embassy", stack);
    expect(Object.keys(config)[0]).toBe("all");
    expect(config.all).toBe("mandatory");
    const levels = Object.values(config).flatMap((e) => (typeof e === "string" ? [e] : e.enforcementLevel === undefined ? [] : [e.enforcementLevel]));
    expect(new Set(levels)).toEqual(new Set(["mandatory"]));
    const locking = controls.filter((c) => "lockedEnvironments" in (rules[c.id as keyof typeof rules].config ?? {})).map((c) => c.id);
    expect(locking).toEqual(expect.arrayContaining(["storage-worm", "backup-immutability"]));
    for (const policy of locking) expect([policy, entry(config, policy).lockedEnvironments]).toEqual([policy, expect.arrayContaining(["prod", "dr"])]);
  });

  it("pins a stack named prod that calls itself dev, and locks its own environment too", () => {
    const renamed = packConfigFor(repoRoot, "prod", { environment: "dev", protectResources: false });
    expect(renamed).toMatchObject({ pinned: true, environment: "dev" });
    expect(renamed.config.all).toBe("mandatory");
    expect(entry(renamed.config, "storage-worm").lockedEnvironments).toEqual(["prod", "dr", "dev"]);
    expect(packConfigFor(repoRoot, "dev").pinned).toBe(false);
  });

  it("bootstrap: the key admins are the key custodians, and the project's advisory exceptions are merged in", () => {
    const state = committed("data-embassy-state", "ee");
    const exceptions = readPackConfig(path.join(bootstrapDir, "policy-config.json"));
    expect(entry(state, "duty-least-privilege")).toEqual({ keyCustodians: ["3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24"] });
    for (const [policy, level] of Object.entries(exceptions)) {
      const got = state[policy];
      expect([policy, typeof got === "string" ? got : got.enforcementLevel]).toEqual([policy, level]);
    }
    expect(entry(state, "storage-worm").lockedEnvironments).toEqual(["prod", "dr"]);
  });

  it("a project's exceptions may not relax a pinned stack", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinned-"));
    try {
      for (const f of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, "policy-config.json"), JSON.stringify({ "storage-worm": "advisory" }));
      expect(() => packConfigFor(dir, "prod")).toThrow(PolicyConfigError);
      expect(() => packConfigFor(dir, "prod")).toThrow(/may not relax the pinned stack prod: storage-worm is advisory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("merging and pinning pack configs", () => {
  const pinned: PackConfigFile = { all: "mandatory", "approved-locations": { approvedRegions: ["westeurope"] } };

  it("merges per policy: a bare level keeps the properties, properties replace by name", () => {
    expect(mergePackConfigs(pinned, { "approved-locations": "advisory", "storage-worm": "disabled" })).toEqual({
      all: "mandatory",
      "approved-locations": { enforcementLevel: "advisory", approvedRegions: ["westeurope"] },
      "storage-worm": "disabled",
    });
    expect(mergePackConfigs(pinned, { "approved-locations": { approvedRegions: ["northeurope"] } })["approved-locations"]).toEqual({
      approvedRegions: ["northeurope"],
    });
  });

  it("finds every relaxation of a pinned config, and none in a restatement", () => {
    expect(pinnedRelaxations(pinned, { all: "mandatory", "approved-locations": { enforcementLevel: "mandatory", approvedRegions: ["westeurope"] } })).toEqual(
      [],
    );
    expect(pinnedRelaxations(pinned, { all: "advisory" })).toEqual(["all is advisory"]);
    expect(pinnedRelaxations(pinned, { "storage-worm": "disabled", "approved-locations": { approvedRegions: ["westeurope", "eastus"] } })).toEqual([
      "storage-worm is disabled",
      "approved-locations.approvedRegions differs",
    ]);
    expect(pinnedRelaxations(pinned, { "keys-rsa-minimum-size": { minimumRsaKeySize: 2048 } })).toEqual(["keys-rsa-minimum-size.minimumRsaKeySize differs"]);
  });
});

describe("the plan CLI with the generated config", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinned-plan-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(["prod", "dr"])("%s: refuses a --policy-config that lowers a policy below mandatory, in one line, before the program runs", (stack) => {
    const file = path.join(dir, `${stack}.json`);
    fs.writeFileSync(file, JSON.stringify({ "storage-tls-minimum": "advisory" }));
    const run = runPlan(["--stack", stack, "--policy-config", file, "--format", `markdown=${path.join(dir, "out", `${stack}.md`)}`]);
    expect(run.status).toBe(1);
    const errors = run.stderr.split("\n").filter((l) => l.startsWith("plan: error:"));
    expect(errors).toEqual([
      `plan: error: --policy-config ${file} may not relax stack ${stack} (environment ${stack}), which runs every policy mandatory with policy/config/data-embassy.${stack}.json: storage-tls-minimum is advisory`,
    ]);
    expect(run.stderr).not.toContain("running the program");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("runs the pack with the stack's generated config, and warns when --config makes it differ from the committed file", () => {
    const auditor = "8a7c6b5d-4e3f-4a2b-9c1d-0e9f8a7b6c5e";
    const run = runPlan(["--config", `auditors=["${auditor}"]`, "--format", `json=${path.join(dir, "dev.json")}`]);
    expect(run.stderr).toMatch(/✓ running the policy pack \(.*\): \d+ of \d+ controls fail \(config policy\/config\/data-embassy\.dev\.json\)/);
    expect(run.stderr).toContain(
      "warning: --config changes the stack's pack config, so it differs from policy/config/data-embassy.dev.json; the live pulumi preview/up reads that file (run npm run gen:policy-config)",
    );
    expect(packConfigFor(repoRoot, "dev", { auditors: [auditor] }).config["auditor-read-only"]).toEqual({ auditors: [auditor] });
  }, 60000);

  it("gen:policy-config --check passes on the committed files, and --help describes it", () => {
    const script = ["-r", "ts-node/register/transpile-only", "tools/generators/generatePolicyConfig.ts"];
    const check = spawnSync(process.execPath, [...script, "--check"], { cwd: repoRoot, encoding: "utf8" });
    expect([check.status, check.stderr]).toEqual([0, ""]);
    const help = spawnSync(process.execPath, [...script, "--help"], { cwd: repoRoot, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--check");
  });
});
