import { azurePolicies } from "../../catalog/azurePolicies";
import { resourceGroupArmTypes, types } from "../../catalog/resourceTypes";
import { privateDnsZoneIdPattern, privateLinkZonesOf } from "../../catalog/privateLink";
import { idRefersTo, inAccount, label, ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment } from "./environment";
import { Finding, ResourceView, stackRule } from "./rule";
import { get, list, num, same, shown, strings, text } from "./values";

/**
 * Audit-trail and scope rules (issue 19): what may exist in the embassy's scope, and that the
 * evidence of what happened there is complete and reachable only privately.
 */

/** allowed-resource-types-assignment */
export const allowedResourceTypesAssignment = stackRule([types.policyAssignment], (resources) => {
  const definition = azurePolicies.allowedResourceTypes;
  const assignments = ofTypes(resources, types.policyAssignment);
  const assigned = assignments.filter((a) => (get(a.props, "policyDefinitionId") as string | undefined)?.toLowerCase().endsWith(`/${definition.guid}`));
  if (assigned.length === 0) return [{ urn: assignments[0].urn, message: `"${definition.displayName}" (${definition.guid}) is not assigned` }];
  const { armTypes, unknown } = resourceGroupArmTypes(resources.map((r) => r.type));
  const stack = stackEnvironment(resources);
  return assigned.flatMap((a): Finding[] => {
    const findings: Finding[] = [];
    const listed = strings(get(a.props, "parameters.listOfResourceTypesAllowed.value"));
    // Azure Policy compares type names case-insensitively; so does the check.
    const missing = armTypes.filter((t) => !listed.some((l) => same(l, t)));
    const extra = listed.filter((l) => !armTypes.some((t) => same(l, t)));
    if (missing.length > 0)
      findings.push({ urn: a.urn, message: `listOfResourceTypesAllowed misses ${missing.join(", ")}, which the stack creates: Azure would deny them` });
    if (extra.length > 0) findings.push({ urn: a.urn, message: `listOfResourceTypesAllowed allows ${extra.join(", ")}, which the stack does not create` });
    if (unknown.length > 0) {
      findings.push({
        urn: a.urn,
        message: `the stack creates ${unknown.join(", ")}, whose ARM type catalog/resourceTypes.ts does not know: the allowed list cannot include it`,
      });
    }
    const mode = a.props.enforcementMode;
    if (isProduction(environmentOf(a, stack)) && mode !== undefined && !same(mode, "Default")) {
      findings.push({ urn: a.urn, message: `enforcementMode is ${shown(mode)}, must be "Default" (or unset) in a ${environmentOf(a, stack)} stack` });
    }
    return findings;
  });
});

/**
 * True if `account` only holds VNet flow logs: a FlowLog writes into it and the program creates no
 * container in it. Such an account is judged by vnet-flow-logs, not by the register accounts'
 * WORM and backup controls (Network Watcher rewrites each hour's blob every minute and deletes
 * blobs past the retention itself).
 */
export function isFlowLogAccount(account: ResourceView, resources: readonly ResourceView[]): boolean {
  const written = ofTypes(resources, types.flowLog).some((f) => idRefersTo(f.props.storageId, account, f));
  return written && !ofTypes(resources, types.blobContainer).some((c) => inAccount(c, account));
}

const monitorGroup = "azuremonitor";

/** log-analytics-private-only */
export const logAnalyticsPrivateOnly = stackRule([types.workspace], (resources) => {
  const scopes = ofTypes(resources, types.privateLinkScope);
  const scoped = ofTypes(resources, types.privateLinkScopedResource);
  const endpoints = ofTypes(resources, types.privateEndpoint);
  const zoneGroups = ofTypes(resources, types.privateDnsZoneGroup);
  const privateOnly = (scope: ResourceView) =>
    same(get(scope.props, "accessModeSettings.ingestionAccessMode"), "PrivateOnly") &&
    same(get(scope.props, "accessModeSettings.queryAccessMode"), "PrivateOnly") &&
    list(scope.props, "accessModeSettings.exclusions").length === 0;
  const endpointsOf = (scope: ResourceView) =>
    endpoints.filter((e) =>
      list(e.props, "privateLinkServiceConnections").some(
        (c) => strings(c, "groupIds").some((g) => same(g, monitorGroup)) && idRefersTo(get(c, "privateLinkServiceId"), scope, e),
      ),
    );
  // The endpoint's records must land in every Azure Monitor zone, or agents and queries resolve to public IPs.
  const missingZones = (endpoint: ResourceView) => {
    const name = text(endpoint.props, "privateEndpointName");
    const configs = zoneGroups
      .filter((g) => (name !== undefined && same(g.props.privateEndpointName, name)) || g.dependencies.includes(endpoint.urn))
      .flatMap((g) => list(g.props, "privateDnsZoneConfigs").map((c) => text(c, "privateDnsZoneId") ?? ""));
    return privateLinkZonesOf(monitorGroup).filter((zone) => !configs.some((id) => privateDnsZoneIdPattern(zone).test(id)));
  };
  return ofTypes(resources, types.workspace).flatMap((w): Finding[] => {
    const findings: Finding[] = [];
    for (const property of ["publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"]) {
      if (!same(w.props[property], "Disabled")) findings.push({ urn: w.urn, message: `${property} is ${shown(w.props[property])}, must be "Disabled"` });
    }
    const holding = scopes.filter((scope) =>
      scoped.some(
        (entry) =>
          idRefersTo(entry.props.linkedResourceId, w, entry) &&
          (same(entry.props.scopeName, text(scope.props, "scopeName") ?? "\u0000") || entry.dependencies.includes(scope.urn)),
      ),
    );
    if (holding.length === 0) {
      findings.push({ urn: w.urn, message: `${label(w)} is in no Azure Monitor Private Link Scope (no PrivateLinkScopedResource links it)` });
      return findings;
    }
    for (const scope of holding) {
      if (!privateOnly(scope)) {
        findings.push({
          urn: scope.urn,
          message: `accessModeSettings is ${shown(scope.props.accessModeSettings)}: ingestion and query must be "PrivateOnly" with no exclusions`,
        });
      }
      const reached = endpointsOf(scope);
      if (reached.length === 0) findings.push({ urn: scope.urn, message: `no private endpoint (group ${monitorGroup}) connects to ${label(scope)}` });
      for (const endpoint of reached) {
        const missing = missingZones(endpoint);
        if (missing.length > 0) findings.push({ urn: endpoint.urn, message: `its DNS zone group publishes no records in ${missing.join(", ")}` });
      }
    }
    return findings;
  });
});

/** vnet-flow-logs */
export const vnetFlowLogs = stackRule([types.virtualNetwork], (resources) => {
  const stack = stackEnvironment(resources);
  const flowLogs = ofTypes(resources, types.flowLog);
  const workspaces = ofTypes(resources, types.workspace);
  const accounts = ofTypes(resources, types.storageAccount);
  return ofTypes(resources, types.virtualNetwork).flatMap((vnet): Finding[] => {
    const logs = flowLogs.filter((f) => idRefersTo(f.props.targetResourceId, vnet, f));
    if (logs.length === 0) return [{ urn: vnet.urn, message: `${label(vnet)} has no VNet flow log (a FlowLog whose targetResourceId is the VNet)` }];
    return logs.flatMap((f): Finding[] => {
      const problems: string[] = [];
      if (f.props.enabled !== true) problems.push(`enabled is ${shown(f.props.enabled)}, must be true`);
      const retained = get(f.props, "retentionPolicy.enabled") === true;
      const days = num(f.props, "retentionPolicy.days");
      const env = environmentOf(f, stack);
      // 0 keeps the records forever; production kinds keep at least a year, as the workspace.
      if (isProduction(env) && retained && days !== 0 && (days === undefined || days < 365)) {
        problems.push(`retentionPolicy.days is ${shown(days)}: a ${env} stack keeps flow logs at least 365 days (or 0, forever)`);
      }
      if (!retained && days === undefined && isProduction(env)) problems.push("retentionPolicy is unset: set enabled true with 365 days (or 0)");
      const analytics = get(f.props, "flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration");
      if (get(analytics, "enabled") !== true || !workspaces.some((w) => idRefersTo(get(analytics, "workspaceResourceId"), w, f))) {
        problems.push("traffic analytics is not enabled into the stack's workspace (flowAnalyticsConfiguration.networkWatcherFlowAnalyticsConfiguration)");
      }
      if (!accounts.some((a) => idRefersTo(f.props.storageId, a, f))) problems.push("storageId is not one of the stack's (hardened) storage accounts");
      // The account allows no shared key: the flow log writes with a user-assigned identity.
      if (!same(get(f.props, "identity.type"), "UserAssigned")) {
        problems.push(`identity.type is ${shown(get(f.props, "identity.type"))}: the flow log needs a user-assigned identity to write without account keys`);
      }
      return problems.map((message) => ({ urn: f.urn, message }));
    });
  });
});

/** defender-plans */
export const defenderPlans = stackRule([types.storageAccount, types.vault], (resources) => {
  const stack = stackEnvironment(resources);
  if (!isProduction(stack)) return [];
  const pricings = ofTypes(resources, types.pricing);
  const plan = (name: string) => pricings.find((p) => same(p.props.pricingName, name));
  const findings: Finding[] = [];
  const anchor = (type: string) => ofTypes(resources, type)[0];
  const account = anchor(types.storageAccount);
  if (account !== undefined) {
    const storage = plan("StorageAccounts");
    const scanning = list(storage?.props, "extensions").find((e) => same(get(e, "name"), "OnUploadMalwareScanning"));
    if (storage === undefined)
      findings.push({ urn: account.urn, message: `no Defender for Storage plan (security Pricing StorageAccounts) in a ${stack} stack` });
    else {
      const problems = [
        ...(same(storage.props.pricingTier, "Standard") ? [] : [`pricingTier is ${shown(storage.props.pricingTier)}, must be "Standard"`]),
        ...(same(storage.props.subPlan, "DefenderForStorageV2") ? [] : [`subPlan is ${shown(storage.props.subPlan)}, must be "DefenderForStorageV2"`]),
        ...(same(get(scanning, "isEnabled"), "True") ? [] : ["on-upload malware scanning (extension OnUploadMalwareScanning) is not enabled"]),
      ];
      findings.push(...problems.map((message) => ({ urn: storage.urn, message })));
    }
  }
  const vault = anchor(types.vault);
  if (vault !== undefined) {
    const keyVault = plan("KeyVaults");
    if (keyVault === undefined) findings.push({ urn: vault.urn, message: `no Defender for Key Vault plan (security Pricing KeyVaults) in a ${stack} stack` });
    else if (!same(keyVault.props.pricingTier, "Standard")) {
      findings.push({ urn: keyVault.urn, message: `pricingTier is ${shown(keyVault.props.pricingTier)}, must be "Standard"` });
    }
  }
  return findings;
});

/** saved-queries-customer-storage */
export const savedQueriesCustomerStorage = stackRule([types.workspace], (resources) => {
  const linked = ofTypes(resources, types.linkedStorageAccount).filter((l) => same(l.props.dataSourceType, "Query"));
  // "Queries saved in a query pack aren't stored on a linked Storage Account" (customer-managed-keys.md).
  const packs = ofTypes(resources, types.queryPack).map((q) => ({
    urn: q.urn,
    message: `${label(q)} keeps its queries in Microsoft-managed storage whatever is linked; save them as legacy queries in a workspace with a linked Query account`,
  }));
  const searches = linked.length > 0 ? [] : ofTypes(resources, types.savedSearch);
  return [
    ...packs,
    ...searches.map((s) => ({
      urn: s.urn,
      message: `saved search ${text(s.props, "savedSearchId") ?? s.name} is kept under Microsoft-managed keys: no LinkedStorageAccount with dataSourceType Query links a customer-managed account to the workspace`,
    })),
  ];
});
