import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { EmbassyContext } from "../shared/context";

/**
 * The audit trail reachable only privately: an Azure Monitor Private Link Scope (AMPLS) holding the
 * workspace, in "Private Only" access mode for ingestion and query, which the embassy's VNet
 * reaches through a private endpoint (group `azuremonitor`) whose records live in the monitor, oms,
 * ods, agentsvc and blob zones (catalog/privateLink.ts), managed or the hub's like the others.
 *
 * Microsoft ("Design your Azure Private Link setup",
 * https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design):
 * - "Private Only — allows the virtual network to reach only Private Link resources (resources in
 *   the AMPLS). That's the most secure mode of work, preventing data exfiltration."
 * - The workspace's "Accept or block ingestion/queries from public networks (networks not
 *   connected to the resource AMPLS)" are both set to block (publicNetworkAccessFor* Disabled).
 * - "Logs and metrics sent to a workspace from a diagnostic setting are over a secure private
 *   Microsoft channel and aren't controlled by these settings": every diagnostic setting and the
 *   activity-log export keep landing.
 * - "Queries sent through the Resource Manager API can't use Azure Monitor private links": an
 *   auditor queries from a network that resolves the embassy's private DNS (the embassy's VNet or
 *   one peered or connected to it), not from the Internet.
 * - "Avoid creating multiple private endpoints and AMPLS objects because only the last one set in
 *   the DNS applies": with the hub's zones (`privateDnsMode: byo`) the hub's DNS now resolves Azure
 *   Monitor through this endpoint, so networks that share it reach only the resources in this
 *   scope in Private Only mode (docs/networking.md).
 *
 * The scope's location is `global`, as in Microsoft's ARM template for it (private-link-configure.md,
 * `microsoft.insights/privatelinkscopes` api-version 2021-07-01-preview, `"location": "global"`,
 * with `accessModeSettings`). It holds no data: neither locked nor protected.
 */
export interface MonitorPrivateLinkScope {
  readonly scope: monitor.PrivateLinkScope;
  readonly scopedWorkspace: monitor.PrivateLinkScopedResource;
}

/** Name of the workspace's entry in the scope. */
export const scopedWorkspaceName = "embassy-workspace";

/** Creates the Private Only scope and puts the workspace in it. */
export function monitorPrivateLinkScope(
  prefix: string,
  context: EmbassyContext,
  workspaceId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): MonitorPrivateLinkScope {
  const scope = new monitor.PrivateLinkScope(
    `${prefix}-monitor-scope`,
    {
      scopeName: context.namer.localName("monitorPrivateLinkScope"),
      resourceGroupName: context.resourceGroupName,
      location: "global",
      accessModeSettings: { ingestionAccessMode: "PrivateOnly", queryAccessMode: "PrivateOnly", exclusions: [] },
      tags: context.tags,
    },
    opts,
  );
  const scopedWorkspace = new monitor.PrivateLinkScopedResource(
    `${prefix}-monitor-scope-workspace`,
    { name: scopedWorkspaceName, resourceGroupName: context.resourceGroupName, scopeName: scope.name, linkedResourceId: workspaceId },
    opts,
  );
  return { scope, scopedWorkspace };
}
