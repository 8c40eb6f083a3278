import type { ResourceOptions } from "@pulumi/pulumi";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import { armTypes as mockArmShapes } from "../tools/engine/armIds";
import { resourceGroupArmTypes } from "../catalog/resourceTypes";
import { azurePolicies } from "../catalog/azurePolicies";
import { ResourceTypeRecorder } from "../components/embassyGovernance/allowedResourceTypes";
import { failedPlan, managedHsmConfig, ofType, plan, unpairedHostConfig } from "./helpers";

const allowedTypesGuid = azurePolicies.allowedResourceTypes.guid;

function allowedTypesAssignments(capture: Capture): CapturedResource[] {
  return ofType(capture, "azure-native:authorization:PolicyAssignment").filter((a) => String(a.inputs.policyDefinitionId).endsWith(`/${allowedTypesGuid}`));
}

/**
 * The ARM type of a resource as the offline engine's mocks name it (tools/engine/armIds.ts: the id Azure
 * would give it), independent of catalog/resourceTypes.ts; undefined for a resource at subscription
 * scope, or for a path that is an action rather than a resource (a container's legalHold).
 */
function armTypeFromMockId(resource: CapturedResource): string | undefined {
  const shape = mockArmShapes[resource.type];
  if (shape === undefined) return undefined;
  const scope = shape.id.startsWith("{scope}") ? String(resource.inputs.scope) : shape.id.startsWith("{resourceUri}") ? "/resourceGroups/" : shape.id;
  if (!/\/resourceGroups\//i.test(scope) || !shape.id.includes("/providers/")) return undefined;
  const path = shape.id.split("/providers/").at(-1) ?? "";
  const [namespace, ...segments] = path.split("/");
  if (segments.length % 2 !== 0) return undefined;
  return [namespace, ...segments.filter((_, i) => i % 2 === 0)].join("/");
}

/** Every ARM type a plan creates in a resource group, from the mocks' ids, plus each private endpoint's network interface. */
function createdArmTypes(capture: Capture): string[] {
  const created = new Set<string>();
  for (const r of capture.resources.filter((x) => x.custom)) {
    const type = armTypeFromMockId(r);
    if (type !== undefined) created.add(type);
    // Azure creates the endpoint's network interface in the endpoint's group (customNetworkInterfaceName).
    if (r.type === "azure-native:network:PrivateEndpoint") created.add("Microsoft.Network/networkInterfaces");
    // A Defender plan's on-upload malware scanning creates a system topic and Microsoft's subscription on each account.
    if (r.type === "azure-native:security:Pricing") {
      created.add("Microsoft.EventGrid/systemTopics");
      created.add("Microsoft.EventGrid/systemTopics/eventSubscriptions");
    }
  }
  return [...created].sort();
}

const scenarios: [string, () => Promise<Capture>][] = [
  ["dev", () => plan()],
  ["prod", () => plan({ stack: "prod" })],
  ["dr", () => plan({ stack: "dr" })],
  ["managed HSM", () => plan({ config: managedHsmConfig })],
  ["unpaired host (object replication, no backup vault)", () => plan({ config: unpairedHostConfig })],
];

describe("allowed resource types (a08ec900)", () => {
  test.each(scenarios)("%s: one assignment on the resource group listing exactly the ARM types the plan creates there", async (_name, run) => {
    const capture = await run();
    const [assignment, ...more] = allowedTypesAssignments(capture);
    expect(more).toHaveLength(0);
    const group = ofType(capture, "azure-native:resources:ResourceGroup")[0];
    expect(String(assignment.inputs.scope)).toMatch(new RegExp(`/resourceGroups/${String(group.inputs.resourceGroupName)}$`));
    const listed = (assignment.inputs.parameters as { listOfResourceTypesAllowed: { value: string[] } }).listOfResourceTypesAllowed.value;
    // Never blocks the embassy: everything it creates in the group is allowed; and nothing else is.
    expect(listed).toEqual(createdArmTypes(capture));
    expect(resourceGroupArmTypes(capture.resources.map((r) => r.type)).unknown).toEqual([]);
  });

  test("the catalog's ARM type of every token agrees with the id the mocks give it", async () => {
    const capture = await plan({ stack: "prod" });
    for (const r of capture.resources.filter((x) => x.custom)) {
      const fromMock = armTypeFromMockId(r);
      if (fromMock === undefined) continue;
      expect([r.type, resourceGroupArmTypes([r.type]).armTypes.filter((t) => t !== "Microsoft.Network/networkInterfaces")]).toEqual([r.type, [fromMock]]);
    }
  });

  test("enforced in prod, report-only when policyEnforcement is Audit (the definition's effect is a fixed deny)", async () => {
    const [prod] = allowedTypesAssignments(await plan({ stack: "prod" }));
    expect(prod.inputs.enforcementMode).toBe("Default");
    const [audited] = allowedTypesAssignments(await plan({ config: { policyEnforcement: "Audit" } }));
    expect(audited.inputs.enforcementMode).toBe("DoNotEnforce");
    expect(audited.inputs.parameters).toEqual(allowedTypesAssignments(await plan()).map((a) => a.inputs.parameters)[0]);
  });

  test("the recorder refuses a resource registered after the list was fixed", () => {
    const recorder = new ResourceTypeRecorder();
    const [transformation] = recorder.watch<ResourceOptions>({}).transformations ?? [];
    recorder.finish();
    expect(() => transformation({ type: "azure-native:compute:VirtualMachine", name: "late", props: {}, opts: {}, resource: undefined as never })).toThrow(
      /registered after the allowed resource types were fixed/,
    );
  });
});

describe("VNet flow logs", () => {
  const t = {
    flowLog: "azure-native:network:FlowLog",
    account: "azure-native:storage:StorageAccount",
    vnet: "azure-native:network:VirtualNetwork",
    roleAssignment: "azure-native:authorization:RoleAssignment",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    sleep: "time:index/sleep:Sleep",
    workspace: "azure-native:operationalinsights:Workspace",
    pe: "azure-native:network:PrivateEndpoint",
  };
  const flowAccount = (c: Capture) => ofType(c, t.account).find((a) => String(a.inputs.accountName).includes("flpri"))!;

  test.each([
    ["prod", "prod", 365],
    ["dr", "dr", 365],
    ["dev", "dev", 365],
  ])("%s: each VNet's flow log under NetworkWatcher_<region> in NetworkWatcherRG, traffic analytics into the workspace", async (_n, stack, days) => {
    const capture = await plan({ stack });
    // The host's VNet and the standby site's in the geo-pair: one flow log each, in its own region.
    const flowLogs = ofType(capture, t.flowLog);
    const vnets = ofType(capture, t.vnet);
    expect(flowLogs).toHaveLength(2);
    expect(vnets).toHaveLength(2);
    expect(new Set(vnets.map((v) => v.inputs.location)).size).toBe(2);
    for (const [i, vnet] of vnets.entries()) expectFlowLog(capture, flowLogs[i], vnet, days);
  });

  /** `flowLog` records `vnet` from its region's Network Watcher, with traffic analytics into the stack's workspace. */
  function expectFlowLog(capture: Capture, flowLog: CapturedResource, vnet: CapturedResource, days: number): void {
    const region = String(vnet.inputs.location);
    expect(flowLog.inputs).toMatchObject({
      networkWatcherName: `NetworkWatcher_${region}`,
      resourceGroupName: "NetworkWatcherRG",
      location: region,
      enabled: true,
      retentionPolicy: { enabled: true, days },
      format: { type: "JSON", version: 2 },
    });
    expect(String(flowLog.inputs.targetResourceId)).toMatch(new RegExp(`/virtualNetworks/${String(vnet.inputs.virtualNetworkName)}$`));
    const analytics = (flowLog.inputs.flowAnalyticsConfiguration as { networkWatcherFlowAnalyticsConfiguration: Record<string, unknown> })
      .networkWatcherFlowAnalyticsConfiguration;
    const workspace = ofType(capture, t.workspace)[0];
    expect(analytics).toMatchObject({ enabled: true, trafficAnalyticsInterval: 10 });
    expect(String(analytics.workspaceResourceId)).toMatch(new RegExp(`/workspaces/${String(workspace.inputs.workspaceName)}$`));
    expect(analytics.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
  }

  test("the account is hardened (private, keyless, CMK) in the VNet's region, written by its own identity after the grant took effect", async () => {
    const capture = await plan({ stack: "prod" });
    const account = flowAccount(capture);
    const flowLog = ofType(capture, t.flowLog)[0];
    expect(account.inputs).toMatchObject({
      location: ofType(capture, t.vnet)[0].inputs.location,
      publicNetworkAccess: "Disabled",
      allowSharedKeyAccess: false,
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      encryption: { keySource: "Microsoft.Keyvault", requireInfrastructureEncryption: true },
    });
    expect(account.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(String(flowLog.inputs.storageId)).toMatch(new RegExp(`/storageAccounts/${String(account.inputs.accountName)}$`));
    const identity = (flowLog.inputs.identity as { type: string; userAssignedIdentities: string[] }).userAssignedIdentities[0];
    const writer = ofType(capture, t.identity).find((i) => identity.endsWith(`/${String(i.inputs.resourceName)}`))!;
    const grants = ofType(capture, t.roleAssignment).filter((g) => String(g.inputs.scope).endsWith(`/storageAccounts/${String(account.inputs.accountName)}`));
    expect(grants.map((g) => String(g.inputs.roleDefinitionId).split("/").pop())).toEqual(["ba92f5b4-2d11-453d-a403-e96b0029c9fe"]);
    expect(grants[0].dependencies).toContain(writer.urn);
    const sleeps = ofType(capture, t.sleep).filter((s) => s.dependencies.includes(grants[0].urn));
    expect(sleeps).toHaveLength(1);
    expect(flowLog.dependencies).toContain(sleeps[0].urn);
    // Reached privately, like the registers' account (RA-GZRS: the secondary too, from the standby site's VNet in the pair).
    const endpoints = ofType(capture, t.pe).filter((e) => String(e.inputs.privateEndpointName).includes("flowlogs-primary"));
    expect(endpoints.map((e) => [e.inputs.privateEndpointName, e.inputs.location]).sort()).toEqual([
      ["pep-ee-emb-prod-flowlogs-primary-blob", "germanywestcentral"],
      ["pep-ee-emb-prod-r-flowlogs-primary-blob-secondary", "germanynorth"],
    ]);
  });

  test("register-data built-ins skip the flow-log account (notScopes), the others still judge it", async () => {
    const capture = await plan({ stack: "prod" });
    const account = flowAccount(capture);
    const notScoped = ofType(capture, "azure-native:authorization:PolicyAssignment").filter((a) =>
      ((a.inputs.notScopes as string[] | undefined) ?? []).some((id) => id.endsWith(`/storageAccounts/${String(account.inputs.accountName)}`)),
    );
    expect(notScoped.map((a) => a.inputs.policyAssignmentName).sort()).toEqual(["embassy-blob-versioning", "embassy-blobs-backed-up"]);
  });

  test("retention is the flowLogRetentionDays setting; 0 keeps forever; beyond 365 is refused", async () => {
    const forever = await plan({ config: { flowLogRetentionDays: 0 } });
    expect(ofType(forever, t.flowLog)[0].inputs.retentionPolicy).toEqual({ enabled: true, days: 0 });
    const { message } = await failedPlan({ config: { flowLogRetentionDays: 400 } });
    expect(message).toMatch(/flowLogRetentionDays/);
  });

  test("another Network Watcher group is honoured", async () => {
    const capture = await plan({ config: { networkWatcherResourceGroup: "rg-netwatch" } });
    expect(ofType(capture, t.flowLog)[0].inputs.resourceGroupName).toBe("rg-netwatch");
  });
});

describe("Defender plans", () => {
  const pricings = (c: Capture) => Object.fromEntries(ofType(c, "azure-native:security:Pricing").map((p) => [String(p.inputs.pricingName), p]));

  test.each(["prod", "dr"])(
    "%s: Defender for Storage (V2, malware scanning on upload, no sensitive data discovery) and for Key Vault, at subscription scope",
    async (stack) => {
      const capture = await plan({ stack });
      const plans = pricings(capture);
      expect(Object.keys(plans).sort()).toEqual(["KeyVaults", "StorageAccounts"]);
      expect(plans.StorageAccounts.inputs).toEqual({
        scopeId: "/subscriptions/00000000-0000-4000-8000-000000000000",
        pricingName: "StorageAccounts",
        pricingTier: "Standard",
        subPlan: "DefenderForStorageV2",
        extensions: [
          { name: "OnUploadMalwareScanning", isEnabled: "True", additionalExtensionProperties: { CapGBPerMonthPerStorageAccount: "5000" } },
          { name: "SensitiveDataDiscovery", isEnabled: "False" },
        ],
      });
      expect(plans.KeyVaults.inputs).toMatchObject({ pricingName: "KeyVaults", pricingTier: "Standard" });
      // A subscription setting: dropping it from the stack never downgrades the subscription.
      for (const p of Object.values(plans)) expect(p.options.retainOnDelete).toBe(true);
    },
  );

  test("off by default in dev; each key switches its plan", async () => {
    expect(pricings(await plan())).toEqual({});
    expect(Object.keys(pricings(await plan({ config: { defenderForKeyVault: true } })))).toEqual(["KeyVaults"]);
    expect(Object.keys(pricings(await plan({ stack: "prod", config: { defenderForStorage: false } })))).toEqual(["KeyVaults"]);
  });
});
