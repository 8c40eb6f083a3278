import type { Capture } from "../tools/engine/capture";
import { validateSettings } from "../settings/loadSettings";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { failedPlan, ofType, plan, register, registered, minimalSettings } from "./helpers";
import { stackAnalyzeOptions } from "./policyHarness";
import { dutiesOf, regionLossReport } from "../tools/analysis/regionLoss";
import { readProjectSettings } from "../tools/engine/projectSettings";
import * as path from "path";

/**
 * Register-shard stacks (components/dataEmbassy/shardStack.ts): a stack with `coreStack` set plans
 * offline against its core stack's plan outputs (tools/engine/engine.ts resolves the StackReference) and
 * builds its registers' keys, accounts, endpoints, locks, diagnostics and backup instances in the
 * core's resource group, network, workspace and vault.
 */

const core = "acme/data-embassy/dev";
const shardConfig = {
  coreStack: core,
  firstShard: 1,
  registersPerShard: 3,
  registers: ["civil-1", "civil-2", "civil-3", "civil-4", "civil-5"].map((name) => register(name)),
};

describe("a register-shard stack", () => {
  let runner: PolicyRunner;
  let corePlan: Capture;
  let shard: Capture;
  beforeAll(async () => {
    runner = await PolicyRunner.start();
    corePlan = await plan();
    shard = await plan({ config: shardConfig, stackReferences: { [core]: corePlan.outputs } });
  }, 180_000);
  afterAll(async () => {
    await runner?.close();
  });

  const names = (type: string, input: string) => ofType(shard, type).map((r) => r.inputs[input]);
  const interfaceOf = () => corePlan.outputs.shardInterface as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("plans offline against the core's plan, with no violation", async () => {
    const report = await runner.analyze(shard, stackAnalyzeOptions(shardConfig));
    expect(report.violations).toEqual([]);
  }, 120_000);

  it("builds only its registers' resources: a key vault, accounts numbered from firstShard, in the core's resource group", () => {
    expect(ofType(shard, "azure-native:resources:ResourceGroup")).toEqual([]);
    expect(ofType(shard, "azure-native:network:VirtualNetwork")).toEqual([]);
    expect(ofType(shard, "azure-native:dataprotection:BackupVault")).toEqual([]);
    expect(names("azure-native:keyvault:Vault", "vaultName")).toEqual(["kv-ee-emb-dev-s1-3zky1"]);
    expect(names("azure-native:storage:StorageAccount", "accountName")).toEqual(["steeembdevs13zky1", "steeembdevs23zky1"]);
    expect(new Set(ofType(shard, "azure-native:storage:StorageAccount").map((a) => a.inputs.resourceGroupName))).toEqual(new Set(["rg-ee-emb-dev"]));
    expect(names("azure-native:storage:BlobContainer", "containerName")).toEqual(shardConfig.registers.map((r) => r.name));
    expect(shard.outputs.storageShards).toEqual([
      { shard: 1, accountName: "steeembdevs13zky1", registers: ["civil-1", "civil-2", "civil-3"] },
      { shard: 2, accountName: "steeembdevs23zky1", registers: ["civil-4", "civil-5"] },
    ]);
  });

  it("keeps the accounts' key and one key per register in its vault, and no backup key: its accounts are backed up under the core's", () => {
    expect(names("azure-native:keyvault:Key", "keyName").sort()).toEqual([
      "cmk-reg-civil-1",
      "cmk-reg-civil-2",
      "cmk-reg-civil-3",
      "cmk-reg-civil-4",
      "cmk-reg-civil-5",
      "cmk-storage",
    ]);
    expect(shard.outputs.storageKeyUri).toBe("https://kv-ee-emb-dev-s1-3zky1.vault.azure.net/keys/cmk-storage");
  });

  it("sends its vault's key near-expiry and expiry events to the core's action group, as the core's vault does", () => {
    const actionGroupId = interfaceOf().actionGroupId as string;
    expect(actionGroupId).toMatch(/\/providers\/Microsoft\.Insights\/actionGroups\/ag-ee-emb-dev$/);
    const topics = ofType(shard, "azure-native:eventgrid:SystemTopic");
    expect(topics.map((t) => [t.inputs.topicType, t.inputs.location, t.inputs.resourceGroupName])).toEqual([
      ["Microsoft.KeyVault.vaults", "westeurope", "rg-ee-emb-dev"],
    ]);
    expect(String(topics[0].inputs.source)).toMatch(/\/providers\/Microsoft\.KeyVault\/vaults\/kv-ee-emb-dev-s1-3zky1$/);
    // The same subscription as the core's own (name, schema, filter, severity), to the core's action group.
    const coreSubscription = ofType(corePlan, "azure-native:eventgrid:SystemTopicEventSubscription")[0].inputs;
    const subscriptions = ofType(shard, "azure-native:eventgrid:SystemTopicEventSubscription");
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0].inputs).toEqual({ ...coreSubscription, systemTopicName: topics[0].inputs.systemTopicName });
    expect((subscriptions[0].inputs.destination as { actionGroups: string[] }).actionGroups).toEqual([actionGroupId]);
    expect((shard.outputs.auditEvidence as Record<string, string[]>)["keys-rotation"]).toHaveLength(2);
    expect(shard.outputs.governanceManualSteps).toEqual([expect.stringContaining("az keyvault key rotate --vault-name kv-ee-emb-dev-s1-3zky1")]);
  });

  it("still plans against a core planned before it exported its action group, without the alerts and saying so", async () => {
    const { actionGroupId, ...older } = interfaceOf();
    expect(actionGroupId).toBeDefined();
    const against = await plan({ config: shardConfig, stackReferences: { [core]: { ...corePlan.outputs, shardInterface: older } } });
    expect(ofType(against, "azure-native:eventgrid:SystemTopic")).toEqual([]);
    expect(ofType(against, "azure-native:storage:StorageAccount")).toHaveLength(2);
    const warning =
      /core stack acme\/data-embassy\/dev exports no actionGroupId in shardInterface, so key near-expiry and expiry of this stack's key vault reach nobody: run pulumi up on the core/;
    expect(against.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringMatching(warning)]));
    expect(against.outputs.governanceManualSteps).toEqual([expect.stringMatching(warning)]);
  }, 120_000);

  it("reaches its accounts and vault through the core's endpoint subnet and DNS zones, logs to the core's workspace, and backs up into the core's vault", () => {
    const iface = interfaceOf();
    // Read-access secondaries from the core's standby site in the pair, everything else from the core's own subnet.
    expect(iface.standby).toEqual({
      region: "northeurope",
      privateEndpointSubnetId: expect.stringMatching(/\/virtualNetworks\/vnet-ee-emb-dev-r\/subnets\/snet-ee-emb-dev-r-pe$/),
    });
    const endpoints = ofType(shard, "azure-native:network:PrivateEndpoint");
    const secondary = (e: (typeof endpoints)[number]) => JSON.stringify(e.inputs).includes('"groupIds":["blob_secondary"]');
    expect(endpoints.filter(secondary)).toHaveLength(2);
    for (const e of endpoints)
      expect([e.name, (e.inputs.subnet as { id: string }).id, e.inputs.location]).toEqual(
        secondary(e) ? [e.name, iface.standby.privateEndpointSubnetId, "northeurope"] : [e.name, iface.privateEndpointSubnetId, "westeurope"],
      );
    const zones = ofType(shard, "azure-native:network:PrivateDnsZoneGroup").flatMap((g) =>
      (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((z) => z.privateDnsZoneId),
    );
    expect(zones.every((z) => Object.values(iface.privateDnsZoneIds).includes(z))).toBe(true);
    expect(new Set(ofType(shard, "azure-native:monitor:DiagnosticSetting").map((d) => d.inputs.workspaceId))).toEqual(new Set([iface.workspaceId]));
    const instances = ofType(shard, "azure-native:dataprotection:BackupInstance");
    expect(instances.map((i) => i.inputs.vaultName)).toEqual([iface.backup.vaultName, iface.backup.vaultName]);
    expect(instances.map((i) => (i.inputs.properties as { policyInfo: { policyId: string } }).policyInfo.policyId)).toEqual([
      iface.backup.policyId,
      iface.backup.policyId,
    ]);
    const locked = ofType(shard, "azure-native:authorization:ManagementLockByScope").map((l) => String(l.inputs.scope).split("/").pop());
    expect(locked.sort()).toEqual([
      "id-ee-emb-dev-s1-storage",
      "id-ee-emb-dev-s1-storage-standby",
      "kv-ee-emb-dev-s1-3zky1",
      "steeembdevs13zky1",
      "steeembdevs23zky1",
    ]);
  });

  it("survives the loss of the host region as the core does: standby identity, secondary endpoints in the pair, recovery readers eligible on its accounts", () => {
    const standbyIdentity = ofType(shard, "azure-native:managedidentity:UserAssignedIdentity").find((i) => i.name.endsWith("-id-storage-standby"));
    expect(standbyIdentity?.inputs.location).toBe("northeurope");
    const eligible = ofType(shard, "azure-native:authorization:PimRoleEligibilitySchedule");
    expect(eligible.map((e) => String(e.inputs.scope).split("/").pop())).toEqual(["steeembdevs13zky1", "steeembdevs23zky1"]);
    const read = readProjectSettings(path.resolve(__dirname, ".."), "dev", shardConfig);
    if (read.kind !== "embassy") throw new Error("not the embassy");
    const verdicts = regionLossReport({ capture: shard, duties: dutiesOf(read.settings) });
    expect(verdicts.map((v) => [v.region, v.survives])).toEqual([
      ["westeurope", true],
      ["northeurope", true],
    ]);
    expect(verdicts[0].registers.every((r) => r.via?.startsWith("read-access geo-secondary"))).toBe(true);
  });

  it("gives auditors its evidence: every lock, the key vault's and every blob service's logs", () => {
    const evidence = shard.outputs.auditEvidence as Record<string, string[]>;
    expect(evidence["delete-locks"]).toHaveLength(5);
    expect(evidence["kv-audit-logs"]).toHaveLength(1);
    expect(evidence["blob-logging"]).toEqual(
      ofType(shard, "azure-native:monitor:DiagnosticSetting")
        .filter((d) => String(d.inputs.resourceUri).endsWith("/blobServices/default"))
        .map((d) => expect.stringContaining(String(d.inputs.resourceUri))),
    );
  });

  it("grants its ingest principals the core's write-only role on its containers", () => {
    const ingest = ofType(shard, "azure-native:authorization:RoleAssignment").filter((a) => a.name.startsWith("shards-ingest-"));
    expect(ingest).toHaveLength(5);
    expect(new Set(ingest.map((a) => a.inputs.roleDefinitionId))).toEqual(new Set([interfaceOf().registerWriterRoleId]));
  });

  it("still refuses an ingest assignment of a role that is not the core's register writer", async () => {
    const mutated = structuredClone(shard);
    const ingest = mutated.resources.find((r) => r.name.startsWith("shards-ingest-"));
    if (ingest === undefined) throw new Error("no ingest assignment");
    ingest.inputs.roleDefinitionId =
      "/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.Authorization/roleDefinitions/0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
    const report = await runner.analyze(mutated, stackAnalyzeOptions(shardConfig));
    expect(report.violations.map((v) => [v.policyName, v.urn])).toEqual([["duty-least-privilege", ingest.urn]]);
  }, 120_000);

  it("fails, naming each mismatch, against a core it does not fit (another region, firstShard taken)", async () => {
    const twoShardCore = await plan({ config: { registersPerShard: 4 } });
    const { message, capture } = await failedPlan({
      config: { ...shardConfig, hostRegion: "northeurope", "azure-native:location": "northeurope" },
      stackReferences: { [core]: twoShardCore.outputs },
    });
    expect(message).toMatch(
      /this register-shard stack does not fit its core stack acme\/data-embassy\/dev: hostRegion is northeurope here but westeurope in the core stack/,
    );
    expect(message).toMatch(/firstShard 1 is taken: the core stack holds shards 0 to 1, so a shard stack starts at 2 or above/);
    expect(registered(capture)).toEqual([]);
  }, 120_000);
});

describe("shard stack settings", () => {
  it("refuses a Managed HSM, saying why and what to do instead", () => {
    const hsm = validateSettings({ ...minimalSettings, coreStack: core, firstShard: 1, keyManagement: "managedHsm", managedHsmAdmins: ["a", "b", "c"] });
    const message = hsm.problems.find((p) => p.key === "keyManagement")?.message;
    expect(message).toMatch(/^must be keyVault in a register-shard stack: /);
    expect(message).toMatch(/security-domain ceremony and quorum of its own/);
    expect(message).toMatch(/the core's HSM cannot serve it/);
    expect(message).toMatch(/Set keyManagement: keyVault here, or, .* keep these registers in the core stack \(storage-account shards, docs\/scale\.md\)/);
  });

  const base = minimalSettings;
  const keys = (overrides: Record<string, unknown>) => validateSettings({ ...base, ...overrides }).problems.map((p) => p.key);

  it("needs coreStack and firstShard together, a qualified stack name and a Key Vault", () => {
    expect(keys({ coreStack: core })).toEqual(["firstShard"]);
    expect(keys({ firstShard: 1 })).toEqual(["firstShard"]);
    expect(keys({ coreStack: "prod", firstShard: 1 })[0]).toBe("coreStack");
    expect(new Set(keys({ coreStack: core, firstShard: 0 }))).toEqual(new Set(["firstShard"]));
    expect(keys({ coreStack: core, firstShard: 1, keyManagement: "managedHsm", managedHsmAdmins: [] })).toContain("keyManagement");
    expect(keys({ coreStack: core, firstShard: 99, registersPerShard: 1, registers: [register("population"), register("land")] })).toEqual(["firstShard"]);
  });
});
