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
  lockAtResourceGroup: { token: "azure-native:authorization:ManagementLockAtResourceGroupLevel", minutes: 0.2 },
  lockByScope: { token: "azure-native:authorization:ManagementLockByScope", minutes: 0.2 },
  policyAssignment: { token: "azure-native:authorization:PolicyAssignment", minutes: 0.5 },
  roleAssignment: { token: "azure-native:authorization:RoleAssignment", minutes: 1 },
  roleDefinition: { token: "azure-native:authorization:RoleDefinition", minutes: 0.5 },
  backupInstance: { token: "azure-native:dataprotection:BackupInstance", minutes: 2 },
  backupPolicy: { token: "azure-native:dataprotection:BackupPolicy", minutes: 0.2 },
  backupVault: { token: "azure-native:dataprotection:BackupVault", minutes: 2 },
  resourceGuardProxy: { token: "azure-native:dataprotection:DppResourceGuardProxy", minutes: 0.3 },
  resourceGuard: { token: "azure-native:dataprotection:ResourceGuard", minutes: 0.5 },
  key: { token: "azure-native:keyvault:Key", minutes: 0.2 },
  managedHsm: { token: "azure-native:keyvault:ManagedHsm", minutes: 25 },
  vault: { token: "azure-native:keyvault:Vault", minutes: 1.5 },
  systemTopic: { token: "azure-native:eventgrid:SystemTopic", minutes: 0.5 },
  systemTopicEventSubscription: { token: "azure-native:eventgrid:SystemTopicEventSubscription", minutes: 0.5 },
  userAssignedIdentity: { token: "azure-native:managedidentity:UserAssignedIdentity", minutes: 0.3 },
  actionGroup: { token: "azure-native:monitor:ActionGroup", minutes: 0.5 },
  activityLogAlert: { token: "azure-native:monitor:ActivityLogAlert", minutes: 0.5 },
  diagnosticSetting: { token: "azure-native:monitor:DiagnosticSetting", minutes: 0.3 },
  scheduledQueryRule: { token: "azure-native:monitor:ScheduledQueryRule", minutes: 0.5 },
  subscriptionDiagnosticSetting: { token: "azure-native:monitor:SubscriptionDiagnosticSetting", minutes: 0.3 },
  networkSecurityGroup: { token: "azure-native:network:NetworkSecurityGroup", minutes: 0.2 },
  privateDnsZoneGroup: { token: "azure-native:network:PrivateDnsZoneGroup", minutes: 0.3 },
  privateEndpoint: { token: "azure-native:network:PrivateEndpoint", minutes: 1.5 },
  securityRule: { token: "azure-native:network:SecurityRule", minutes: 0.2 },
  subnet: { token: "azure-native:network:Subnet", minutes: 0.2 },
  virtualNetwork: { token: "azure-native:network:VirtualNetwork", minutes: 0.3 },
  virtualNetworkPeering: { token: "azure-native:network:VirtualNetworkPeering", minutes: 0.5 },
  table: { token: "azure-native:operationalinsights:Table", minutes: 0.5 },
  workspace: { token: "azure-native:operationalinsights:Workspace", minutes: 1 },
  privateZone: { token: "azure-native:privatedns:PrivateZone", minutes: 0.8 },
  virtualNetworkLink: { token: "azure-native:privatedns:VirtualNetworkLink", minutes: 0.8 },
  resourceGroup: { token: "azure-native:resources:ResourceGroup", minutes: 0.2 },
  blobContainer: { token: "azure-native:storage:BlobContainer", minutes: 0.1 },
  blobContainerImmutabilityPolicy: { token: "azure-native:storage:BlobContainerImmutabilityPolicy", minutes: 0.1 },
  blobContainerLegalHold: { token: "azure-native:storage:BlobContainerLegalHold" },
  blobServiceProperties: { token: "azure-native:storage:BlobServiceProperties", minutes: 0.2 },
  encryptionScope: { token: "azure-native:storage:EncryptionScope", minutes: 0.2 },
  managementPolicy: { token: "azure-native:storage:ManagementPolicy", minutes: 0.2 },
  objectReplicationPolicy: { token: "azure-native:storage:ObjectReplicationPolicy", minutes: 0.5 },
  storageAccount: { token: "azure-native:storage:StorageAccount", minutes: 1 },
  randomString: { token: "random:index/randomString:RandomString", minutes: 0 },
  // No fixed time: a Sleep takes its own createDuration (the critical path reads it from the inputs).
  sleep: { token: "time:index/sleep:Sleep" },
} as const satisfies Record<string, { readonly token: string; readonly minutes?: number }>;

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
