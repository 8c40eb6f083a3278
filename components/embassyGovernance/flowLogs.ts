import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import type { PrivateLinkGroup } from "../../catalog/privateLink";
import { builtInRoles } from "../../catalog/roles";
import type { EmbassyContext } from "../shared/context";
import { statefulOptions } from "../shared/protection";
import { propagationWait } from "../shared/propagation";
import { roleDefinitionId } from "../shared/roles";
import { hardenedAccount } from "../sovereignStorage/sovereignStorage";
import type { Redundancy } from "../sovereignStorage/redundancy";

/**
 * Network flow evidence: a virtual network flow log per embassy VNet, into a hardened storage
 * account in the VNet's region, with traffic analytics into the embassy's workspace.
 *
 * - VNet flow logs, not NSG flow logs: "NSG flow logs will be retired on September 30, 2027. After
 *   June 30, 2025, you can no longer create new NSG flow logs"
 *   (https://learn.microsoft.com/azure/network-watcher/nsg-flow-logs-migrate).
 * - The flow log is a child of the region's Network Watcher (`networkWatchers/flowLogs`). "Network
 *   Watcher is enabled automatically" in a region when a virtual network is created there, as
 *   `NetworkWatcher_<region>` in the resource group `NetworkWatcherRG`, and there is one per region
 *   and subscription (https://learn.microsoft.com/azure/network-watcher/network-watcher-create;
 *   Microsoft's own Terraform sample "uses the regional Network Watcher instance that Azure creates
 *   automatically" and creates the flow log in its group,
 *   https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-terraform). So the embassy
 *   references that watcher instead of creating a second one, which ARM would refuse; a
 *   subscription that opted out of automatic enablement names its watcher's group in
 *   `networkWatcherResourceGroup` (docs/networking.md).
 * - The account: "must be in the same region as the virtual network", "must be standard"
 *   (vnet-flow-logs-overview.md, storage account considerations). Hardened like every embassy
 *   account (hardenedAccount: CMK under the storage key, no public network, no shared key). The
 *   flow log writes with a user-assigned identity holding Storage Blob Data Contributor on this
 *   account only ("Virtual network flow logs can use user-assigned managed identities to securely
 *   authenticate to the storage account", https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-managed-identity),
 *   so no key is needed; Azure networking services are trusted Microsoft services for the storage
 *   firewall ("Microsoft.Network — Store and analyze network traffic logs, including through the
 *   Azure Network Watcher", https://learn.microsoft.com/azure/storage/common/storage-network-security),
 *   which the account's AzureServices bypass admits. No version-level WORM: Network Watcher
 *   rewrites each hour's blob every minute, and deletes blobs older than the retention itself.
 * - Traffic analytics reads the flow logs and writes to the workspace; the raw flow logs in the
 *   account are the evidence either way.
 */

/** One VNet whose traffic is recorded. A second region's VNet is one more target. */
export interface FlowLogTarget {
  /** Short label, unique among the targets (names the resources), e.g. `primary`. */
  readonly name: string;
  /** ARM id of the virtual network. */
  readonly vnetId: pulumi.Input<string>;
  /** Its region (ARM name): the account and the flow log live there too. */
  readonly region: string;
  /** SKU of the flow-log account: the region's own redundancy, as the registers' account there has. */
  readonly sku: Redundancy["sku"];
  /** The account's encryption in this region, when not the placement's (a replica site's own key). */
  readonly encryption?: FlowLogPlacement["encryption"];
  /** Its private endpoints' network, when not the placement's (a replica site's own VNet). */
  readonly connect?: FlowLogPlacement["connect"];
}

/** Everything {@link vnetFlowLog} needs besides the target. */
export interface FlowLogPlacement {
  readonly context: EmbassyContext;
  /** Days Network Watcher keeps flow logs (1–365). */
  readonly retentionDays: number;
  /** The workspace traffic analytics writes to. */
  readonly workspace: { readonly id: pulumi.Input<string>; readonly customerId: pulumi.Input<string>; readonly region: string };
  /** Group of the regional Network Watchers (`NetworkWatcherRG` where Azure enabled them). */
  readonly networkWatcherResourceGroup: string;
  /** The account's encryption: the storage key and the identity that may use it. */
  readonly encryption: { readonly identityId: pulumi.Input<string>; readonly keyVaultUri: pulumi.Input<string>; readonly keyName: string };
  /** False while the key does not exist yet (Managed HSM before keys-ready). */
  readonly customerManagedKey: boolean;
  /** How long grants take to take effect (Go duration). */
  readonly propagationWait: string;
  /** Gives the account a private endpoint in the embassy's VNet. */
  readonly connect?: (service: string, target: { readonly resourceId: pulumi.Input<string>; readonly groupId: PrivateLinkGroup }) => unknown;
}

/** What one flow log consists of. */
export interface VnetFlowLog {
  readonly account: pulumi.CustomResource & { readonly id: pulumi.Output<string> };
  readonly flowLog: network.FlowLog;
  readonly ids: pulumi.Output<string>[];
  /** What must not be deleted: the account and the writer identity. */
  readonly locks: readonly { readonly name: string; readonly resourceId: pulumi.Output<string> }[];
}

/** Name of a region's Network Watcher as Azure enables it automatically. */
export function networkWatcherName(region: string): string {
  return `NetworkWatcher_${region}`;
}

/** Records the traffic of `target`'s VNet. */
export function vnetFlowLog(prefix: string, target: FlowLogTarget, p: FlowLogPlacement, parent: pulumi.Resource): VnetFlowLog {
  const { context } = p;
  const name = `${prefix}-flow-${target.name}`;
  const account = hardenedAccount(
    `${name}-account`,
    {
      resourceGroupName: context.resourceGroupName,
      accountName: context.namer.name("storageAccount", `fl${target.name.slice(0, 3)}`),
      location: target.region,
      sku: target.sku,
      tags: context.tags,
      encryption: target.encryption ?? p.encryption,
      customerManagedKey: p.customerManagedKey,
    },
    statefulOptions(context.protect, { parent }),
  );
  // Private only, like every embassy account: a read-access account exposes its secondary too.
  for (const groupId of target.sku.startsWith("Standard_RA") ? (["blob", "blob_secondary"] as const) : (["blob"] as const)) {
    (target.connect ?? p.connect)?.(`flowlogs-${target.name}`, { resourceId: account.id, groupId });
  }

  const writer = new managedidentity.UserAssignedIdentity(
    `${name}-writer`,
    {
      resourceGroupName: context.resourceGroupName,
      resourceName: context.namer.localName("userAssignedIdentity", `flowlogs-${target.name}`),
      location: target.region,
      tags: context.tags,
    },
    { parent },
  );
  const grant = new authorization.RoleAssignment(
    `${name}-writer-blob`,
    {
      principalId: writer.principalId,
      principalType: "ServicePrincipal",
      roleDefinitionId: roleDefinitionId(context.subscriptionId, builtInRoles.storageBlobDataContributor),
      scope: account.id,
      description: "Data embassy: VNet flow logs write their records (this account only)",
    },
    { parent },
  );
  const effective = propagationWait(`${name}-writer-effective`, { blob: grant }, p.propagationWait, { parent });

  const flowLog = new network.FlowLog(
    name,
    {
      networkWatcherName: networkWatcherName(target.region),
      resourceGroupName: p.networkWatcherResourceGroup,
      flowLogName: pulumi.interpolate`fl-${pulumi.output(target.vnetId).apply((id) => id.split("/").pop() ?? target.name)}`,
      location: target.region,
      targetResourceId: target.vnetId,
      storageId: account.id,
      enabled: true,
      identity: { type: "UserAssigned", userAssignedIdentities: [writer.id] },
      format: { type: "JSON", version: 2 },
      retentionPolicy: { enabled: true, days: p.retentionDays },
      flowAnalyticsConfiguration: {
        networkWatcherFlowAnalyticsConfiguration: {
          enabled: true,
          workspaceResourceId: p.workspace.id,
          workspaceId: p.workspace.customerId,
          workspaceRegion: p.workspace.region,
          // Minutes: 10 or 60 ("traffic analytics processing interval").
          trafficAnalyticsInterval: 10,
        },
      },
      tags: context.tags,
    },
    { parent, dependsOn: [effective] },
  );
  return {
    account,
    flowLog,
    ids: [account.id, writer.id, grant.id, flowLog.id],
    locks: [
      { name: `flowlogs-${target.name}`, resourceId: account.id },
      { name: `flowlogs-${target.name}-writer`, resourceId: writer.id },
    ],
  };
}
