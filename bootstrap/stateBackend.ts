import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { createPrivateLink, PrivateLinkPlacement } from "../components/embassyNetwork/privateEndpoint";
import { keyCustodyDefaults } from "../components/keyCustody/defaults";
import { hardenedVault, wrappingKeyProperties } from "../components/keyCustody";
import { ArgumentProblem, problem, rejectArguments } from "../components/shared/argumentProblems";
import type { EmbassyContext } from "../components/shared/context";
import { Namer, suffixLength } from "../components/shared/naming";
import { propagationWait } from "../components/shared/propagation";
import { statefulOptions } from "../components/shared/protection";
import { hardenedAccount } from "../components/sovereignStorage/sovereignStorage";
import { privateLinkZones } from "../catalog/privateLink";
import { builtInRoles } from "../catalog/roles";
import { roleDefinitionId } from "../components/shared/roles";
import { StateSettings, validateStateSettings } from "./settings";

/**
 * The state backend of the embassy stacks: a blob container for `pulumi login azblob://…` and a
 * Key Vault key for `--secrets-provider azurekeyvault://…`. Losing it means losing control of the
 * embassy, so it gets the embassy's own guarantees, from the embassy's own parts: read-access
 * geo-redundancy, encryption under a customer-managed HSM key (the embassy's key lifetimes), the
 * hardened account and vault, private endpoints only, versioning and soft delete, RBAC only, grants
 * waited for, every stateful resource protected and the resource group locked.
 */

/** Container that holds the stacks' state files. */
export const stateContainerName = "pulumi-state";
/** Key names in the vault. */
export const stateKeyNames = { storage: "cmk-state", secrets: "pulumi-secrets" } as const;

/** Arguments of {@link StateBackend}. */
export interface StateBackendArgs {
  /** Validated settings (see loadStateSettings). */
  readonly settings: StateSettings;
  /** Clock for the first storage-key version's expiry date (default: now). */
  readonly now?: Date;
}

/**
 * Why `args` would build a weaker or invalid backend; empty when fine. Settings that did not come
 * through loadStateSettings are held to its schema and rules, each problem at `settings.<key>`.
 */
export function stateBackendProblems(args: StateBackendArgs): ArgumentProblem[] {
  const { storageSku, geoSecondaryRegion, ...values } = args.settings;
  const { settings, problems } = validateStateSettings(values);
  const found = problems.map((p) => problem(`settings.${p.key}`, p.message));
  if (settings !== undefined && (settings.storageSku !== storageSku || settings.geoSecondaryRegion !== geoSecondaryRegion)) {
    found.push(
      problem(
        "settings.storageSku",
        `must be ${settings.storageSku} with the geo-secondary ${settings.geoSecondaryRegion} in ${settings.region} (got ${storageSku}, ${geoSecondaryRegion})`,
      ),
    );
  }
  return found;
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
    rejectArguments("StateBackend", name, stateBackendProblems(args));
    const { settings } = args;
    const client = authorization.getClientConfigOutput({ parent: this });
    const { context, group } = this.resourceGroup(name, settings, client);
    const { namer, location, tags } = context;
    const keep = (extra: pulumi.CustomResourceOptions = {}) => statefulOptions(context.protect, { parent: this, ...extra });

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
    const key = (purpose: keyof typeof stateKeyNames, properties: keyvault.KeyArgs["properties"], extra?: pulumi.CustomResourceOptions) =>
      new keyvault.Key(
        `${name}-key-${purpose}`,
        { resourceGroupName: group.name, vaultName: vault.name, keyName: stateKeyNames[purpose], tags, properties },
        keep(extra),
      );
    // The embassy's key lifetimes: rotated yearly, each version expiring after two years.
    const { keySize, keyExpiryDays: expiryDays, keyRotationDays: rotationDays, keyNotifyBeforeExpiryDays: notifyBeforeExpiryDays } = keyCustodyDefaults;
    const storageKey = key("storage", wrappingKeyProperties({ keySize, expiryDays, rotationDays, notifyBeforeExpiryDays, now: args.now ?? new Date() }), {
      ignoreChanges: ["properties.attributes.expires"],
    });
    // No automatic rotation: each stack's data key is wrapped under a specific version, and moving to
    // a new one is `pulumi stack change-secrets-provider`, a deliberate step (docs/state-backend.md).
    const secretsKey = key("secrets", { kty: "RSA-HSM", keySize, keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"] });
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
    const cmkGrantEffective = propagationWait(
      `${name}-grants-effective-storage`,
      { [stateKeyNames.storage]: cmkGrant },
      settings.roleAssignmentPropagationWait,
      {
        parent: this,
      },
    );

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

    this.grants(name, context, client.objectId, settings, { container, secretsKey, vault });
    this.privateLinks(name, context, settings, { account, vault });
    if (settings.auditWorkspaceId !== undefined) this.audit(name, settings.auditWorkspaceId, { account, vault });

    this.resourceGroupName = group.name;
    this.storageAccountName = account.name;
    this.keyVaultName = vault.name;
    this.backendUrl = pulumi.interpolate`azblob://${container.name}?storage_account=${account.name}`;
    this.secretsProvider = pulumi.interpolate`azurekeyvault://${vault.name}.vault.azure.net/keys/${secretsKey.name}`;
    this.registerOutputs({ backendUrl: this.backendUrl, secretsProvider: this.secretsProvider });
  }

  /**
   * The locked resource group and the placement the embassy's components take: its names, tags,
   * region, and protection — always on here, whatever a stack file says, for the state of every
   * embassy stack lives here.
   */
  private resourceGroup(
    name: string,
    settings: StateSettings,
    client: pulumi.Output<authorization.GetClientConfigResult>,
  ): { context: EmbassyContext; group: resources.ResourceGroup } {
    const location = settings.region;
    const tags = { workload: "data-embassy", component: "state-backend", managedBy: "pulumi" };
    const suffix = new random.RandomString(
      `${name}-name-suffix`,
      { length: suffixLength, lower: true, upper: false, numeric: true, special: false },
      { parent: this },
    );
    const namer = new Namer({ prefix: settings.namePrefix, environment: "state" }, suffix.result);
    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: namer.localName("resourceGroup"), location, tags },
      statefulOptions(true, { parent: this }),
    );
    // Nobody deletes the state by deleting its resource group, Pulumi or not.
    new authorization.ManagementLockAtResourceGroupLevel(
      `${name}-lock`,
      { resourceGroupName: group.name, lockName: "state-backend-cannot-delete", level: "CanNotDelete", notes: "Holds the Pulumi state of the data embassy." },
      { parent: this },
    );
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
    return { context, group };
  }

  /**
   * Who runs Pulumi: the deployer of this program and the configured users read/write state and use
   * the secrets key — scoped to the container and the key, nothing wider; key admins manage the vault's keys.
   */
  private grants(
    name: string,
    context: EmbassyContext,
    deployer: pulumi.Input<string>,
    settings: StateSettings,
    scopes: { container: storage.BlobContainer; secretsKey: keyvault.Key; vault: keyvault.Vault },
  ): void {
    const grant = (logicalName: string, principalId: pulumi.Input<string>, role: string, scope: pulumi.Input<string>, description: string) =>
      new authorization.RoleAssignment(
        logicalName,
        { principalId, roleDefinitionId: roleDefinitionId(context.subscriptionId, role), scope, description },
        statefulOptions(context.protect, { parent: this }),
      );
    const users: [string, pulumi.Input<string>][] = [["deployer", deployer], ...settings.stateUsers.map((id): [string, string] => [id, id])];
    for (const [label, principal] of users) {
      grant(
        `${name}-blob-user-${label}`,
        principal,
        builtInRoles.storageBlobDataContributor,
        scopes.container.id,
        "State backend: read and write Pulumi state",
      );
      grant(
        `${name}-secrets-user-${label}`,
        principal,
        builtInRoles.keyVaultCryptoUser,
        scopes.secretsKey.id,
        "State backend: encrypt and decrypt stack secrets",
      );
    }
    for (const admin of settings.keyAdmins) {
      grant(`${name}-key-admin-${admin}`, admin, builtInRoles.keyVaultCryptoOfficer, scopes.vault.id, "State backend: key administrator");
    }
  }

  /**
   * The only network path to the state: the embassy's private endpoints, in the runners' subnet,
   * protected like the embassy's (the group's lock blocks their deletion), under the names they
   * were first deployed with (renaming would replace them).
   */
  private privateLinks(
    name: string,
    context: EmbassyContext,
    settings: StateSettings,
    targets: { account: storage.StorageAccount; vault: keyvault.Vault },
  ): void {
    const zones: Readonly<Record<string, string>> = {
      [privateLinkZones.blob]: settings.blobPrivateDnsZoneId,
      [privateLinkZones.vault]: settings.vaultPrivateDnsZoneId,
    };
    const placement: PrivateLinkPlacement = {
      context: { ...context, location: settings.privateEndpointRegion ?? context.location },
      subnetId: settings.privateEndpointSubnetId,
      zoneId: (zone) => zones[zone],
      resourcePrefix: name,
      naming: { networkInterface: (endpoint) => `${endpoint}-nic`, zoneConfig: (groupId) => groupId },
    };
    createPrivateLink("", { resourceId: targets.account.id, groupId: "blob" }, placement, { parent: this });
    // The read-access secondary has its own endpoint. It is a NIC in privateEndpointSubnetId, so it
    // outlives the loss of the state's region only when that subnet is in another region
    // (privateEndpointRegion); otherwise fail over first (docs/state-backend.md, Keys and disasters).
    createPrivateLink("", { resourceId: targets.account.id, groupId: "blob_secondary" }, placement, { parent: this });
    createPrivateLink("", { resourceId: targets.vault.id, groupId: "vault" }, placement, { parent: this });
  }

  /** Who touched the state and the keys, on record in the audit workspace. */
  private audit(name: string, workspaceId: string, targets: { account: storage.StorageAccount; vault: keyvault.Vault }): void {
    new monitor.DiagnosticSetting(
      `${name}-blob-audit`,
      {
        name: "state-access-audit",
        resourceUri: pulumi.interpolate`${targets.account.id}/blobServices/default`,
        workspaceId,
        logs: ["StorageRead", "StorageWrite", "StorageDelete"].map((category) => ({ category, enabled: true })),
      },
      { parent: this },
    );
    new monitor.DiagnosticSetting(
      `${name}-vault-audit`,
      { name: "state-key-audit", resourceUri: targets.vault.id, workspaceId, logs: [{ category: "AuditEvent", enabled: true }] },
      { parent: this },
    );
  }
}
