import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import type { EmbassyContext } from "../components/shared/context";
import type { PrivateDnsArgs } from "../components/embassyNetwork/embassyNetwork";
import type { PrivateLink } from "../components/embassyNetwork/privateEndpoint";
import { armTypes, fillTemplate } from "../tools/engine/armIds";
import type { Capture, CapturedResource } from "../tools/engine/capture";
import type { Components } from "../tools/engine/engine";
import { offlineSubscriptionId } from "../tools/engine/mocks";
import { failedPlan, managedHsmConfig, ofType, plan, registered, single, unpairedHostConfig } from "./helpers";

// Fixtures (resource group, storage account, vault) are built with the test's own azure-native
// imports: under jest they resolve to the same module instance the engine mocks.

const T = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  endpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  peering: "azure-native:network:VirtualNetworkPeering",
  zone: "azure-native:privatedns:PrivateZone",
  link: "azure-native:privatedns:VirtualNetworkLink",
  network: "dataembassy:index:EmbassyNetwork",
};

const zoneNames = {
  blob: "privatelink.blob.core.windows.net",
  blob_secondary: "privatelink.blob.core.windows.net",
  vault: "privatelink.vaultcore.azure.net",
  managedhsm: "privatelink.managedhsm.azure.net",
  // The workspace's Azure Monitor Private Link Scope endpoint (EmbassyGovernance).
  monitor: "privatelink.monitor.azure.com",
  oms: "privatelink.oms.opinsights.azure.com",
  ods: "privatelink.ods.opinsights.azure.com",
  agentsvc: "privatelink.agentsvc.azure-automation.net",
} as const;

const hubZoneIds = Object.values(zoneNames).map(
  (zone) => `/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/${zone}`,
);
const hubVnetId = "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub";

// ---------------------------------------------------------------------------------------------
// Generic checks over a whole capture: they hold for whatever data services a plan contains.

/** The ARM id the engine's mock gave a captured resource. */
function armIdOf(r: CapturedResource): string {
  const arm = armTypes[r.type];
  return fillTemplate(arm.id, { ...r.inputs, sub: offlineSubscriptionId, name: r.inputs[arm.nameInput] }).id;
}

/** Private Link group ids every data service must expose privately. */
const requiredGroups: Record<string, (r: CapturedResource) => (keyof typeof zoneNames)[]> = {
  "azure-native:storage:StorageAccount": (r) =>
    /^Standard_RA/.test(String((r.inputs.sku as { name?: string } | undefined)?.name)) ? ["blob", "blob_secondary"] : ["blob"],
  "azure-native:keyvault:Vault": () => ["vault"],
  "azure-native:keyvault:ManagedHsm": () => ["managedhsm"],
};

interface Connection {
  privateLinkServiceId?: string;
  groupIds?: string[];
}

/** Every (service, group id) lacking a private endpoint with a DNS zone group in the right zone. */
function missingPrivateLinks(capture: Capture): string[] {
  const endpoints = ofType(capture, T.endpoint);
  const zoneGroups = ofType(capture, T.zoneGroup);
  const gaps: string[] = [];
  for (const target of capture.resources.filter((r) => r.type in requiredGroups)) {
    const id = armIdOf(target);
    for (const group of requiredGroups[target.type](target)) {
      const endpoint = endpoints.find((e) =>
        ((e.inputs.privateLinkServiceConnections ?? []) as Connection[]).some((c) => c.privateLinkServiceId === id && (c.groupIds ?? []).includes(group)),
      );
      if (endpoint === undefined) {
        gaps.push(`${target.name}: no private endpoint for ${group}`);
        continue;
      }
      const registeredInZone = zoneGroups.some(
        (g) =>
          g.inputs.privateEndpointName === endpoint.inputs.privateEndpointName &&
          ((g.inputs.privateDnsZoneConfigs ?? []) as { privateDnsZoneId?: string }[]).some((z) =>
            z.privateDnsZoneId?.toLowerCase().endsWith(`/privatednszones/${zoneNames[group]}`),
          ),
      );
      if (!registeredInZone) {
        gaps.push(`${target.name}: endpoint ${endpoint.name} has no DNS zone group in ${zoneNames[group]}`);
      }
    }
  }
  return gaps;
}

/** Resource types that carry or imply a public IP. */
const publicTypes = [
  "azure-native:network:PublicIPAddress",
  "azure-native:network:PublicIPPrefix",
  "azure-native:network:NatGateway",
  "azure-native:network:BastionHost",
  "azure-native:network:AzureFirewall",
  "azure-native:network:VirtualNetworkGateway",
  "azure-native:network:LoadBalancer",
  "azure-native:network:ApplicationGateway",
];

/** Every way a plan exposes something publicly: public IPs, public network access, default outbound. */
function publicExposure(capture: Capture): string[] {
  const found: string[] = [];
  const walk = (r: CapturedResource, value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(r, v, `${at}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) {
        if (key === "publicNetworkAccess" && v !== "Disabled") found.push(`${r.name}: ${at}.${key} is ${String(v)}`);
        if (/^publicIP/i.test(key)) found.push(`${r.name}: ${at}.${key} is set`);
        walk(r, v, `${at}.${key}`);
      }
    }
  };
  for (const r of capture.resources) {
    if (publicTypes.includes(r.type)) found.push(`${r.name}: ${r.type} is public by nature`);
    walk(r, r.inputs, "inputs");
  }
  for (const r of ofType(capture, "azure-native:storage:StorageAccount")) {
    if (r.inputs.publicNetworkAccess !== "Disabled") found.push(`${r.name}: publicNetworkAccess not Disabled`);
  }
  for (const r of [...ofType(capture, "azure-native:keyvault:Vault"), ...ofType(capture, "azure-native:keyvault:ManagedHsm")]) {
    if ((r.inputs.properties as { publicNetworkAccess?: string }).publicNetworkAccess !== "Disabled") {
      found.push(`${r.name}: properties.publicNetworkAccess not Disabled`);
    }
  }
  for (const s of ofType(capture, T.subnet)) {
    if (s.inputs.defaultOutboundAccess !== false) found.push(`${s.name}: default outbound Internet access is on`);
  }
  for (const v of ofType(capture, T.vnet)) {
    if (v.inputs.subnets !== undefined) found.push(`${v.name}: inline subnets escape the per-subnet checks`);
  }
  return found;
}

/** Subnets without an NSG that exists in the plan. */
function subnetsWithoutNsg(capture: Capture): string[] {
  const nsgIds = new Set(ofType(capture, T.nsg).map(armIdOf));
  return ofType(capture, T.subnet)
    .filter((s) => !nsgIds.has(String((s.inputs.networkSecurityGroup as { id?: string } | undefined)?.id)))
    .map((s) => s.name);
}

// ---------------------------------------------------------------------------------------------
// Standalone component programs.

interface Fixture {
  /** Connect the storage account / vault fixtures (turn off to prove the checks catch a gap). */
  connect?: { storage?: boolean; vault?: boolean };
  privateDns?: PrivateDnsArgs;
  hubVnetId?: string;
  useHubGateway?: boolean;
  /** Extra use of the component (e.g. to provoke an error). */
  extra?: (network: InstanceType<Components["EmbassyNetwork"]>) => void;
}

/** A resource group, a storage account and a Key Vault behind an EmbassyNetwork. */
function networkProgram(fixture: Fixture = {}) {
  return (c: Components) => {
    const group = new resources.ResourceGroup("rg", { resourceGroupName: "rg-ee-emb-dev", location: "westeurope" });
    const context: EmbassyContext = {
      resourceGroupName: group.name,
      resourceGroupId: group.id,
      location: "westeurope",
      namer: new c.Namer({ prefix: "ee", environment: "dev" }, "ab12c"),
      tags: { workload: "data-embassy" },
      protect: false,
      subscriptionId: offlineSubscriptionId,
      tenantId: "00000000-0000-4000-8000-0000000000aa",
    };
    const net = new c.EmbassyNetwork("net", {
      context,
      addressSpace: "10.60.0.0/24",
      privateEndpointSubnet: "10.60.0.0/26",
      workloadSubnet: "10.60.0.64/26",
      privateDns: fixture.privateDns,
      hubVnetId: fixture.hubVnetId,
      useHubGateway: fixture.useHubGateway,
    });
    const account = new storage.StorageAccount("st", {
      accountName: "steeembdevab12c",
      resourceGroupName: group.name,
      kind: "StorageV2",
      sku: { name: "Standard_RAGZRS" },
      publicNetworkAccess: "Disabled",
    });
    const vault = new keyvault.Vault("kv", {
      vaultName: "kv-ee-emb-dev-ab12c",
      resourceGroupName: group.name,
      properties: { tenantId: context.tenantId, sku: { family: "A", name: "premium" }, publicNetworkAccess: "Disabled" },
    });
    const links: Record<string, PrivateLink> = {};
    if (fixture.connect?.storage ?? true) {
      links.blob = net.connect("registers", { resourceId: account.id, groupId: "blob" });
      links.blobSecondary = net.connect("registers", { resourceId: account.id, groupId: "blob_secondary" });
    }
    if (fixture.connect?.vault ?? true) {
      links.vault = net.connect("keys", { resourceId: vault.id, groupId: "vault" });
    }
    fixture.extra?.(net);
    return {
      vnetId: net.vnetId,
      subnets: { pe: net.privateEndpointSubnetId, workload: net.workloadSubnetId },
      zones: net.privateDnsZoneIds,
      endpoints: Object.fromEntries(Object.entries(links).map(([k, l]) => [k, { id: l.id, nic: l.networkInterfaceId, ips: l.privateIpAddresses }])),
    };
  };
}

interface SecurityRule {
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  destinationPortRange: string;
}

const rulesOf = (nsg: CapturedResource) => nsg.inputs.securityRules as SecurityRule[];
const byName = (capture: Capture, type: string, fragment: string) => {
  const found = ofType(capture, type).filter((r) => r.name.includes(fragment));
  expect(found).toHaveLength(1);
  return found[0];
};

/**
 * Azure NSG evaluation for one flow: the lowest-priority-number matching rule wins; Azure's own
 * defaults (AllowVnetInBound, AllowInternetOutBound …, 65000+) apply when no rule matches.
 */
function verdict(rules: SecurityRule[], flow: { direction: string; source: string; destination: string; port: string }): string {
  const matches = (prefix: string, value: string) => prefix === "*" || prefix === value;
  const hit = [...rules]
    .sort((a, b) => a.priority - b.priority)
    .find(
      (r) =>
        r.direction === flow.direction &&
        matches(r.sourceAddressPrefix, flow.source) &&
        matches(r.destinationAddressPrefix, flow.destination) &&
        matches(r.destinationPortRange, flow.port),
    );
  return hit?.access ?? "Allow (Azure default)";
}

describe("EmbassyNetwork (standalone)", () => {
  let capture: Capture;
  beforeAll(async () => {
    capture = await plan({ program: networkProgram() });
  });

  it("builds one VNet with the configured address space and two separate subnets", () => {
    const vnet = single(capture, T.vnet);
    expect(vnet.inputs.addressSpace).toEqual({ addressPrefixes: ["10.60.0.0/24"] });
    expect(vnet.inputs.location).toBe("westeurope");
    expect(vnet.inputs.subnets).toBeUndefined();
    const pe = byName(capture, T.subnet, "snet-pe");
    const work = byName(capture, T.subnet, "snet-workload");
    expect(pe.inputs).toMatchObject({
      addressPrefix: "10.60.0.0/26",
      virtualNetworkName: vnet.inputs.virtualNetworkName,
      privateEndpointNetworkPolicies: "Enabled",
    });
    expect(work.inputs).toMatchObject({ addressPrefix: "10.60.0.64/26", virtualNetworkName: vnet.inputs.virtualNetworkName });
    expect(work.dependencies).toContain(pe.urn); // no concurrent subnet operations on one VNet
    const component = single(capture, T.network);
    for (const r of [vnet, pe, work]) expect(r.parent).toBe(component.urn);
  });

  it("puts an NSG on every subnet and turns default outbound Internet access off", () => {
    expect(subnetsWithoutNsg(capture)).toEqual([]);
    expect(publicExposure(capture)).toEqual([]);
    const pe = byName(capture, T.subnet, "snet-pe");
    expect((pe.inputs.networkSecurityGroup as { id: string }).id).toBe(armIdOf(byName(capture, T.nsg, "nsg-pe")));
  });

  it("NSGs deny the Internet both ways and let only HTTPS reach the endpoints", () => {
    const pe = rulesOf(byName(capture, T.nsg, "nsg-pe"));
    const work = rulesOf(byName(capture, T.nsg, "nsg-workload"));
    for (const rules of [pe, work]) {
      expect(verdict(rules, { direction: "Inbound", source: "Internet", destination: "*", port: "443" })).toBe("Deny");
      expect(verdict(rules, { direction: "Outbound", source: "*", destination: "Internet", port: "443" })).toBe("Deny");
      // Nothing falls through to Azure's permissive defaults.
      expect(verdict(rules, { direction: "Inbound", source: "VirtualNetwork", destination: "*", port: "22" })).toBe("Deny");
      expect(verdict(rules, { direction: "Outbound", source: "*", destination: "VirtualNetwork", port: "22" })).toBe("Deny");
      expect(rules.filter((r) => r.access === "Allow").every((r) => r.protocol === "Tcp" && r.destinationPortRange === "443")).toBe(true);
      expect(rules.some((r) => r.access === "Allow" && ["Internet", "*", "0.0.0.0/0"].includes(r.sourceAddressPrefix))).toBe(false);
    }
    expect(verdict(pe, { direction: "Inbound", source: "VirtualNetwork", destination: "10.60.0.0/26", port: "443" })).toBe("Allow");
    expect(verdict(work, { direction: "Outbound", source: "10.60.0.64/26", destination: "10.60.0.0/26", port: "443" })).toBe("Allow");
    expect(verdict(work, { direction: "Outbound", source: "10.60.0.64/26", destination: "AzureActiveDirectory", port: "443" })).toBe("Allow");
  });

  it("gives every storage account and vault a private endpoint with the right group id and DNS zone group", () => {
    expect(missingPrivateLinks(capture)).toEqual([]);
    const endpoints = ofType(capture, T.endpoint);
    expect(endpoints.map((e) => e.inputs.privateEndpointName).sort()).toEqual([
      "pep-ee-emb-dev-keys-vault",
      "pep-ee-emb-dev-registers-blob",
      "pep-ee-emb-dev-registers-blob-secondary",
    ]);
    const pe = byName(capture, T.subnet, "snet-pe");
    for (const e of endpoints) {
      expect((e.inputs.subnet as { id: string }).id).toBe(armIdOf(pe));
      expect(e.inputs.customNetworkInterfaceName).toBe(String(e.inputs.privateEndpointName).replace(/^pep-/, "nic-"));
      expect(e.parent).toBe(single(capture, T.network).urn);
    }
  });

  it("creates the seven private DNS zones (data services and Azure Monitor), linked to the VNet for resolution only", () => {
    const zones = ofType(capture, T.zone);
    expect(zones.map((z) => z.inputs.privateZoneName).sort()).toEqual([
      "privatelink.agentsvc.azure-automation.net",
      "privatelink.blob.core.windows.net",
      "privatelink.managedhsm.azure.net",
      "privatelink.monitor.azure.com",
      "privatelink.ods.opinsights.azure.com",
      "privatelink.oms.opinsights.azure.com",
      "privatelink.vaultcore.azure.net",
    ]);
    const vnetId = armIdOf(single(capture, T.vnet));
    const links = ofType(capture, T.link);
    expect(links.map((l) => l.inputs.privateZoneName).sort()).toEqual(zones.map((z) => z.inputs.privateZoneName).sort());
    for (const link of links) {
      expect(link.inputs).toMatchObject({ virtualNetwork: { id: vnetId }, registrationEnabled: false, location: "global" });
    }
    const blobGroup = ofType(capture, T.zoneGroup).find((g) => g.inputs.privateEndpointName === "pep-ee-emb-dev-registers-blob");
    expect(blobGroup?.inputs.privateDnsZoneConfigs).toEqual([
      { name: "privatelink-blob-core-windows-net", privateDnsZoneId: armIdOf(zones.find((z) => z.inputs.privateZoneName === zoneNames.blob)!) },
    ]);
  });

  it("does not peer anywhere unless a hub is given", () => {
    expect(ofType(capture, T.peering)).toEqual([]);
  });

  it("exports subnet, endpoint and NIC ids; private IPs stay empty offline (Azure assigns them)", () => {
    const outputs = capture.outputs as {
      subnets: { pe: string };
      endpoints: Record<string, { id: string; nic: string; ips: string[] }>;
    };
    expect(outputs.subnets.pe).toMatch(/\/virtualNetworks\/vnet-ee-emb-dev\/subnets\/snet-ee-emb-dev-pe$/);
    expect(outputs.endpoints.vault.id).toMatch(/\/privateEndpoints\/pep-ee-emb-dev-keys-vault$/);
    expect(outputs.endpoints.vault.nic).toMatch(/\/networkInterfaces\/nic-ee-emb-dev-keys-vault$/);
    expect(outputs.endpoints.vault.ips).toEqual([]);
  });

  it("the private-link check catches a vault or account left without an endpoint", async () => {
    const unconnected = await plan({ program: networkProgram({ connect: { storage: false, vault: false } }) });
    expect(missingPrivateLinks(unconnected).sort()).toEqual([
      "kv: no private endpoint for vault",
      "st: no private endpoint for blob",
      "st: no private endpoint for blob_secondary",
    ]);
  });
});

describe("EmbassyNetwork options", () => {
  it("BYO DNS: creates no zones or links and registers endpoints in the hub's zones", async () => {
    const capture = await plan({ program: networkProgram({ privateDns: { mode: "byo", zoneIds: hubZoneIds } }) });
    expect(ofType(capture, T.zone)).toEqual([]);
    expect(ofType(capture, T.link)).toEqual([]);
    const used = ofType(capture, T.zoneGroup).flatMap((g) => (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((z) => z.privateDnsZoneId));
    expect(used.length).toBe(3);
    for (const id of used) expect(hubZoneIds).toContain(id);
    expect(missingPrivateLinks(capture)).toEqual([]);
  });

  it("BYO DNS: connecting a service whose zone the hub did not give fails naming the zone", async () => {
    const { message } = await failedPlan({
      program: networkProgram({
        privateDns: { mode: "byo", zoneIds: hubZoneIds.filter((id) => !id.endsWith("managedhsm.azure.net")) },
        extra: (net) =>
          net.connect("hsm", { resourceId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/managedHSMs/z", groupId: "managedhsm" }),
      }),
    });
    expect(message).toMatch(/privatelink\.managedhsm\.azure\.net/);
  });

  it("peers with the hub: VNet access and forwarded home traffic, no gateway transit by default", async () => {
    const capture = await plan({ program: networkProgram({ hubVnetId }) });
    const peering = single(capture, T.peering);
    expect(peering.inputs).toMatchObject({
      remoteVirtualNetwork: { id: hubVnetId },
      virtualNetworkName: "vnet-ee-emb-dev",
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
    const subnets = ofType(capture, T.subnet).map((s) => s.urn);
    expect(peering.dependencies).toEqual(expect.arrayContaining(subnets));
    const withGateway = await plan({ program: networkProgram({ hubVnetId, useHubGateway: true }) });
    expect(single(withGateway, T.peering).inputs.useRemoteGateways).toBe(true);
  });
});

describe("network settings", () => {
  const rejects = async (config: Record<string, unknown>, key: string, pattern: RegExp) => {
    const { message, capture } = await failedPlan({ config });
    expect(message).toMatch(new RegExp(`data-embassy:${key}: .*${pattern.source}`));
    expect(registered(capture)).toEqual([]);
  };

  it("rejects an invalid CIDR", async () => {
    await rejects({ vnetAddressSpace: "10.60.0.0/33" }, "vnetAddressSpace", /prefix length above 32/);
    await rejects({ vnetAddressSpace: "10.60.0.1/24" }, "vnetAddressSpace", /host bits set/);
    await rejects({ privateEndpointSubnet: "10.60.0/26" }, "privateEndpointSubnet", /IPv4 CIDR/);
  });

  it("rejects overlapping subnets and subnets outside the VNet", async () => {
    await rejects({ workloadSubnet: "10.60.0.32/27" }, "workloadSubnet", /overlaps privateEndpointSubnet/);
    await rejects({ workloadSubnet: "10.61.0.0/26" }, "workloadSubnet", /not inside vnetAddressSpace/);
  });

  it("rejects a BYO-zone switch without zone ids", async () => {
    await rejects({ privateDnsMode: "byo" }, "byoPrivateDnsZoneIds", /no id of a "privatelink\.blob\.core\.windows\.net" zone/);
  });

  it("rejects ids that are not private DNS zones or a VNet", async () => {
    await rejects(
      { privateDnsMode: "byo", byoPrivateDnsZoneIds: [...hubZoneIds, hubVnetId] },
      `byoPrivateDnsZoneIds\\[${hubZoneIds.length}\\]`,
      /not a private DNS zone/,
    );
    await rejects({ hubVnetId: hubZoneIds[0] }, "hubVnetId", /not a virtual network/);
  });

  it("rejects zone ids given while the stack manages its own zones", async () => {
    await rejects({ byoPrivateDnsZoneIds: hubZoneIds }, "byoPrivateDnsZoneIds", /privateDnsMode is managed/);
  });
});

describe("network in the embassy (full stack)", () => {
  it("dev stack: no public exposure, NSGs everywhere, every data service behind a private endpoint", async () => {
    const capture = await plan();
    expect(ofType(capture, "azure-native:storage:StorageAccount").length).toBeGreaterThan(0);
    expect(ofType(capture, "azure-native:keyvault:Vault").length).toBeGreaterThan(0);
    expect(publicExposure(capture)).toEqual([]);
    expect(subnetsWithoutNsg(capture)).toEqual([]);
    expect(missingPrivateLinks(capture)).toEqual([]);
    // The host's VNet, and the standby site's in the pair (replicaVnetAddressSpace) for the geo-secondaries' endpoints.
    const [vnet, standby] = ofType(capture, T.vnet);
    expect(vnet.inputs).toMatchObject({ addressSpace: { addressPrefixes: ["10.60.0.0/24"] }, location: "westeurope" });
    expect(standby.inputs).toMatchObject({ addressSpace: { addressPrefixes: ["10.60.1.0/24"] }, location: "northeurope" });
    const networks = ofType(capture, T.network);
    expect(vnet.parent).toBe(networks[0].urn);
    expect(networks[0].parent).toBe(single(capture, "dataembassy:index:DataEmbassy").urn);
    expect(networks[1].parent).toBe(single(capture, "dataembassy:index:StandbySite").urn);
    // Every read-access secondary's endpoint is in the standby VNet's subnet, none in the host's.
    const secondaries = ofType(capture, T.endpoint).filter((e) => JSON.stringify(e.inputs).includes('"groupIds":["blob_secondary"]'));
    expect(secondaries.length).toBeGreaterThan(0);
    for (const e of secondaries) expect(e.inputs.location).toBe("northeurope");
  });

  // F7: a CanNotDelete lock on the target blocks deleting or replacing its endpoint (ScopeLocked on
  // privateEndpointConnectionProxies), so where the targets are protected the endpoints are too.
  it("protects and retains the private endpoints wherever stateful resources are protected (prod), not in a dev stack that opts out", async () => {
    const [prod, dev] = await Promise.all([plan({ stack: "prod" }), plan()]);
    const prodEndpoints = ofType(prod, T.endpoint);
    expect(prodEndpoints.length).toBeGreaterThanOrEqual(3);
    for (const e of prodEndpoints) expect([e.name, e.options.protect, e.options.retainOnDelete]).toEqual([e.name, true, true]);
    const devEndpoints = ofType(dev, T.endpoint);
    expect(devEndpoints.length).toBeGreaterThanOrEqual(3);
    for (const e of devEndpoints) expect([e.name, e.options.protect, e.options.retainOnDelete]).toEqual([e.name, false, false]);
    // The DNS zone groups are children of the endpoint, not of the locked target: no lock lift, no protection needed.
    for (const g of ofType(prod, T.zoneGroup)) expect(g.options.protect).toBe(false);
  }, 180_000);

  it("managedHsm mode: the HSM gets a managedhsm endpoint in its own zone", async () => {
    const capture = await plan({ config: managedHsmConfig });
    expect(ofType(capture, "azure-native:keyvault:ManagedHsm")).toHaveLength(1);
    expect(missingPrivateLinks(capture)).toEqual([]);
    expect(publicExposure(capture)).toEqual([]);
  });

  it("object replication: the replica account in the second region is private too", async () => {
    const capture = await plan({ config: unpairedHostConfig });
    // The registers' account, its replica and a VNet flow-log account in each of the two regions.
    expect(ofType(capture, "azure-native:storage:StorageAccount")).toHaveLength(4);
    expect(missingPrivateLinks(capture)).toEqual([]);
    expect(publicExposure(capture)).toEqual([]);
  });

  it("BYO DNS from config: no zones, the hub's zone ids in every zone group", async () => {
    const capture = await plan({ config: { privateDnsMode: "byo", byoPrivateDnsZoneIds: hubZoneIds, hubVnetId } });
    expect(ofType(capture, T.zone)).toEqual([]);
    expect(ofType(capture, T.link)).toEqual([]);
    const used = ofType(capture, T.zoneGroup).flatMap((g) => (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((z) => z.privateDnsZoneId));
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(hubZoneIds).toContain(id);
    expect(missingPrivateLinks(capture)).toEqual([]);
    // Both VNets (host and standby site) peer with the hub that holds the zones.
    expect(ofType(capture, T.peering).map((p) => p.inputs.remoteVirtualNetwork)).toEqual([{ id: hubVnetId }, { id: hubVnetId }]);
  });
});
