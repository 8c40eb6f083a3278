/**
 * How Azure would name and identify each resource type the embassy uses, so the offline engine's
 * mocks return realistic ARM ids, names and computed properties (endpoints, principal ids) instead
 * of echoing inputs. Templates use `{input}` placeholders plus `{sub}`, `{rgId}` and `{name}`.
 */

/** Resolves a resource's ARM identity from its inputs. */
export interface ArmType {
  /** Input that carries the explicit Azure name (auto-named from the Pulumi name when absent). */
  readonly nameInput: string;
  /** ARM id template. */
  readonly id: string;
  /** Extra provider-computed state (endpoints, identities), given the resolved name and id. */
  readonly state?: (ctx: ArmContext) => Record<string, unknown>;
}

/** What a state function can use. */
export interface ArmContext {
  readonly name: string;
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  /** Deterministic GUID derived from the given seed (stable across runs). */
  readonly guid: (seed: string) => string;
}

const rgId = "/subscriptions/{sub}/resourceGroups/{resourceGroupName}";
const provider = (path: string) => `${rgId}/providers/${path}`;

/** The ARM shape of every azure-native type the embassy registers. */
export const armTypes: Readonly<Record<string, ArmType>> = {
  "azure-native:resources:ResourceGroup": { nameInput: "resourceGroupName", id: "/subscriptions/{sub}/resourceGroups/{name}" },

  "azure-native:managedidentity:UserAssignedIdentity": {
    nameInput: "resourceName",
    id: provider("Microsoft.ManagedIdentity/userAssignedIdentities/{name}"),
    state: ({ id, guid }) => ({ principalId: guid(`${id}/principal`), clientId: guid(`${id}/client`), tenantId: guid("tenant") }),
  },
  "azure-native:keyvault:Vault": {
    nameInput: "vaultName",
    id: provider("Microsoft.KeyVault/vaults/{name}"),
    state: ({ name, inputs }) => ({ properties: { ...(inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/` } }),
  },
  "azure-native:keyvault:Key": {
    nameInput: "keyName",
    id: provider("Microsoft.KeyVault/vaults/{vaultName}/keys/{name}"),
    state: ({ name, inputs, guid }) => {
      const uri = `https://${String(inputs.vaultName)}.vault.azure.net/keys/${name}`;
      return { keyUri: uri, keyUriWithVersion: `${uri}/${guid(uri).replace(/-/g, "")}` };
    },
  },
  "azure-native:keyvault:ManagedHsm": {
    nameInput: "name",
    id: provider("Microsoft.KeyVault/managedHSMs/{name}"),
    state: ({ name, inputs }) => ({ properties: { ...(inputs.properties as object), hsmUri: `https://${name}.managedhsm.azure.net/` } }),
  },
  "azure-native:authorization:RoleAssignment": {
    nameInput: "roleAssignmentName",
    id: "{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
  },
  "azure-native:authorization:RoleDefinition": {
    nameInput: "roleDefinitionId",
    id: "{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}",
  },
  "azure-native:authorization:ManagementLockByScope": {
    nameInput: "lockName",
    id: "{scope}/providers/Microsoft.Authorization/locks/{name}",
  },
  "azure-native:authorization:ManagementLockAtResourceGroupLevel": {
    nameInput: "lockName",
    id: provider("Microsoft.Authorization/locks/{name}"),
  },
  "azure-native:authorization:PolicyAssignment": {
    nameInput: "policyAssignmentName",
    id: "{scope}/providers/Microsoft.Authorization/policyAssignments/{name}",
  },

  "azure-native:storage:StorageAccount": {
    nameInput: "accountName",
    id: provider("Microsoft.Storage/storageAccounts/{name}"),
    state: ({ name }) => ({
      primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/`, dfs: `https://${name}.dfs.core.windows.net/` },
      secondaryEndpoints: { blob: `https://${name}-secondary.blob.core.windows.net/` },
    }),
  },
  "azure-native:storage:BlobServiceProperties": {
    nameInput: "blobServicesName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default"),
  },
  "azure-native:storage:BlobContainer": {
    nameInput: "containerName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}"),
  },
  "azure-native:storage:BlobContainerImmutabilityPolicy": {
    nameInput: "immutabilityPolicyName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}/immutabilityPolicies/default"),
  },
  "azure-native:storage:EncryptionScope": {
    nameInput: "encryptionScopeName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/encryptionScopes/{name}"),
  },
  "azure-native:storage:ManagementPolicy": {
    nameInput: "managementPolicyName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/managementPolicies/default"),
  },
  "azure-native:storage:ObjectReplicationPolicy": {
    nameInput: "objectReplicationPolicyId",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/objectReplicationPolicies/{name}"),
    // On the destination Azure assigns the policy id (for "default") and one id per rule.
    state: ({ name, inputs, guid }) => {
      const policyId = name === "default" ? guid(`${String(inputs.accountName)}/orpolicy`) : name;
      const rules = (inputs.rules as Record<string, unknown>[] | undefined) ?? [];
      return { policyId, rules: rules.map((r) => ({ ...r, ruleId: r.ruleId ?? guid(`${policyId}/${String(r.sourceContainer)}`) })) };
    },
  },
  "azure-native:storage:BlobContainerLegalHold": {
    nameInput: "containerName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}/legalHold"),
  },

  "azure-native:network:VirtualNetwork": { nameInput: "virtualNetworkName", id: provider("Microsoft.Network/virtualNetworks/{name}") },
  "azure-native:network:Subnet": { nameInput: "subnetName", id: provider("Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{name}") },
  "azure-native:network:NetworkSecurityGroup": { nameInput: "networkSecurityGroupName", id: provider("Microsoft.Network/networkSecurityGroups/{name}") },
  "azure-native:network:PrivateEndpoint": {
    nameInput: "privateEndpointName",
    id: provider("Microsoft.Network/privateEndpoints/{name}"),
    // The NIC is named by customNetworkInterfaceName, so its id is known. The private IP is not: Azure
    // assigns it dynamically, so customDnsConfigs stays absent offline rather than invented.
    state: ({ id, inputs }) =>
      typeof inputs.customNetworkInterfaceName === "string"
        ? { networkInterfaces: [{ id: `${id.split("/providers/")[0]}/providers/Microsoft.Network/networkInterfaces/${inputs.customNetworkInterfaceName}` }] }
        : {},
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    nameInput: "privateDnsZoneGroupName",
    id: provider("Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{name}"),
  },
  "azure-native:network:VirtualNetworkPeering": {
    nameInput: "virtualNetworkPeeringName",
    id: provider("Microsoft.Network/virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings/{name}"),
  },
  "azure-native:privatedns:PrivateZone": { nameInput: "privateZoneName", id: provider("Microsoft.Network/privateDnsZones/{name}") },
  "azure-native:privatedns:VirtualNetworkLink": {
    nameInput: "virtualNetworkLinkName",
    id: provider("Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{name}"),
  },

  "azure-native:dataprotection:BackupVault": {
    nameInput: "vaultName",
    id: provider("Microsoft.DataProtection/backupVaults/{name}"),
    state: ({ id, guid, inputs }) => ({
      identity: { ...(inputs.identity as object), principalId: guid(`${id}/principal`), tenantId: guid("tenant") },
    }),
  },
  "azure-native:dataprotection:BackupPolicy": {
    nameInput: "backupPolicyName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupPolicies/{name}"),
  },
  "azure-native:dataprotection:BackupInstance": {
    nameInput: "backupInstanceName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupInstances/{name}"),
  },
  "azure-native:dataprotection:ResourceGuard": {
    nameInput: "resourceGuardsName",
    id: provider("Microsoft.DataProtection/resourceGuards/{name}"),
  },
  "azure-native:dataprotection:DppResourceGuardProxy": {
    nameInput: "resourceGuardProxyName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupResourceGuardProxies/{name}"),
  },

  "azure-native:operationalinsights:Workspace": {
    nameInput: "workspaceName",
    id: provider("Microsoft.OperationalInsights/workspaces/{name}"),
    state: ({ id, guid }) => ({ customerId: guid(`${id}/customer`) }),
  },
  "azure-native:monitor:DiagnosticSetting": {
    nameInput: "name",
    id: "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
  },
  "azure-native:monitor:ActionGroup": { nameInput: "actionGroupName", id: provider("Microsoft.Insights/actionGroups/{name}") },
  "azure-native:monitor:ScheduledQueryRule": { nameInput: "ruleName", id: provider("Microsoft.Insights/scheduledQueryRules/{name}") },
  "azure-native:monitor:SubscriptionDiagnosticSetting": {
    nameInput: "name",
    id: "/subscriptions/{sub}/providers/Microsoft.Insights/diagnosticSettings/{name}",
  },
  "azure-native:operationalinsights:Table": {
    nameInput: "tableName",
    id: provider("Microsoft.OperationalInsights/workspaces/{workspaceName}/tables/{name}"),
  },
  "azure-native:monitor:ActivityLogAlert": {
    nameInput: "activityLogAlertName",
    id: provider("Microsoft.Insights/activityLogAlerts/{name}"),
  },
};

/** Fills an id template from inputs; unknown placeholders are reported, not guessed. */
export function fillTemplate(template: string, values: Record<string, unknown>): { id: string; missing: string[] } {
  const missing: string[] = [];
  const id = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (typeof value === "string" && value !== "") return value;
    missing.push(key);
    return `<${key}>`;
  });
  return { id, missing };
}
