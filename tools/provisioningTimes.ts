/**
 * Typical time, in minutes, for Azure to create one resource of each type — the basis of the
 * critical-path RTO estimate. Figures are typical create times seen in ARM deployments and stated
 * in Microsoft docs (e.g. Managed HSM "takes 20–25 minutes"; private endpoints and DNS zone links
 * about a minute; role assignments seconds to create but up to minutes to propagate). They are
 * estimates for planning, not SLAs; a type missing here is counted with {@link defaultMinutes} and
 * reported.
 */
export const provisioningMinutes: Readonly<Record<string, number>> = {
  "random:index/randomString:RandomString": 0,
  "azure-native:resources:ResourceGroup": 0.2,
  "azure-native:managedidentity:UserAssignedIdentity": 0.3,
  "azure-native:authorization:RoleAssignment": 1,
  "azure-native:authorization:RoleDefinition": 0.5,
  "azure-native:authorization:ManagementLockByScope": 0.2,
  "azure-native:authorization:ManagementLockAtResourceGroupLevel": 0.2,
  "azure-native:authorization:PolicyAssignment": 0.5,
  "azure-native:keyvault:Vault": 1.5,
  "azure-native:keyvault:Key": 0.2,
  "azure-native:keyvault:ManagedHsm": 25,
  "azure-native:storage:StorageAccount": 1,
  "azure-native:storage:BlobServiceProperties": 0.2,
  "azure-native:storage:BlobContainer": 0.1,
  "azure-native:storage:BlobContainerImmutabilityPolicy": 0.1,
  "azure-native:storage:EncryptionScope": 0.2,
  "azure-native:storage:ManagementPolicy": 0.2,
  "azure-native:storage:ObjectReplicationPolicy": 0.5,
  "azure-native:network:VirtualNetwork": 0.3,
  "azure-native:network:Subnet": 0.2,
  "azure-native:network:NetworkSecurityGroup": 0.2,
  "azure-native:network:PrivateEndpoint": 1.5,
  "azure-native:network:PrivateDnsZoneGroup": 0.3,
  "azure-native:network:VirtualNetworkPeering": 0.5,
  "azure-native:privatedns:PrivateZone": 0.8,
  "azure-native:privatedns:VirtualNetworkLink": 0.8,
  "azure-native:dataprotection:BackupVault": 2,
  "azure-native:dataprotection:BackupPolicy": 0.2,
  "azure-native:dataprotection:BackupInstance": 2,
  "azure-native:dataprotection:ResourceGuard": 0.5,
  "azure-native:dataprotection:DppResourceGuardProxy": 0.3,
  "azure-native:operationalinsights:Workspace": 1,
  "azure-native:monitor:DiagnosticSetting": 0.3,
  "azure-native:monitor:ActionGroup": 0.5,
  "azure-native:monitor:ActivityLogAlert": 0.5,
  "azure-native:monitor:ScheduledQueryRule": 0.5,
  "azure-native:monitor:SubscriptionDiagnosticSetting": 0.3,
  "azure-native:operationalinsights:Table": 0.5,
};

/** Minutes assumed for a type the table does not know. */
export const defaultMinutes = 0.5;
