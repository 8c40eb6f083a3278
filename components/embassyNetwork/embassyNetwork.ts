import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import type { network as networkInputs } from "@pulumi/azure-native/types/input";
import { Governed, nothingGoverned } from "../shared/governed";
import type { EmbassyContext } from "../shared/context";
import { privateDnsZoneNames } from "../../catalog/privateLink";
import { createPrivateLink, PrivateLink, PrivateLinkTarget } from "./privateEndpoint";

/** Who owns the private DNS zones the endpoints register in. */
export type PrivateDnsArgs =
  /** The embassy creates the zones and links them to its VNet. */
  | { readonly mode: "managed" }
  /** A hub owns the zones (and links them to the embassy VNet); the embassy only references them. */
  | { readonly mode: "byo"; readonly zoneIds: readonly string[] }
  /**
   * Another EmbassyNetwork of the same resource group owns the zones (by zone name); this one only
   * links its VNet to them. A resource group holds one private DNS zone of a name, so a second VNet
   * there (an unpaired host's replica site) shares the first one's zones instead of creating its own.
   */
  | { readonly mode: "linked"; readonly zoneIds: Readonly<Record<string, pulumi.Input<string>>> };

/** Arguments of {@link EmbassyNetwork}. */
export interface EmbassyNetworkArgs {
  /** Placement, naming and tags. */
  readonly context: EmbassyContext;
  /** VNet address space (CIDR), e.g. `10.60.0.0/24`. Checked by the settings (networkRules). */
  readonly addressSpace: string;
  /** Private-endpoint subnet (CIDR inside addressSpace). */
  readonly privateEndpointSubnet: string;
  /** Restore / DR-drill workload subnet (CIDR inside addressSpace, not overlapping the endpoint subnet). */
  readonly workloadSubnet: string;
  /** Private DNS zone ownership. Default `managed`. */
  readonly privateDns?: PrivateDnsArgs;
  /** ARM id of an existing hub VNet to peer with (connectivity to home). Unset: no peering. */
  readonly hubVnetId?: string;
  /**
   * Route through the hub's VPN/ExpressRoute gateway (`useRemoteGateways`). Only valid when the hub
   * has a gateway and allows gateway transit on its side of the peering. Default false.
   */
  readonly useHubGateway?: boolean;
}

/** NSG rule fields every embassy rule sets. */
type Rule = networkInputs.SecurityRuleArgs & { name: string; priority: number };

const anyPort = { sourcePortRange: "*", destinationPortRange: "*" };

/** Rules that close a subnet: explicit Internet deny plus deny-all below Azure's permissive defaults. */
const closedRules: Rule[] = [
  {
    name: "deny-internet-inbound",
    priority: 4000,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "Internet",
    destinationAddressPrefix: "*",
    ...anyPort,
    description: "No inbound traffic from the Internet.",
  },
  // Overrides the default AllowVnetInBound / AllowAzureLoadBalancerInBound (65000+).
  {
    name: "deny-all-inbound",
    priority: 4096,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    ...anyPort,
    description: "Anything not allowed above is denied.",
  },
  {
    name: "deny-internet-outbound",
    priority: 4000,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "Internet",
    ...anyPort,
    description: "No outbound traffic to the Internet.",
  },
  // Overrides the default AllowVnetOutBound / AllowInternetOutBound (65000+).
  {
    name: "deny-all-outbound",
    priority: 4096,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    ...anyPort,
    description: "Anything not allowed above is denied.",
  },
];

/** Private endpoints serve HTTPS (blob, Key Vault, Managed HSM) to the VNet, the hub and home via the hub. */
function endpointSubnetRules(endpointSubnet: string): Rule[] {
  return [
    {
      name: "allow-https-from-vnet",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "VirtualNetwork",
      sourcePortRange: "*",
      destinationAddressPrefix: endpointSubnet,
      destinationPortRange: "443",
      description: "HTTPS to the private endpoints from the VNet, peered hub and gateway-connected home networks.",
    },
    ...closedRules,
  ];
}

/** Restore / DR-drill workloads reach the private endpoints and Entra ID (tokens) and nothing else. */
function workloadSubnetRules(workloadSubnet: string, endpointSubnet: string): Rule[] {
  return [
    {
      name: "allow-https-to-endpoints",
      priority: 100,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: workloadSubnet,
      sourcePortRange: "*",
      destinationAddressPrefix: endpointSubnet,
      destinationPortRange: "443",
      description: "HTTPS to the embassy's private endpoints.",
    },
    // Entra ID has no private endpoint; the egress path (hub firewall or NAT) must be added deliberately.
    {
      name: "allow-https-to-entra",
      priority: 110,
      direction: "Outbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: workloadSubnet,
      sourcePortRange: "*",
      destinationAddressPrefix: "AzureActiveDirectory",
      destinationPortRange: "443",
      description: "Entra ID token requests.",
    },
    ...closedRules,
  ];
}

/**
 * The embassy's private network: a VNet in the host region with a private-endpoint subnet and a
 * restore/workload subnet, each behind a closed NSG and without default outbound Internet access;
 * private DNS for the endpoints (managed here or brought by a hub); optional peering to a hub VNet.
 * Other components' services are attached with {@link EmbassyNetwork.connect}.
 */
export class EmbassyNetwork extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly vnetName: pulumi.Output<string>;
  readonly privateEndpointSubnetId: pulumi.Output<string>;
  readonly workloadSubnetId: pulumi.Output<string>;
  /** NSG ids per subnet purpose. */
  readonly networkSecurityGroupIds: { readonly privateEndpoint: pulumi.Output<string>; readonly workload: pulumi.Output<string> };
  /** The NSGs log to the workspace (flow evidence for auditors). */
  readonly governed: Governed;
  /** Private DNS zone id per zone name (created here, or the hub's in byo mode). */
  readonly privateDnsZoneIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Id of the peering to the hub VNet, when one was requested. */
  readonly hubPeeringId?: pulumi.Output<string>;

  private readonly context: EmbassyContext;
  private readonly resourcePrefix: string;

  constructor(name: string, args: EmbassyNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:EmbassyNetwork", name, {}, opts);
    const { context } = args;
    const { namer, resourceGroupName, location, tags } = context;
    this.context = context;
    this.resourcePrefix = name;

    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        virtualNetworkName: namer.localName("virtualNetwork"),
        resourceGroupName,
        location,
        addressSpace: { addressPrefixes: [args.addressSpace] },
        // Subnets are separate resources below and never listed here: mixing the two churns.
        tags,
      },
      { parent: this },
    );

    const nsg = (purpose: string, rules: Rule[]) =>
      new network.NetworkSecurityGroup(
        `${name}-nsg-${purpose}`,
        { networkSecurityGroupName: namer.localName("networkSecurityGroup", purpose), resourceGroupName, location, securityRules: rules, tags },
        { parent: this },
      );
    const endpointNsg = nsg("pe", endpointSubnetRules(args.privateEndpointSubnet));
    const workloadNsg = nsg("workload", workloadSubnetRules(args.workloadSubnet, args.privateEndpointSubnet));

    const endpointSubnet = new network.Subnet(
      `${name}-snet-pe`,
      {
        subnetName: namer.localName("subnet", "pe"),
        resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefix: args.privateEndpointSubnet,
        networkSecurityGroup: { id: endpointNsg.id },
        // NSG rules apply to private endpoints only with network policies enabled.
        privateEndpointNetworkPolicies: "Enabled",
        defaultOutboundAccess: false,
      },
      { parent: this },
    );
    // One subnet operation per VNet at a time: Azure rejects concurrent ones (AnotherOperationInProgress).
    const workloadSubnet = new network.Subnet(
      `${name}-snet-workload`,
      {
        subnetName: namer.localName("subnet", "workload"),
        resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefix: args.workloadSubnet,
        networkSecurityGroup: { id: workloadNsg.id },
        defaultOutboundAccess: false,
      },
      { parent: this, dependsOn: [endpointSubnet] },
    );

    const dns = args.privateDns ?? { mode: "managed" };
    this.privateDnsZoneIds =
      dns.mode === "byo" ? byoZoneIds(dns.zoneIds) : dns.mode === "linked" ? this.linkedZones(name, vnet, dns.zoneIds) : this.managedZones(name, vnet);

    if (args.hubVnetId !== undefined) {
      const peering = new network.VirtualNetworkPeering(
        `${name}-hub-peering`,
        {
          virtualNetworkPeeringName: namer.localName("virtualNetworkPeering", "hub"),
          resourceGroupName,
          virtualNetworkName: vnet.name,
          remoteVirtualNetwork: { id: args.hubVnetId },
          allowVirtualNetworkAccess: true,
          // Home traffic arrives through the hub's firewall or gateway, i.e. forwarded.
          allowForwardedTraffic: true,
          allowGatewayTransit: false,
          useRemoteGateways: args.useHubGateway ?? false,
        },
        { parent: this, dependsOn: [endpointSubnet, workloadSubnet] },
      );
      this.hubPeeringId = peering.id;
    }

    this.vnetId = vnet.id;
    this.vnetName = vnet.name;
    this.privateEndpointSubnetId = endpointSubnet.id;
    this.workloadSubnetId = workloadSubnet.id;
    this.networkSecurityGroupIds = { privateEndpoint: endpointNsg.id, workload: workloadNsg.id };
    this.governed = {
      ...nothingGoverned,
      diagnostics: [
        { name: "nsg-pe", resourceId: endpointNsg.id, kind: "networkSecurityGroup" },
        { name: "nsg-workload", resourceId: workloadNsg.id, kind: "networkSecurityGroup" },
      ],
    };
    this.registerOutputs({
      vnetId: this.vnetId,
      privateEndpointSubnetId: this.privateEndpointSubnetId,
      workloadSubnetId: this.workloadSubnetId,
      networkSecurityGroupIds: this.networkSecurityGroupIds,
      privateDnsZoneIds: this.privateDnsZoneIds,
      hubPeeringId: this.hubPeeringId,
    });
  }

  /**
   * Gives `target` a private endpoint in the endpoint subnet, registered in the private DNS zone of
   * its group id. `name` is a short qualifier (e.g. `registers`, `keys`) used in resource names.
   */
  connect(name: string, target: PrivateLinkTarget, opts: pulumi.CustomResourceOptions = {}): PrivateLink {
    return createPrivateLink(
      name,
      target,
      {
        context: this.context,
        subnetId: this.privateEndpointSubnetId,
        zoneId: (zone) => {
          const id = this.privateDnsZoneIds[zone];
          if (id === undefined) {
            throw new Error(`EmbassyNetwork ${this.resourcePrefix}: no private DNS zone "${zone}" for ${name}; with privateDns byo, zoneIds must include it`);
          }
          return id;
        },
        resourcePrefix: this.resourcePrefix,
      },
      { ...opts, parent: this },
    );
  }

  /** Links the VNet, for resolution only, to zones another network of the resource group created. */
  private linkedZones(
    name: string,
    vnet: network.VirtualNetwork,
    zoneIds: Readonly<Record<string, pulumi.Input<string>>>,
  ): Record<string, pulumi.Output<string>> {
    const { namer, resourceGroupName, tags } = this.context;
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const [zoneName, id] of Object.entries(zoneIds)) {
      new privatedns.VirtualNetworkLink(
        `${name}-zone-${zoneName.split(".")[1]}-link`,
        {
          virtualNetworkLinkName: namer.localName("privateDnsZoneLink"),
          // The zone's name, resolved from its id, so the link waits for the zone.
          privateZoneName: pulumi.output(id).apply((zoneId) => zoneId.split("/").pop() ?? zoneName),
          resourceGroupName,
          location: "global",
          virtualNetwork: { id: vnet.id },
          registrationEnabled: false,
          tags,
        },
        { parent: this },
      );
      ids[zoneName] = pulumi.output(id);
    }
    return ids;
  }

  /** One zone per Private Link zone name, linked to the VNet for resolution only (no auto-registration). */
  private managedZones(name: string, vnet: network.VirtualNetwork): Record<string, pulumi.Output<string>> {
    const { namer, resourceGroupName, tags } = this.context;
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const zoneName of privateDnsZoneNames) {
      const slug = zoneName.split(".")[1];
      const zone = new privatedns.PrivateZone(
        `${name}-zone-${slug}`,
        { privateZoneName: zoneName, resourceGroupName, location: "global", tags },
        { parent: this },
      );
      new privatedns.VirtualNetworkLink(
        `${name}-zone-${slug}-link`,
        {
          virtualNetworkLinkName: namer.localName("privateDnsZoneLink"),
          privateZoneName: zone.name,
          resourceGroupName,
          location: "global",
          virtualNetwork: { id: vnet.id },
          registrationEnabled: false,
          tags,
        },
        { parent: this },
      );
      ids[zoneName] = zone.id;
    }
    return ids;
  }
}

/** Hub-owned zone ids keyed by zone name (the last segment of a privateDnsZones id). */
function byoZoneIds(zoneIds: readonly string[]): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(zoneIds.map((id) => [id.split("/").pop()!.toLowerCase(), pulumi.output(id)]));
}
