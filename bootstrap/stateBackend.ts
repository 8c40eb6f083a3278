import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { createPrivateLink, PrivateLinkPlacement } from "../components/embassyNetwork/privateEndpoint";
import { hardenedVault, wrappingKeyProperties } from "../components/keyCustody/keyCustody";
import type { EmbassyContext } from "../components/shared/context";
import { Namer, suffixLength } from "../components/shared/naming";
import { propagationWait } from "../components/shared/propagation";
import { statefulOptions } from "../components/shared/protection";
import { hardenedAccount } from "../components/sovereignStorage/sovereignStorage";
import { privateLinkZones } from "../catalog/privateLink";
import { builtInRoles } from "../catalog/roles";
import { roleDefinitionId } from "../components/shared/roles";
import type { StateSettings } from "./settings";

/**
 * The state backend of the embassy stacks: a blob container for `pulumi login azblob://…` and a
 * Key Vault key for `--secrets-provider azurekeyvault://…`. Losing it means losing control of the
 * embassy, so it gets the embassy's own guarantees: read-access geo-redundancy, encryption under a
 * customer-managed HSM key, no public network path, no shared keys, versioning and soft delete,
 * RBAC only, every stateful resource protected and the resource group locked.
 */

/** Container that holds the stacks' state files. */
export const stateContainerName = "pulumi-state";
/** Key names in the vault. */
export const stateKeyNames = { storage: "cmk-state", secrets: "pulumi-secrets" } as const;

// Key Vault Crypto User: encrypt/decrypt with a key; not in the embassy's catalog, which never grants it.
// Source: Microsoft "Azure built-in roles".
const keyVaultCryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";

/** Lifetime of a storage-key version; it rotates a year before that. */
const keyExpiryDays = 730;

/** Arguments of {@link StateBackend}. */
export interface StateBackendArgs {
  /** Validated settings (see loadStateSettings). */
  readonly settings: StateSettings;
  /** Clock for the first storage-key version's expiry date (default: now). */
  readonly now?: Date;
}

/** The backend: account, container, vault, keys, grants and private endpoints. */
export class StateBackend extends pulumi.ComponentResource {
  /** `pulumi login` URL. */
  readonly backendUrl: pulumi.Output<string>;
  /** `--secrets-provider` URL. */
  readonly secretsProvider: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly storageAccountName: pulumi.Output<string>;
  readonly keyVaultName: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:StateBackend", name, {}, opts);
    const { settings } = args;
    const location = settings.region;
    const tags = { workload: "data-embassy", component: "state-backend", managedBy: "pulumi" };
    // The state of every embassy stack lives here: always protected, whatever a stack file says.
    const keep = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(true, { parent: this, ...extra });
    const client = authorization.getClientConfigOutput({ parent: this });

    const suffix = new random.RandomString(`${name}-name-suffix`, { length: suffixLength, lower: true, upper: false, numeric: true, special: false }, { parent: this });
    const namer = new Namer({ prefix: settings.namePrefix, environment: "state" }, suffix.result);

    const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: namer.localName("resourceGroup"), location, tags }, keep());
    // Nobody deletes the state by deleting its resource group, Pulumi or not.
    new authorization.ManagementLockAtResourceGroupLevel(
      `${name}-lock`,
      { resourceGroupName: group.name, lockName: "state-backend-cannot-delete", level: "CanNotDelete", notes: "Holds the Pulumi state of the data embassy." },
      { parent: this },
    );

    // Placement as the embassy's components take it.
    const context: EmbassyContext = {
      resourceGroupName: group.name,
      resourceGroupId: group.id,
      location,
      namer,
      tags,
      protect: true,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
    };

    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: group.name, resourceName: namer.localName("userAssignedIdentity", "storage"), location, tags },
      keep(),
    );

    // The embassy's hardened vault; the storage account reaches its CMK as a trusted service.
    const vault = hardenedVault(
      `${name}-vault`,
      { resourceGroupName: group.name, vaultName: namer.name("keyVault"), location, tags, tenantId: client.tenantId },
      keep(),
    );
    const storageKey = new keyvault.Key(
      `${name}-key-storage`,
      {
        resourceGroupName: group.name,
        vaultName: vault.name,
        keyName: stateKeyNames.storage,
        tags,
        properties: wrappingKeyProperties({ keySize: 4096, expiryDays: keyExpiryDays, rotationDays: 365, notifyBeforeExpiryDays: 30, now: args.now ?? new Date() }),
      },
      keep({ ignoreChanges: ["properties.attributes.expires"] }),
    );
    // No automatic rotation: each stack's data key is wrapped under a specific version, and moving to
    // a new one is `pulumi stack change-secrets-provider`, a deliberate step (docs/state-backend.md).
    const secretsKey = new keyvault.Key(
      `${name}-key-secrets`,
      {
        resourceGroupName: group.name,
        vaultName: vault.name,
        keyName: stateKeyNames.secrets,
        tags,
        properties: { kty: "RSA-HSM", keySize: 4096, keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] },
      },
      keep(),
    );
    const cmkGrant = new authorization.RoleAssignment(
      `${name}-grant-cmk`,
      {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(client.subscriptionId, builtInRoles.keyVaultCryptoServiceEncryptionUser),
        scope: storageKey.id,
        description: "State backend: the storage account's identity may wrap/unwrap with its CMK only",
      },
      keep(),
    );
    // Created is not effective ("up to 10 minutes", components/shared/propagation.ts): the account
    // would meet a 403 on its key; it waits, as the embassy's accounts do.
    const cmkGrantEffective = propagationWait(`${name}-grants-effective-storage`, { [stateKeyNames.storage]: cmkGrant }, settings.roleAssignmentPropagationWait, {
      parent: this,
    });

    // The embassy's own hardened account, without WORM: state files are overwritten on every update.
    const account = hardenedAccount(
      `${name}-account`,
      {
        resourceGroupName: group.name,
        accountName: namer.name("storageAccount"),
        location,
        sku: settings.storageSku,
        tags,
        encryption: { identityId: identity.id, keyVaultUri: vault.properties.vaultUri, keyName: storageKey.name },
      },
      keep({ dependsOn: [cmkGrant, cmkGrantEffective] }),
    );
    new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: group.name,
        accountName: account.name,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: settings.softDeleteDays },
        containerDeleteRetentionPolicy: { enabled: true, days: settings.softDeleteDays },
        changeFeed: { enabled: true, retentionInDays: 365 },
      },
      keep(),
    );
    const container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: group.name, accountName: account.name, containerName: stateContainerName, publicAccess: "None" },
      keep(),
    );

    // Who runs Pulumi: the deployer of this program and the configured users read/write state and
    // use the secrets key — scoped to the container and the key, nothing wider.
    const users: [string, pulumi.Input<string>][] = [["deployer", client.objectId], ...settings.stateUsers.map((id): [string, string] => [id, id])];
    for (const [label, principal] of users) {
      new authorization.RoleAssignment(
        `${name}-blob-user-${label}`,
        {
          principalId: principal,
          roleDefinitionId: roleDefinitionId(client.subscriptionId, builtInRoles.storageBlobDataContributor),
          scope: container.id,
          description: "State backend: read and write Pulumi state",
        },
        keep(),
      );
      new authorization.RoleAssignment(
        `${name}-secrets-user-${label}`,
        {
          principalId: principal,
          roleDefinitionId: roleDefinitionId(client.subscriptionId, keyVaultCryptoUser),
          scope: secretsKey.id,
          description: "State backend: encrypt and decrypt stack secrets",
        },
        keep(),
      );
    }
    for (const admin of settings.keyAdmins) {
      new authorization.RoleAssignment(
        `${name}-key-admin-${admin}`,
        {
          principalId: admin,
          roleDefinitionId: roleDefinitionId(client.subscriptionId, builtInRoles.keyVaultCryptoOfficer),
          scope: vault.id,
          description: "State backend: key administrator",
        },
        keep(),
      );
    }

    // The only network path to the state: the embassy's private endpoints, in the runners' subnet,
    // protected like the embassy's (the group's lock blocks their deletion), under the names they
    // were first deployed with (renaming would replace them).
    const zones: Readonly<Record<string, string>> = { [privateLinkZones.blob]: settings.blobPrivateDnsZoneId, [privateLinkZones.vault]: settings.vaultPrivateDnsZoneId };
    const placement: PrivateLinkPlacement = {
      context: { ...context, location: settings.privateEndpointRegion ?? location },
      subnetId: settings.privateEndpointSubnetId,
      zoneId: (zone) => zones[zone],
      resourcePrefix: name,
      naming: { networkInterface: (endpoint) => `${endpoint}-nic`, zoneConfig: (groupId) => groupId },
    };
    createPrivateLink("", { resourceId: account.id, groupId: "blob" }, placement, { parent: this });
    // The read-access secondary has its own endpoint, so the state stays readable privately after a regional loss.
    createPrivateLink("", { resourceId: account.id, groupId: "blob_secondary" }, placement, { parent: this });
    createPrivateLink("", { resourceId: vault.id, groupId: "vault" }, placement, { parent: this });

    if (settings.auditWorkspaceId !== undefined) {
      new monitor.DiagnosticSetting(
        `${name}-blob-audit`,
        {
          name: "state-access-audit",
          resourceUri: pulumi.interpolate`${account.id}/blobServices/default`,
          workspaceId: settings.auditWorkspaceId,
          logs: ["StorageRead", "StorageWrite", "StorageDelete"].map((category) => ({ category, enabled: true })),
        },
        { parent: this },
      );
      new monitor.DiagnosticSetting(
        `${name}-vault-audit`,
        { name: "state-key-audit", resourceUri: vault.id, workspaceId: settings.auditWorkspaceId, logs: [{ category: "AuditEvent", enabled: true }] },
        { parent: this },
      );
    }

    this.resourceGroupName = group.name;
    this.storageAccountName = account.name;
    this.keyVaultName = vault.name;
    this.backendUrl = pulumi.interpolate`azblob://${container.name}?storage_account=${account.name}`;
    this.secretsProvider = pulumi.interpolate`azurekeyvault://${vault.name}.vault.azure.net/keys/${secretsKey.name}`;
    this.registerOutputs({ backendUrl: this.backendUrl, secretsProvider: this.secretsProvider });
  }
}
