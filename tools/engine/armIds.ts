/**
 * How Azure would name and identify each resource type the embassy uses, so the offline engine's
 * mocks return realistic ARM ids, names and computed properties (endpoints, principal ids) instead
 * of echoing inputs. Templates use `{input}` placeholders plus `{sub}`, `{rgId}` and `{name}`.
 */
import { types } from "../../catalog/resourceTypes";

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
  [types.resourceGroup]: { nameInput: "resourceGroupName", id: "/subscriptions/{sub}/resourceGroups/{name}" },

  [types.userAssignedIdentity]: {
    nameInput: "resourceName",
    id: provider("Microsoft.ManagedIdentity/userAssignedIdentities/{name}"),
    state: ({ id, guid }) => ({ principalId: guid(`${id}/principal`), clientId: guid(`${id}/client`), tenantId: guid("tenant") }),
  },
  [types.vault]: {
    nameInput: "vaultName",
    id: provider("Microsoft.KeyVault/vaults/{name}"),
    state: ({ name, inputs }) => ({ properties: { ...(inputs.properties as object), vaultUri: `https://${name}.vault.azure.net/` } }),
  },
  [types.key]: {
    nameInput: "keyName",
    id: provider("Microsoft.KeyVault/vaults/{vaultName}/keys/{name}"),
    state: ({ name, inputs, guid }) => {
      const uri = `https://${String(inputs.vaultName)}.vault.azure.net/keys/${name}`;
      return { keyUri: uri, keyUriWithVersion: `${uri}/${guid(uri).replace(/-/g, "")}` };
    },
  },
  [types.managedHsm]: {
    nameInput: "name",
    id: provider("Microsoft.KeyVault/managedHSMs/{name}"),
    state: ({ name, inputs }) => ({ properties: { ...(inputs.properties as object), hsmUri: `https://${name}.managedhsm.azure.net/` } }),
  },
  [types.roleAssignment]: {
    nameInput: "roleAssignmentName",
    id: "{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
  },
  // The provider creates (and reads back) a role eligibility schedule request, named by a GUID of its own.
  [types.roleEligibility]: {
    nameInput: "roleEligibilityScheduleRequestName",
    id: "{scope}/providers/Microsoft.Authorization/roleEligibilityScheduleRequests/{name}",
  },
  [types.roleDefinition]: {
    nameInput: "roleDefinitionId",
    id: "{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}",
  },
  [types.lockByScope]: {
    nameInput: "lockName",
    id: "{scope}/providers/Microsoft.Authorization/locks/{name}",
  },
  [types.lockAtResourceGroup]: {
    nameInput: "lockName",
    id: provider("Microsoft.Authorization/locks/{name}"),
  },
  [types.policyAssignment]: {
    nameInput: "policyAssignmentName",
    id: "{scope}/providers/Microsoft.Authorization/policyAssignments/{name}",
  },

  [types.storageAccount]: {
    nameInput: "accountName",
    id: provider("Microsoft.Storage/storageAccounts/{name}"),
    state: ({ name }) => ({
      primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/`, dfs: `https://${name}.dfs.core.windows.net/` },
      secondaryEndpoints: { blob: `https://${name}-secondary.blob.core.windows.net/` },
    }),
  },
  [types.blobServiceProperties]: {
    nameInput: "blobServicesName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default"),
  },
  [types.blobContainer]: {
    nameInput: "containerName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}"),
  },
  [types.blobContainerImmutabilityPolicy]: {
    nameInput: "immutabilityPolicyName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}/immutabilityPolicies/default"),
  },
  [types.encryptionScope]: {
    nameInput: "encryptionScopeName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/encryptionScopes/{name}"),
  },
  [types.managementPolicy]: {
    nameInput: "managementPolicyName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/managementPolicies/default"),
  },
  [types.objectReplicationPolicy]: {
    nameInput: "objectReplicationPolicyId",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/objectReplicationPolicies/{name}"),
    // On the destination Azure assigns the policy id (for "default") and one id per rule.
    state: ({ name, inputs, guid }) => {
      const policyId = name === "default" ? guid(`${String(inputs.accountName)}/orpolicy`) : name;
      const rules = (inputs.rules as Record<string, unknown>[] | undefined) ?? [];
      return { policyId, rules: rules.map((r) => ({ ...r, ruleId: r.ruleId ?? guid(`${policyId}/${String(r.sourceContainer)}`) })) };
    },
  },
  [types.blobContainerLegalHold]: {
    nameInput: "containerName",
    id: provider("Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}/legalHold"),
  },

  [types.virtualNetwork]: { nameInput: "virtualNetworkName", id: provider("Microsoft.Network/virtualNetworks/{name}") },
  [types.subnet]: { nameInput: "subnetName", id: provider("Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{name}") },
  [types.networkSecurityGroup]: { nameInput: "networkSecurityGroupName", id: provider("Microsoft.Network/networkSecurityGroups/{name}") },
  [types.pricing]: { nameInput: "pricingName", id: "{scopeId}/providers/Microsoft.Security/pricings/{name}" },
  [types.flowLog]: { nameInput: "flowLogName", id: provider("Microsoft.Network/networkWatchers/{networkWatcherName}/flowLogs/{name}") },
  [types.privateLinkScope]: { nameInput: "scopeName", id: provider("Microsoft.Insights/privateLinkScopes/{name}") },
  [types.privateLinkScopedResource]: { nameInput: "name", id: provider("Microsoft.Insights/privateLinkScopes/{scopeName}/scopedResources/{name}") },
  [types.privateEndpoint]: {
    nameInput: "privateEndpointName",
    id: provider("Microsoft.Network/privateEndpoints/{name}"),
    // The NIC is named by customNetworkInterfaceName, so its id is known. The private IP is not: Azure
    // assigns it dynamically, so customDnsConfigs stays absent offline rather than invented.
    state: ({ id, inputs }) =>
      typeof inputs.customNetworkInterfaceName === "string"
        ? { networkInterfaces: [{ id: `${id.split("/providers/")[0]}/providers/Microsoft.Network/networkInterfaces/${inputs.customNetworkInterfaceName}` }] }
        : {},
  },
  [types.privateDnsZoneGroup]: {
    nameInput: "privateDnsZoneGroupName",
    id: provider("Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{name}"),
  },
  [types.virtualNetworkPeering]: {
    nameInput: "virtualNetworkPeeringName",
    id: provider("Microsoft.Network/virtualNetworks/{virtualNetworkName}/virtualNetworkPeerings/{name}"),
  },
  [types.privateZone]: { nameInput: "privateZoneName", id: provider("Microsoft.Network/privateDnsZones/{name}") },
  [types.virtualNetworkLink]: {
    nameInput: "virtualNetworkLinkName",
    id: provider("Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{name}"),
  },

  [types.backupVault]: {
    nameInput: "vaultName",
    id: provider("Microsoft.DataProtection/backupVaults/{name}"),
    state: ({ id, guid, inputs }) => ({
      identity: { ...(inputs.identity as object), principalId: guid(`${id}/principal`), tenantId: guid("tenant") },
    }),
  },
  [types.backupPolicy]: {
    nameInput: "backupPolicyName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupPolicies/{name}"),
  },
  [types.backupInstance]: {
    nameInput: "backupInstanceName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupInstances/{name}"),
  },
  [types.resourceGuard]: {
    nameInput: "resourceGuardsName",
    id: provider("Microsoft.DataProtection/resourceGuards/{name}"),
  },
  [types.resourceGuardProxy]: {
    nameInput: "resourceGuardProxyName",
    id: provider("Microsoft.DataProtection/backupVaults/{vaultName}/backupResourceGuardProxies/{name}"),
  },

  [types.workspace]: {
    nameInput: "workspaceName",
    id: provider("Microsoft.OperationalInsights/workspaces/{name}"),
    state: ({ id, guid }) => ({ customerId: guid(`${id}/customer`) }),
  },
  [types.diagnosticSetting]: {
    nameInput: "name",
    id: "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
  },
  [types.actionGroup]: { nameInput: "actionGroupName", id: provider("Microsoft.Insights/actionGroups/{name}") },
  [types.scheduledQueryRule]: { nameInput: "ruleName", id: provider("Microsoft.Insights/scheduledQueryRules/{name}") },
  [types.subscriptionDiagnosticSetting]: {
    nameInput: "name",
    id: "/subscriptions/{sub}/providers/Microsoft.Insights/diagnosticSettings/{name}",
  },
  [types.table]: {
    nameInput: "tableName",
    id: provider("Microsoft.OperationalInsights/workspaces/{workspaceName}/tables/{name}"),
  },
  [types.activityLogAlert]: {
    nameInput: "activityLogAlertName",
    id: provider("Microsoft.Insights/activityLogAlerts/{name}"),
  },
  [types.systemTopic]: {
    nameInput: "systemTopicName",
    id: provider("Microsoft.EventGrid/systemTopics/{name}"),
  },
  [types.systemTopicEventSubscription]: {
    nameInput: "eventSubscriptionName",
    id: provider("Microsoft.EventGrid/systemTopics/{systemTopicName}/eventSubscriptions/{name}"),
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
