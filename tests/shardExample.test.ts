import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { Capture } from "../tools/engine/capture";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { ofType, plan } from "./helpers";
import { stackAnalyzeOptions } from "./policyHarness";

/**
 * examples/register-shard-stack/Pulumi.dev-shard1.yaml, the committed register-shard stack file
 * (docs/scale.md, examples/README.md), plans offline against the dev core's plan outputs (the
 * StackReference the plan CLI's --stack-reference resolves) with no policy violation. It lives in
 * examples/, so the workflows, which discover Pulumi.<stack>.yaml at the root, neither plan nor deploy it.
 *
 * The file is planned as the root stack file it becomes when copied there: Pulumi.yaml's defaults,
 * then its values, nothing of Pulumi.dev.yaml's (each of dev's keys it does not set is unset). The
 * plan runs under the stack name dev (the engine reads a stack's file from the project root).
 */

const repoRoot = path.resolve(__dirname, "..");
const exampleFile = path.join(repoRoot, "examples", "register-shard-stack", "Pulumi.dev-shard1.yaml");
const configOf = (file: string) => (parse(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;

/** The example's config as overrides of the dev stack: its values, and dev's other keys unset. */
function exampleOverrides(): Record<string, unknown> {
  const example = configOf(exampleFile);
  const unset = Object.keys(configOf(path.join(repoRoot, "Pulumi.dev.yaml"))).filter((key) => !(key in example));
  return { ...Object.fromEntries(unset.map((key) => [key, undefined])), ...example };
}

describe("examples/register-shard-stack: a committed register-shard stack of dev", () => {
  const config = exampleOverrides();
  const coreStack = String(config["data-embassy:coreStack"]);
  let runner: PolicyRunner;
  let core: Capture;
  let shard: Capture;
  beforeAll(async () => {
    runner = await PolicyRunner.start();
    core = await plan();
    shard = await plan({ config, stackReferences: { [coreStack]: core.outputs } });
  }, 180_000);
  afterAll(async () => {
    await runner?.close();
  });

  it("references the dev stack as a DIY backend names it, and is not a stack the workflows find", () => {
    expect(coreStack).toBe("organization/data-embassy/dev");
    expect(fs.existsSync(path.join(repoRoot, path.basename(exampleFile)))).toBe(false);
  });

  it("plans against the core's plan with no policy violation", async () => {
    expect(shard.error).toBeUndefined();
    const report = await runner.analyze(shard, stackAnalyzeOptions(config));
    expect(report.violations).toEqual([]);
  }, 120_000);

  it("builds its own vault and accounts from shard 1, in the core's resource group, with its key-expiry alert to the core's action group", () => {
    const names = (type: string, input: string) => ofType(shard, type).map((r) => r.inputs[input]);
    expect(names("azure-native:keyvault:Vault", "vaultName")).toEqual(["kv-ee-emb-dev-s1-3zky1"]);
    expect(names("azure-native:storage:StorageAccount", "accountName")).toEqual(["steeembdevs13zky1", "steeembdevs23zky1"]);
    expect(new Set(names("azure-native:storage:StorageAccount", "resourceGroupName"))).toEqual(new Set(["rg-ee-emb-dev"]));
    expect(names("azure-native:keyvault:Key", "keyName").sort()).toEqual(["cmk-reg-education", "cmk-reg-health-insurance", "cmk-reg-vehicles", "cmk-storage"]);
    const subscription = ofType(shard, "azure-native:eventgrid:SystemTopicEventSubscription")[0];
    expect((subscription.inputs.destination as { actionGroups: string[] }).actionGroups).toEqual([
      (core.outputs.shardInterface as { actionGroupId: string }).actionGroupId,
    ]);
    expect(ofType(shard, "azure-native:dataprotection:BackupInstance")).toHaveLength(2);
    // What the plan counts as resources: the providers' (not the stack, the components).
    // 64: with the standby identity in the pair, its lock and key grants, and the recovery reader's two eligibilities.
    expect(shard.resources.filter((r) => r.type.startsWith("azure-native:") || r.type.startsWith("time:")).length).toBe(64);
  });
});
