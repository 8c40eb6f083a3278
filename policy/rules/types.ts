/**
 * The azure-native type tokens the rules match. Matching by token (not by class) keeps
 * `@pulumi/azure-native` out of the pack: it loads in a fraction of the time and cannot drift from
 * the program's provider version.
 */
export const types = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  storageAccount: "azure-native:storage:StorageAccount",
  blobServiceProperties: "azure-native:storage:BlobServiceProperties",
  blobContainer: "azure-native:storage:BlobContainer",
  encryptionScope: "azure-native:storage:EncryptionScope",
  objectReplicationPolicy: "azure-native:storage:ObjectReplicationPolicy",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  managedHsm: "azure-native:keyvault:ManagedHsm",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  lockByScope: "azure-native:authorization:ManagementLockByScope",
  lockAtResourceGroup: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
  policyAssignment: "azure-native:authorization:PolicyAssignment",
  virtualNetwork: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  networkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  backupVault: "azure-native:dataprotection:BackupVault",
  backupInstance: "azure-native:dataprotection:BackupInstance",
  resourceGuardProxy: "azure-native:dataprotection:DppResourceGuardProxy",
  workspace: "azure-native:operationalinsights:Workspace",
  diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
  activityLogAlert: "azure-native:monitor:ActivityLogAlert",
} as const;

/** A type token the rules know. */
export type TypeToken = (typeof types)[keyof typeof types];
