/** What the catalog knows of one resource type. */
interface ResourceTypeFacts {
  /** The provider's type token. */
  readonly token: string;
  /** Typical minutes to create one. */
  readonly minutes?: number;
  /** The ARM resource type it creates (absent: not an ARM resource, e.g. a legal hold is an action on a container). */
  readonly arm?: string;
  /** Where ARM creates it: inside a resource group (default), or at the subscription itself. */
  readonly scope?: "resourceGroup" | "subscription";
  /**
   * ARM resources the platform creates in the embassy's group because of it (a private endpoint's
   * network interface; a Defender plan's malware-scanning topic), whatever its own scope.
   */
  readonly implies?: readonly string[];
}

/**
 * The resource types the embassy registers: the azure-native type token of each (the pack, the
 * reports and the engine match resources by token, so `@pulumi/azure-native` stays out of the pack
 * and cannot drift from the program's provider version), and the typical time, in minutes, Azure
 * takes to create one — the basis of the critical-path RTO estimate. Figures are typical create
 * times seen in ARM deployments and stated in Microsoft docs (e.g. Managed HSM "takes 20–25
 * minutes"; private endpoints and DNS zone links about a minute; role assignments seconds to
 * create but up to minutes to propagate). They are estimates for planning, not SLAs.
 */
const resourceTypes = {
  lockAtResourceGroup: { token: "azure-native:authorization:ManagementLockAtResourceGroupLevel", minutes: 0.2, arm: "Microsoft.Authorization/locks" },
  lockByScope: { token: "azure-native:authorization:ManagementLockByScope", minutes: 0.2, arm: "Microsoft.Authorization/locks" },
  policyAssignment: { token: "azure-native:authorization:PolicyAssignment", minutes: 0.5, arm: "Microsoft.Authorization/policyAssignments" },
  roleAssignment: { token: "azure-native:authorization:RoleAssignment", minutes: 1, arm: "Microsoft.Authorization/roleAssignments" },
  roleDefinition: { token: "azure-native:authorization:RoleDefinition", minutes: 0.5, arm: "Microsoft.Authorization/roleDefinitions" },
  // A PIM eligibility: the provider creates it through roleEligibilityScheduleRequests.
  roleEligibility: {
    token: "azure-native:authorization:PimRoleEligibilitySchedule",
    minutes: 0.5,
    arm: "Microsoft.Authorization/roleEligibilityScheduleRequests",
  },
  backupInstance: { token: "azure-native:dataprotection:BackupInstance", minutes: 2, arm: "Microsoft.DataProtection/backupVaults/backupInstances" },
  backupPolicy: { token: "azure-native:dataprotection:BackupPolicy", minutes: 0.2, arm: "Microsoft.DataProtection/backupVaults/backupPolicies" },
  backupVault: { token: "azure-native:dataprotection:BackupVault", minutes: 2, arm: "Microsoft.DataProtection/backupVaults" },
  resourceGuardProxy: {
    token: "azure-native:dataprotection:DppResourceGuardProxy",
    minutes: 0.3,
    arm: "Microsoft.DataProtection/backupVaults/backupResourceGuardProxies",
  },
  resourceGuard: { token: "azure-native:dataprotection:ResourceGuard", minutes: 0.5, arm: "Microsoft.DataProtection/resourceGuards" },
  key: { token: "azure-native:keyvault:Key", minutes: 0.2, arm: "Microsoft.KeyVault/vaults/keys" },
  managedHsm: { token: "azure-native:keyvault:ManagedHsm", minutes: 25, arm: "Microsoft.KeyVault/managedHSMs" },
  vault: { token: "azure-native:keyvault:Vault", minutes: 1.5, arm: "Microsoft.KeyVault/vaults" },
  systemTopic: { token: "azure-native:eventgrid:SystemTopic", minutes: 0.5, arm: "Microsoft.EventGrid/systemTopics" },
  systemTopicEventSubscription: {
    token: "azure-native:eventgrid:SystemTopicEventSubscription",
    minutes: 0.5,
    arm: "Microsoft.EventGrid/systemTopics/eventSubscriptions",
  },
  userAssignedIdentity: { token: "azure-native:managedidentity:UserAssignedIdentity", minutes: 0.3, arm: "Microsoft.ManagedIdentity/userAssignedIdentities" },
  actionGroup: { token: "azure-native:monitor:ActionGroup", minutes: 0.5, arm: "Microsoft.Insights/actionGroups" },
  activityLogAlert: { token: "azure-native:monitor:ActivityLogAlert", minutes: 0.5, arm: "Microsoft.Insights/activityLogAlerts" },
  diagnosticSetting: { token: "azure-native:monitor:DiagnosticSetting", minutes: 0.3, arm: "Microsoft.Insights/diagnosticSettings" },
  privateLinkScope: { token: "azure-native:monitor:PrivateLinkScope", minutes: 0.5, arm: "Microsoft.Insights/privateLinkScopes" },
  privateLinkScopedResource: {
    token: "azure-native:monitor:PrivateLinkScopedResource",
    minutes: 0.5,
    arm: "Microsoft.Insights/privateLinkScopes/scopedResources",
  },
  scheduledQueryRule: { token: "azure-native:monitor:ScheduledQueryRule", minutes: 0.5, arm: "Microsoft.Insights/scheduledQueryRules" },
  subscriptionDiagnosticSetting: {
    token: "azure-native:monitor:SubscriptionDiagnosticSetting",
    minutes: 0.3,
    arm: "Microsoft.Insights/diagnosticSettings",
    scope: "subscription",
  },
  // A child of the region's Network Watcher, created in the watcher's group (NetworkWatcherRG).
  flowLog: { token: "azure-native:network:FlowLog", minutes: 1, arm: "Microsoft.Network/networkWatchers/flowLogs" },
  networkSecurityGroup: { token: "azure-native:network:NetworkSecurityGroup", minutes: 0.2, arm: "Microsoft.Network/networkSecurityGroups" },
  privateDnsZoneGroup: { token: "azure-native:network:PrivateDnsZoneGroup", minutes: 0.3, arm: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" },
  privateEndpoint: {
    token: "azure-native:network:PrivateEndpoint",
    minutes: 1.5,
    arm: "Microsoft.Network/privateEndpoints",
    implies: ["Microsoft.Network/networkInterfaces"],
  },
  // A Defender plan is a subscription setting; on-upload malware scanning then creates an Event Grid
  // system topic (and Microsoft's StorageAntimalwareSubscription) in each storage account's group.
  pricing: {
    token: "azure-native:security:Pricing",
    minutes: 0.5,
    arm: "Microsoft.Security/pricings",
    scope: "subscription",
    implies: ["Microsoft.EventGrid/systemTopics", "Microsoft.EventGrid/systemTopics/eventSubscriptions"],
  },
  securityRule: { token: "azure-native:network:SecurityRule", minutes: 0.2, arm: "Microsoft.Network/networkSecurityGroups/securityRules" },
  subnet: { token: "azure-native:network:Subnet", minutes: 0.2, arm: "Microsoft.Network/virtualNetworks/subnets" },
  virtualNetwork: { token: "azure-native:network:VirtualNetwork", minutes: 0.3, arm: "Microsoft.Network/virtualNetworks" },
  virtualNetworkPeering: { token: "azure-native:network:VirtualNetworkPeering", minutes: 0.5, arm: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" },
  // Saved queries: none in the embassy's plans (control saved-queries-customer-storage); known so the pack can judge one.
  savedSearch: { token: "azure-native:operationalinsights:SavedSearch", minutes: 0.2, arm: "Microsoft.OperationalInsights/workspaces/savedSearches" },
  queryPack: { token: "azure-native:operationalinsights:QueryPack", minutes: 0.3, arm: "Microsoft.OperationalInsights/queryPacks" },
  linkedStorageAccount: {
    token: "azure-native:operationalinsights:LinkedStorageAccount",
    minutes: 0.3,
    arm: "Microsoft.OperationalInsights/workspaces/linkedStorageAccounts",
  },
  table: { token: "azure-native:operationalinsights:Table", minutes: 0.5, arm: "Microsoft.OperationalInsights/workspaces/tables" },
  workspace: { token: "azure-native:operationalinsights:Workspace", minutes: 1, arm: "Microsoft.OperationalInsights/workspaces" },
  privateZone: { token: "azure-native:privatedns:PrivateZone", minutes: 0.8, arm: "Microsoft.Network/privateDnsZones" },
  virtualNetworkLink: { token: "azure-native:privatedns:VirtualNetworkLink", minutes: 0.8, arm: "Microsoft.Network/privateDnsZones/virtualNetworkLinks" },
  resourceGroup: { token: "azure-native:resources:ResourceGroup", minutes: 0.2, arm: "Microsoft.Resources/resourceGroups", scope: "subscription" },
  blobContainer: { token: "azure-native:storage:BlobContainer", minutes: 0.1, arm: "Microsoft.Storage/storageAccounts/blobServices/containers" },
  blobContainerImmutabilityPolicy: {
    token: "azure-native:storage:BlobContainerImmutabilityPolicy",
    minutes: 0.1,
    arm: "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
  },
  blobContainerLegalHold: { token: "azure-native:storage:BlobContainerLegalHold" },
  blobServiceProperties: { token: "azure-native:storage:BlobServiceProperties", minutes: 0.2, arm: "Microsoft.Storage/storageAccounts/blobServices" },
  encryptionScope: { token: "azure-native:storage:EncryptionScope", minutes: 0.2, arm: "Microsoft.Storage/storageAccounts/encryptionScopes" },
  managementPolicy: { token: "azure-native:storage:ManagementPolicy", minutes: 0.2, arm: "Microsoft.Storage/storageAccounts/managementPolicies" },
  objectReplicationPolicy: {
    token: "azure-native:storage:ObjectReplicationPolicy",
    minutes: 0.5,
    arm: "Microsoft.Storage/storageAccounts/objectReplicationPolicies",
  },
  storageAccount: { token: "azure-native:storage:StorageAccount", minutes: 1, arm: "Microsoft.Storage/storageAccounts" },
  randomString: { token: "random:index/randomString:RandomString", minutes: 0 },
  // No fixed time: a Sleep takes its own createDuration (the critical path reads it from the inputs).
  sleep: { token: "time:index/sleep:Sleep" },
} as const satisfies Record<string, ResourceTypeFacts>;

/** A short name of a resource type the embassy knows. */
export type TypeName = keyof typeof resourceTypes;

/** The type token of each resource type, by short name. */
export const types = Object.fromEntries(Object.entries(resourceTypes).map(([name, t]) => [name, t.token])) as {
  readonly [K in TypeName]: (typeof resourceTypes)[K]["token"];
};

/** A type token the embassy knows. */
export type TypeToken = (typeof types)[TypeName];

/** Typical minutes to create one resource, by type token (types without an estimate are absent). */
export const provisioningMinutes: Readonly<Record<string, number>> = Object.fromEntries(
  Object.values(resourceTypes).flatMap((t): [string, number][] => ("minutes" in t && t.minutes !== undefined ? [[t.token, t.minutes]] : [])),
);

/** Minutes assumed for a type the table does not know (reported as unknown). */
export const defaultMinutes = 0.5;

/**
 * The ARM resource types that registering resources of `tokens` creates inside resource groups
 * (implied ones included, sorted, without duplicates), and the azure-native tokens the catalog
 * cannot map (each one a type an "Allowed resource types" assignment built from this list would
 * deny). Other providers' tokens (random, time) and component tokens create nothing in Azure.
 */
export function resourceGroupArmTypes(tokens: Iterable<string>): { readonly armTypes: string[]; readonly unknown: string[] } {
  const byToken = new Map<string, ResourceTypeFacts>(Object.values(resourceTypes).map((t) => [t.token, t]));
  const armTypes = new Set<string>();
  const unknown = new Set<string>();
  for (const token of tokens) {
    const facts = byToken.get(token);
    if (facts === undefined) {
      if (token.startsWith("azure-native:")) unknown.add(token);
      continue;
    }
    if (facts.arm === undefined) continue;
    const own = facts.scope === "subscription" ? [] : [facts.arm];
    for (const type of [...own, ...(facts.implies ?? [])]) armTypes.add(type);
  }
  return { armTypes: [...armTypes].sort(), unknown: [...unknown].sort() };
}
