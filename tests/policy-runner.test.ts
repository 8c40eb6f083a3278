import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { controls, packName } from "../catalog/controls";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { PolicyConfigError } from "../tools/gate/policyConfig";
import { defaultPackDir, packLaunch } from "../tools/gate/policyPack";
import { PolicyRunner, runPolicyPack } from "../tools/gate/policyRunner";

/** The offline runner end to end: the real pack, started as the CLI starts it, over gRPC. */

let runner: PolicyRunner;
beforeAll(async () => {
  runner = await PolicyRunner.start();
}, 60000);
afterAll(async () => {
  await runner?.close();
});

const urn = (type: string, name: string) => `urn:pulumi:test::data-embassy::${type}::${name}`;

function resource(type: string, name: string, inputs: Record<string, unknown>, protect = false): CapturedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    custom: true,
    dependencies: [],
    inputs,
    options: { protect, retainOnDelete: protect, ignoreChanges: [], replaceOnChanges: [] },
  };
}

/** A stack with one resource group and one storage account that breaks several storage controls. */
function weakStack(): Capture {
  return {
    project: "data-embassy",
    stack: "test",
    outputs: {},
    diagnostics: [],
    resources: [
      resource("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: "rg-test", location: "westeurope", tags: { environment: "dev" } }),
      resource("azure-native:storage:StorageAccount", "weak", {
        accountName: "stweak",
        resourceGroupName: "rg-test",
        location: "westeurope",
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        enableHttpsTrafficOnly: false,
        minimumTlsVersion: "TLS1_2",
        tags: { environment: "dev" },
      }),
    ],
  };
}

describe("the policy pack over the analyzer protocol", () => {
  it("describes itself as the catalog: one mandatory policy per control, named by id, in catalog order", async () => {
    const info = await runner.info();
    const { version } = JSON.parse(fs.readFileSync(path.join(defaultPackDir, "package.json"), "utf8")) as { version: string };
    expect(info.name).toBe(packName);
    expect(info.version).toBe(version);
    expect(info.policies.map((p) => p.name)).toEqual(controls.map((c) => c.id));
    expect(new Set(info.policies.map((p) => p.enforcementLevel))).toEqual(new Set(["mandatory"]));
    expect(info.policies.find((p) => p.name === "approved-locations")?.configProperties).toEqual(["approvedRegions"]);
  });

  it("reports resource violations with the resource's URN, type, level and severity", async () => {
    const capture = weakStack();
    const report = await runner.analyze(capture);
    const https = report.violations.find((v) => v.policyName === "storage-https-only");
    expect(https).toEqual({
      controlId: "storage-https-only",
      policyName: "storage-https-only",
      urn: capture.resources[1].urn,
      resourceType: "azure-native:storage:StorageAccount",
      message: "enableHttpsTrafficOnly is false, must be true",
      enforcementLevel: "mandatory",
      severity: "high",
    });
    expect(report.summary.mandatory).toBe(report.violations.length);
  });

  it("reports stack violations (AnalyzeStack) against the resource they concern", async () => {
    const capture = weakStack();
    const report = await runner.analyze(capture);
    const endpoint = report.violations.filter((v) => v.policyName === "storage-private-endpoint");
    expect(endpoint.map((v) => [v.urn, v.message])).toEqual([[capture.resources[1].urn, "StorageAccount stweak has no private endpoint for blob"]]);
  });

  it("gives every control a status: fail with violations, n/a without its resources, pass otherwise", async () => {
    const report = await runner.analyze(weakStack());
    const status = Object.fromEntries(report.controls.map((c) => [c.controlId, c.status]));
    expect(status["storage-https-only"]).toBe("fail");
    expect(status["storage-tls-minimum"]).toBe("pass");
    expect(status["kv-rbac"]).toBe("not-applicable");
    expect(status["backup-multi-user-authorization"]).toBe("not-applicable");
    expect(report.summary.failed + report.summary.passed + report.summary.notApplicable).toBe(controls.length);
    const https = report.controls.find((c) => c.controlId === "storage-https-only");
    expect(https).toMatchObject({ cis: { v3: ["4.1"], v6: ["9.3.4"] }, azurePolicy: ["404c3081-a854-4457-ae30-26a93ef643f9"], violations: 1 });
  });

  it("applies pack config as the CLI does: per policy, `all`, and disabled", async () => {
    const report = await runner.analyze(weakStack(), {
      packConfig: { all: "advisory", "storage-https-only": { enforcementLevel: "mandatory" }, "storage-geo-redundant": "disabled" },
    });
    const levels = Object.fromEntries(report.violations.map((v) => [v.policyName, v.enforcementLevel]));
    expect(levels["storage-https-only"]).toBe("mandatory");
    expect(levels["storage-public-network-disabled"]).toBe("advisory");
    expect(levels["storage-geo-redundant"]).toBeUndefined();
    expect(report.controls.find((c) => c.controlId === "storage-geo-redundant")?.status).toBe("disabled");
    expect(report.summary.mandatory).toBe(1);
  });

  it("takes policy properties from the pack config only: the stack config reaches ConfigureStack, as with the CLI, and decides nothing", async () => {
    const capture = weakStack();
    const stackConfig = { "data-embassy:approvedRegions": JSON.stringify(["northeurope"]) };
    const fromStack = await runner.analyze(capture, { stackConfig });
    expect(fromStack.violations.filter((v) => v.policyName === "approved-locations")).toEqual([]);
    const fromPackConfig = await runner.analyze(capture, { stackConfig, packConfig: { "approved-locations": { approvedRegions: ["northeurope"] } } });
    expect(fromPackConfig.violations.filter((v) => v.policyName === "approved-locations").length).toBe(2);
  });

  it("refuses config for a policy the pack does not have", async () => {
    await expect(runner.analyze(weakStack(), { packConfig: { "storage-https": "advisory" } })).rejects.toThrow(PolicyConfigError);
    await expect(runner.analyze(weakStack(), { packConfig: { "storage-https-only": "optional" as never } })).rejects.toThrow(/not one of advisory/);
  });
});

describe("reusing answers (reuseAnswers)", () => {
  it("reports exactly what asking afresh reports, as config and resources change", async () => {
    const reusing = await PolicyRunner.start({ reuseAnswers: true });
    try {
      const fixed = weakStack();
      fixed.resources[1].inputs.enableHttpsTrafficOnly = true;
      const passes: [Capture, Parameters<PolicyRunner["analyze"]>[1]][] = [
        [weakStack(), {}],
        [weakStack(), { packConfig: { all: "advisory" } }],
        [weakStack(), { packConfig: { "approved-locations": { approvedRegions: ["northeurope"] } } }],
        [fixed, {}],
        [weakStack(), {}],
      ];
      for (const [capture, options] of passes) {
        expect(await reusing.analyze(capture, options)).toEqual(await runner.analyze(capture, options));
      }
    } finally {
      await reusing.close();
    }
  });
});

describe("starting a pack", () => {
  it("reports a pack that does not start, with its error output", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-pack-"));
    try {
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1", main: "index.js" }));
      fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("broken pack");\n');
      fs.symlinkSync(path.join(defaultPackDir, "node_modules"), path.join(dir, "node_modules"));
      await expect(runPolicyPack(weakStack(), {}, { packDir: dir })).rejects.toThrow(/exited \(code \d+\) before printing its port[\s\S]*broken pack/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is launched as the Pulumi CLI launches it: run-policy-pack from the pack's folder, stack facts in the environment", () => {
    const launch = packLaunch(defaultPackDir, {
      organization: "organization",
      project: "data-embassy",
      stack: "prod",
      config: { "data-embassy:environment": "prod" },
    });
    expect(launch.command).toBe(process.execPath);
    const runPolicyPack = path.join(defaultPackDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js");
    expect(launch.args).toEqual([fs.realpathSync(runPolicyPack), expect.any(String), defaultPackDir]);
    expect(launch.cwd).toBe(defaultPackDir);
    expect(launch.env).toEqual({
      PULUMI_NODEJS_ORGANIZATION: "organization",
      PULUMI_NODEJS_PROJECT: "data-embassy",
      PULUMI_NODEJS_STACK: "prod",
      PULUMI_NODEJS_DRY_RUN: "true",
      PULUMI_CONFIG: '{"data-embassy:environment":"prod"}',
    });
  });

  it("starts from a copy of its folder alone, also with the CLI's default TypeScript launch, and judges as the original does", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "lone-pack-"));
    const copy = path.join(root, "policy");
    try {
      // What a published pack carries: its manifest, its package, the built JavaScript, its dependencies.
      for (const entry of ["PulumiPolicy.yaml", "package.json", "bin", "node_modules"]) {
        fs.cpSync(path.join(defaultPackDir, entry), path.join(copy, entry), { recursive: true, verbatimSymlinks: true });
      }
      // Without `typescript: false` the CLI sets PULUMI_NODEJS_TYPESCRIPT and ts-node is registered.
      fs.writeFileSync(path.join(copy, "PulumiPolicy.yaml"), "description: copy\nruntime: nodejs\n");
      expect(packLaunch(copy).env.PULUMI_NODEJS_TYPESCRIPT).toBe("true");
      const alone = await PolicyRunner.start({ packDir: copy });
      try {
        expect((await alone.info()).policies.map((p) => p.name)).toEqual(controls.map((c) => c.id));
        expect(await alone.analyze(weakStack(), {})).toEqual(await runner.analyze(weakStack(), {}));
      } finally {
        await alone.close();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("stops the pack's process when closed", async () => {
    const own = await PolicyRunner.start();
    const pid = (own as unknown as { child: { pid: number } }).child.pid;
    await own.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
