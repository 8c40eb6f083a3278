import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { PrivateLinkGroup, privateLinkZonesOf } from "../../catalog/privateLink";
import type { EmbassyContext } from "../shared/context";
import { statefulOptions } from "../shared/protection";

/** What a private endpoint connects to. */
export interface PrivateLinkTarget {
  /** ARM id of the resource (storage account, Key Vault, Managed HSM). */
  readonly resourceId: pulumi.Input<string>;
  /** Sub-resource to expose in the VNet. */
  readonly groupId: PrivateLinkGroup;
}

/** A private endpoint and the DNS zone group that publishes its A record. */
export interface PrivateLink {
  readonly endpoint: network.PrivateEndpoint;
  readonly dnsZoneGroup: network.PrivateDnsZoneGroup;
  /** ARM id of the private endpoint. */
  readonly id: pulumi.Output<string>;
  /** ARM id of the endpoint's network interface (named by the embassy, so known before deployment). */
  readonly networkInterfaceId: pulumi.Output<string>;
  /** Private IPs Azure assigned in the endpoint subnet (dynamic: known only after deployment). */
  readonly privateIpAddresses: pulumi.Output<string[]>;
}

/** Everything {@link createPrivateLink} needs besides the target. */
export interface PrivateLinkPlacement {
  readonly context: EmbassyContext;
  /** Subnet the endpoint's network interface goes into. */
  readonly subnetId: pulumi.Input<string>;
  /** Private DNS zone id per zone name (managed or brought by a hub). */
  readonly zoneId: (zoneName: string) => pulumi.Input<string>;
  /** Pulumi name prefix for the created resources. */
  readonly resourcePrefix: string;
  /**
   * Names of endpoints deployed under another convention, which renaming would replace (the state
   * backend's: network interface `<endpoint name>-nic`, zone config named by group id). Default:
   * the embassy's (`nic-…-<qualifier>`, zone config named after the zone).
   */
  readonly naming?: {
    readonly networkInterface: (endpointName: string) => string;
    readonly zoneConfig: (groupId: PrivateLinkGroup) => string;
  };
}

/**
 * Creates a private endpoint for `target` and its DNS zone group. `name` is a short qualifier
 * (e.g. `registers`) that, with the group id, names the endpoint and its network interface; empty
 * where the group id alone tells the endpoints apart (the state backend's).
 */
export function createPrivateLink(name: string, target: PrivateLinkTarget, placement: PrivateLinkPlacement, opts: pulumi.CustomResourceOptions): PrivateLink {
  const { context } = placement;
  const qualifier = [name, target.groupId.replace(/_/g, "-")].filter((part) => part !== "").join("-");
  const endpointName = context.namer.localName("privateEndpoint", qualifier);
  const nicName = placement.naming?.networkInterface(endpointName) ?? context.namer.localName("networkInterface", qualifier);
  // One zone for most groups; an Azure Monitor Private Link Scope's endpoint publishes in five.
  const [zoneName, ...moreZones] = privateLinkZonesOf(target.groupId);
  const zoneConfigName = placement.naming?.zoneConfig(target.groupId) ?? zoneName.replace(/\./g, "-");

  const endpoint = new network.PrivateEndpoint(
    `${placement.resourcePrefix}-${qualifier}-pep`,
    {
      privateEndpointName: endpointName,
      resourceGroupName: context.resourceGroupName,
      location: context.location,
      subnet: { id: placement.subnetId },
      customNetworkInterfaceName: nicName,
      privateLinkServiceConnections: [{ name: endpointName, privateLinkServiceId: target.resourceId, groupIds: [target.groupId] }],
      tags: context.tags,
    },
    // Protected (and retained) wherever the stateful resources are (audit F7). Deleting or
    // replacing an endpoint deletes a privateEndpointConnectionProxies child of its target, and
    // the target's CanNotDelete lock covers its children ("When you apply a lock at a parent
    // scope, all resources within that scope inherit the same lock", MicrosoftDocs/azure-docs
    // articles/azure-resource-manager/management/lock-resources.md): ARM answers ScopeLocked
    // ("…/storageAccounts/…/privateEndpointConnectionProxies/… cannot perform delete operation
    // because following scope(s) are locked", hashicorp/terraform-provider-azurerm#17478;
    // MicrosoftDocs/azure-docs#116983). So Pulumi refuses up front instead of failing half-way;
    // the lock lift is in docs/networking.md.
    statefulOptions(context.protect, opts),
  );

  const dnsZoneGroup = new network.PrivateDnsZoneGroup(
    `${placement.resourcePrefix}-${qualifier}-dns`,
    {
      privateDnsZoneGroupName: "default",
      privateEndpointName: endpoint.name,
      resourceGroupName: context.resourceGroupName,
      privateDnsZoneConfigs: [
        { name: zoneConfigName, privateDnsZoneId: placement.zoneId(zoneName) },
        ...moreZones.map((zone) => ({ name: zone.replace(/\./g, "-"), privateDnsZoneId: placement.zoneId(zone) })),
      ],
    },
    { parent: opts.parent },
  );

  return {
    endpoint,
    dnsZoneGroup,
    id: endpoint.id,
    networkInterfaceId: endpoint.networkInterfaces.apply((nics) => nics?.[0]?.id ?? ""),
    privateIpAddresses: endpoint.customDnsConfigs.apply((configs) => (configs ?? []).flatMap((c) => c.ipAddresses ?? [])),
  };
}
