import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import type { DiagnosticTarget, Governed, LockTarget, PrivateLinkRequest } from "../shared/governed";
import { sovereignStorageDefaults } from "./defaults";
import type { EmbassyContext } from "../shared/context";
import { chooseRedundancy, Redundancy } from "./redundancy";
import type { Register } from "../../settings/registers";
import { statefulOptions } from "../shared/protection";
import { ArgumentProblem, problem, rejectArguments } from "../shared/argumentProblems";
import { archiveProblems } from "./tiering";

/** A customer-managed key as storage needs it (see KeyCustody). */
export interface StorageKey {
  /** Key name inside the vault/HSM. */
  readonly name: string;
  /** Versionless key URI, so storage follows rotation. */
  readonly uri: pulumi.Input<string>;
}

/** What storage encrypts with: one identity, the account key and one key per register. */
export interface StorageEncryption {
  /** ARM id of the user-assigned identity that holds *Crypto Service Encryption User* on the keys. */
  readonly identityId: pulumi.Input<string>;
  /** Vault (or Managed HSM) URI. */
  readonly keyVaultUri: pulumi.Input<string>;
  /** Key of the account itself. */
  readonly accountKey: StorageKey;
  /** Key of each register's encryption scope, by register name. */
  readonly registerKeys: Readonly<Record<string, StorageKey>>;
}

/** Version-level immutability (WORM) of the whole account. */
export interface AccountWorm {
  /** `Unlocked` can still be shortened or disabled; `Locked` cannot — ever. */
  readonly state: "Unlocked" | "Locked";
  /** Default immutability period for every blob version, in days. */
  readonly retentionDays: number;
}

/** Arguments of {@link SovereignStorage}. */
export interface SovereignStorageArgs {
  /** Placement, naming, tags and protection. */
  readonly context: EmbassyContext;
  /** The registers: one container and one encryption scope each. */
  readonly registers: readonly Register[];
  /** Customer-managed keys and the identity that uses them. */
  readonly encryption: StorageEncryption;
  /**
   * False while the keys do not exist yet (a Managed HSM before its key ceremony): the account and
   * scopes start on Microsoft-managed keys, with infrastructure encryption, and switch to the
   * customer-managed keys in place once this is true (default true).
   */
  readonly customerManagedKeys?: boolean;
  /** Account-level WORM (default: Unlocked, 365 days). */
  readonly worm?: AccountWorm;
  /** Second approved region that receives an object-replication copy (required for a host without a pair). */
  readonly objectReplicationRegion?: string;
  /**
   * The replica's own site in objectReplicationRegion (required with it): its resource group,
   * naming and placement, and its own keys there. The only copy outside an unpaired host must not
   * depend on a key that lives only in the host region (Key Vault in a region without a pair keeps
   * its data "three times within the region", learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance).
   */
  readonly replica?: ReplicaSiteStorage;
  /** Blob soft-delete retention in days (default 90). */
  readonly blobSoftDeleteDays?: number;
  /** Container soft-delete retention in days (default 90). */
  readonly containerSoftDeleteDays?: number;
  /** Change-feed retention in days (default 365). */
  readonly changeFeedRetentionDays?: number;
  /** Longest lifetime of a SAS token, as `d.hh:mm:ss` (default one hour); longer ones are blocked. */
  readonly sasExpirationPeriod?: string;
}

/** Where and under which keys the object replica lives (see SovereignStorageArgs.replica). */
export interface ReplicaSiteStorage {
  /** The replica region's context: its resource group, location (objectReplicationRegion), names (site `r`) and tags. */
  readonly context: EmbassyContext;
  /** Keys, vault and identity in the replica region, one key per register as in the host. */
  readonly encryption: StorageEncryption;
}

/** A register's container as exposed to other components and auditors. */
export interface RegisterContainer {
  readonly containerId: pulumi.Output<string>;
  readonly containerName: string;
  readonly encryptionScopeId: pulumi.Output<string>;
  readonly encryptionScopeName: string;
}

/** Encryption scope name of a register: Azure allows letters and digits only. */
export function encryptionScopeName(register: string): string {
  return `scope${register.replace(/-/g, "")}`;
}

/** What {@link hardenedAccount} builds: placement, redundancy, key and WORM of one account. */
export interface HardenedAccountArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly accountName: pulumi.Input<string>;
  readonly location: string;
  readonly sku: Redundancy["sku"];
  readonly tags: Readonly<Record<string, string>>;
  /** The user-assigned identity that may use the key, and the key (versionless: storage follows its rotation). */
  readonly encryption: { readonly identityId: pulumi.Input<string>; readonly keyVaultUri: pulumi.Input<string>; readonly keyName: pulumi.Input<string> };
  /** False: Microsoft-managed keys until the key exists (see SovereignStorageArgs.customerManagedKeys); default true. */
  readonly customerManagedKey?: boolean;
  /** Version-level WORM; omit where blobs must be overwritten (a replica, Pulumi state). */
  readonly worm?: AccountWorm;
  /** Longest lifetime of a SAS token, as `d.hh:mm:ss` (default one hour); longer ones are blocked. */
  readonly sasExpirationPeriod?: string;
}

/**
 * A StorageV2 account with every embassy storage control on: HTTPS and TLS 1.2 only, no public
 * network, deny-by-default firewall, no shared keys, anonymous access or cross-tenant copies,
 * private-link copies only, no SFTP/local users/NFS, short SAS, double encryption under the
 * customer-managed key for every service. Used for the embassy's accounts and the state backend's.
 * Give `opts` protection (see statefulOptions): an account holds data.
 */
export function hardenedAccount(resourceName: string, a: HardenedAccountArgs, opts: pulumi.CustomResourceOptions): storage.StorageAccount {
  const accountKey = { enabled: true, keyType: "Account" };
  return new storage.StorageAccount(
    resourceName,
    {
      resourceGroupName: a.resourceGroupName,
      accountName: a.accountName,
      location: a.location,
      kind: "StorageV2",
      sku: { name: a.sku },
      accessTier: "Hot",
      tags: { ...a.tags },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      publicNetworkAccess: "Disabled",
      networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      defaultToOAuthAuthentication: true,
      allowCrossTenantReplication: false,
      allowedCopyScope: "PrivateLink",
      isSftpEnabled: false,
      isLocalUserEnabled: false,
      isHnsEnabled: false,
      enableNfsV3: false,
      sasPolicy: { sasExpirationPeriod: a.sasExpirationPeriod ?? "0.01:00:00", expirationAction: "Block" },
      // One user-assigned identity: "Only 1 User Assigned identity is permitted here" (REST spec,
      // Identity.userAssignedIdentities). A standby identity (KeyCustody) replaces it in a DR, never joins it.
      identity: { type: "UserAssigned", userAssignedIdentities: [a.encryption.identityId] },
      encryption: {
        // Double encryption and the services' key scope: Azure accepts both only when the account
        // is created ("Infrastructure encryption cannot be enabled or disabled after the account has
        // been created", infrastructure-encryption-enable.md), so they are set from the start.
        requireInfrastructureEncryption: true,
        services: { blob: accountKey, file: accountKey, queue: accountKey, table: accountKey },
        // The key source may switch in place ("You can switch between customer-managed keys and
        // Microsoft-managed keys at any time", customer-managed-keys-overview.md); identity and key
        // go together, as when enabling customer-managed keys on an existing account.
        ...(a.customerManagedKey === false
          ? { keySource: "Microsoft.Storage" }
          : {
              keySource: "Microsoft.Keyvault",
              // No key version: storage follows the key's rotation by itself (within ~24 h).
              keyVaultProperties: { keyVaultUri: a.encryption.keyVaultUri, keyName: a.encryption.keyName },
              encryptionIdentity: { encryptionUserAssignedIdentity: a.encryption.identityId },
            }),
      },
      // Version-level WORM can only be switched on when the account is created, and its policy only
      // created Disabled or Unlocked (REST spec, AccountImmutabilityPolicyProperties.state: "A policy
      // can only be created in a Disabled or Unlocked state … Only a policy in an Unlocked state can
      // transition to a Locked state which cannot be reverted"): `npm run seal` locks it.
      immutableStorageWithVersioning:
        a.worm === undefined
          ? undefined
          : {
              enabled: true,
              immutabilityPolicy: {
                state: a.worm.state,
                immutabilityPeriodSinceCreationInDays: a.worm.retentionDays,
                allowProtectedAppendWrites: false,
              },
            },
    },
    a.worm === undefined ? opts : { ...opts, ignoreChanges: [...(opts.ignoreChanges ?? []), ...sealedAccountFields] },
  );
}

/**
 * What `npm run seal` changes on the account, outside Pulumi: a later `pulumi up` must neither
 * fight nor undo it (ARM refuses to unlock, and a Locked policy's append-writes setting cannot
 * change). The retention period is Pulumi's to extend.
 */
export const sealedAccountFields = [
  "immutableStorageWithVersioning.immutabilityPolicy.state",
  "immutableStorageWithVersioning.immutabilityPolicy.allowProtectedAppendWrites",
] as const;

/**
 * The private endpoints an account needs: blob, and for a read-access (RA-*) account its
 * geo-secondary too. Both live in the VNet the caller connects them to: an endpoint is a NIC in a
 * subnet of one region, so a `blob_secondary` endpoint in the host region's VNet is lost with that
 * region (docs/dr-runbook.md: after losing the host, read the secondary after failover, through a
 * VNet outside the lost region).
 */
export function accountLinks(service: string, resourceId: pulumi.Output<string>, sku: string): PrivateLinkRequest[] {
  return [{ service, resourceId, groupId: "blob" }, ...(sku.startsWith("Standard_RA") ? [{ service, resourceId, groupId: "blob_secondary" as const }] : [])];
}

/** Why the replica site is missing or misplaced; empty when it fits the redundancy. */
export function replicaProblems(redundancy: Redundancy, replica: ReplicaSiteStorage | undefined): ArgumentProblem[] {
  if (redundancy.replicaRegion === undefined) {
    return replica === undefined ? [] : [problem("replica", "is given, but the host region has a geo-pair and builds no object replica")];
  }
  if (replica === undefined) {
    return [
      problem("replica", `is required: the object replica in ${redundancy.replicaRegion} needs its own site there (resource group and keys in that region)`),
    ];
  }
  return replica.context.location === redundancy.replicaRegion
    ? []
    : [problem("replica.context.location", `is ${replica.context.location}, must be objectReplicationRegion ${redundancy.replicaRegion}`)];
}

/** Lifecycle rules: move each register's blobs to colder tiers; never delete (WORM and retention decide that). */
export function lifecycleRules(registers: readonly Register[]) {
  const rules = registers
    .filter((r) => r.tierToColdAfterDays !== undefined || r.tierToArchiveAfterDays !== undefined)
    .map((r) => ({
      name: `tier-${r.name}`,
      enabled: true,
      type: "Lifecycle",
      definition: {
        filters: { blobTypes: ["blockBlob"], prefixMatch: [`${r.name}/`] },
        actions: {
          baseBlob: {
            ...(r.tierToColdAfterDays === undefined ? {} : { tierToCold: { daysAfterModificationGreaterThan: r.tierToColdAfterDays } }),
            ...(r.tierToArchiveAfterDays === undefined ? {} : { tierToArchive: { daysAfterModificationGreaterThan: r.tierToArchiveAfterDays } }),
          },
        },
      },
    }));
  return { rules };
}

/**
 * The embassy itself: a hardened StorageV2 account in the host region holding one container per
 * register, each encrypted under the register's own HSM key, versioned, soft-deleted and under
 * version-level WORM; geo-redundant by the region catalog, or object-replicated where the region
 * has no pair.
 */
export class SovereignStorage extends pulumi.ComponentResource {
  readonly accountId: pulumi.Output<string>;
  readonly accountName: pulumi.Output<string>;
  readonly primaryBlobEndpoint: pulumi.Output<string>;
  /** Read-access endpoint in the geo-secondary (RA-* SKUs); undefined without one. */
  readonly secondaryBlobEndpoint: pulumi.Output<string | undefined>;
  readonly redundancy: Redundancy;
  /** Containers and scopes by register name. */
  readonly registers: Readonly<Record<string, RegisterContainer>>;
  /** The object-replication destination account, when configured. */
  replicaAccountId?: pulumi.Output<string>;
  /** Its name. */
  replicaAccountName?: pulumi.Output<string>;
  /** Its containers by register name (each under the register's key in the replica region). */
  replicaContainers?: Readonly<Record<string, RegisterContainer>>;
  /**
   * What the replica needs locked, logged and privately linked: in its own region (its private
   * endpoints belong in a VNet there, so they survive the host region).
   */
  replicaGoverned?: Governed;
  /** The account (and replica) are locked, log to the workspace and are reached privately, read-access secondaries too. */
  readonly governed: Governed;

  constructor(name: string, args: SovereignStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:SovereignStorage", name, {}, opts);
    const { context, encryption } = args;
    this.redundancy = chooseRedundancy(context.location, args.objectReplicationRegion);
    // Azure cannot archive a register's blobs (tiering.ts): refuse before anything is registered.
    rejectArguments("SovereignStorage", name, [...archiveProblems(args.registers, this.redundancy), ...replicaProblems(this.redundancy, args.replica)]);

    // The identity id and key URI handed in by KeyCustody resolve only after the identity's key
    // grants exist, so an account can never be created pointing at a key it may not use yet.
    const accountKey = { identityId: encryption.identityId, keyVaultUri: encryption.keyVaultUri, keyName: encryption.accountKey.name };
    const account = hardenedAccount(
      `${name}-account`,
      {
        resourceGroupName: context.resourceGroupName,
        accountName: context.namer.name("storageAccount"),
        location: context.location,
        sku: this.redundancy.sku,
        tags: context.tags,
        encryption: accountKey,
        customerManagedKey: args.customerManagedKeys,
        worm: args.worm ?? sovereignStorageDefaults.worm,
        sasExpirationPeriod: args.sasExpirationPeriod,
      },
      statefulOptions(context.protect, { parent: this }),
    );
    this.accountId = account.id;
    this.accountName = account.name;
    this.primaryBlobEndpoint = account.primaryEndpoints.blob;
    this.secondaryBlobEndpoint = account.secondaryEndpoints.apply((e) => e?.blob);

    const blobService = this.blobService(`${name}-blob-service`, context, account.name, {
      blobSoftDeleteDays: args.blobSoftDeleteDays ?? sovereignStorageDefaults.blobSoftDeleteDays,
      containerSoftDeleteDays: args.containerSoftDeleteDays ?? sovereignStorageDefaults.containerSoftDeleteDays,
      changeFeedRetentionDays: args.changeFeedRetentionDays ?? sovereignStorageDefaults.changeFeedRetentionDays,
    });

    const registers: Record<string, RegisterContainer> = {};
    const containers: storage.BlobContainer[] = [];
    for (const register of args.registers) {
      const { container, scope } = this.registerContainer(name, register, context, account.name, blobService, encryption, {
        customerManagedKey: args.customerManagedKeys !== false,
        containerPolicies: true,
      });
      containers.push(container);
      registers[register.name] = {
        containerId: container.id,
        containerName: register.name,
        encryptionScopeId: scope.id,
        encryptionScopeName: encryptionScopeName(register.name),
      };
    }
    this.registers = registers;

    const policy = lifecycleRules(args.registers);
    if (policy.rules.length > 0) {
      new storage.ManagementPolicy(
        `${name}-lifecycle`,
        { resourceGroupName: context.resourceGroupName, accountName: account.name, managementPolicyName: "default", policy },
        { parent: this, dependsOn: [blobService] },
      );
    }

    const locks: LockTarget[] = [{ name: "storage", resourceId: this.accountId }];
    const diagnostics: DiagnosticTarget[] = [{ name: "storage", resourceId: this.accountId, kind: "storageAccount" }];
    const privateLinks = accountLinks("registers", this.accountId, this.redundancy.sku);
    if (this.redundancy.replicaRegion !== undefined && args.replica !== undefined) {
      const replicaGoverned = this.objectReplica(name, args, args.replica, account, containers);
      this.replicaGoverned = replicaGoverned;
    }
    this.governed = { locks, diagnostics, privateLinks };

    this.registerOutputs({
      accountId: this.accountId,
      accountName: this.accountName,
      primaryBlobEndpoint: this.primaryBlobEndpoint,
      secondaryBlobEndpoint: this.secondaryBlobEndpoint,
      redundancy: this.redundancy.sku,
    });
  }

  /**
   * The copy outside an unpaired host: an account in the replica region, in its own resource group,
   * encrypted under keys in that region, under the same version-level WORM as the host, with one
   * container per register (its own encryption scope and key), fed by object replication.
   *
   * WORM on the destination: Microsoft documents object replication with version-level immutability
   * on the destination ("If a version-level immutability policy is in effect for a blob version in
   * the destination account, and a delete or update operation is performed on the blob version in
   * the source container, then the operation on the source object may succeed, but replication of
   * that operation to the destination object will fail", object-replication-overview, Immutable
   * blobs): new versions replicate, and only an overwrite or delete of a protected version is not
   * carried over, which the source's own WORM refuses anyway. So the replica is as immutable as the
   * host. Encryption: "Object replication is supported for accounts that are encrypted with either
   * microsoft-managed keys or customer-managed keys" (same page); each side uses its own keys.
   * The replica's scopes carry the host's scope names, so a replicated blob finds a scope of its
   * name either way (the register's key in the replica region).
   */
  private objectReplica(
    name: string,
    args: SovereignStorageArgs,
    site: ReplicaSiteStorage,
    source: storage.StorageAccount,
    sourceContainers: readonly storage.BlobContainer[],
  ): Governed {
    const { context } = site;
    const replicaSku = chooseRedundancy(context.location, args.context.location).sku;
    const replica = hardenedAccount(
      `${name}-replica-account`,
      {
        resourceGroupName: context.resourceGroupName,
        // Site `r`: the same name as before the replica had a site of its own.
        accountName: context.namer.name("storageAccount"),
        location: context.location,
        sku: replicaSku,
        tags: context.tags,
        encryption: { identityId: site.encryption.identityId, keyVaultUri: site.encryption.keyVaultUri, keyName: site.encryption.accountKey.name },
        customerManagedKey: args.customerManagedKeys,
        worm: args.worm ?? sovereignStorageDefaults.worm,
        sasExpirationPeriod: args.sasExpirationPeriod,
      },
      statefulOptions(context.protect, { parent: this }),
    );
    const replicaService = this.blobService(`${name}-replica-blob-service`, context, replica.name, {
      blobSoftDeleteDays: args.blobSoftDeleteDays ?? sovereignStorageDefaults.blobSoftDeleteDays,
      containerSoftDeleteDays: args.containerSoftDeleteDays ?? sovereignStorageDefaults.containerSoftDeleteDays,
      changeFeedRetentionDays: args.changeFeedRetentionDays ?? sovereignStorageDefaults.changeFeedRetentionDays,
    });
    const registers: Record<string, RegisterContainer> = {};
    const replicaContainers = args.registers.map((r) => {
      const { container, scope } = this.registerContainer(`${name}-replica`, r, context, replica.name, replicaService, site.encryption, {
        customerManagedKey: args.customerManagedKeys !== false,
        // Object replication writes into these containers; a container-level policy there would
        // make replicated overwrites of the register fail (object-replication-overview, Immutable
        // blobs). The account's version-level WORM protects every replicated version instead.
        containerPolicies: false,
      });
      registers[r.name] = { containerId: container.id, containerName: r.name, encryptionScopeId: scope.id, encryptionScopeName: encryptionScopeName(r.name) };
      return container;
    });
    const rules = args.registers.map((r) => ({ sourceContainer: r.name, destinationContainer: r.name }));
    // Azure's order: the policy is created on the destination first; the source then refers to
    // the policy and rule ids the destination assigned.
    const destinationPolicy = new storage.ObjectReplicationPolicy(
      `${name}-replication-destination`,
      {
        resourceGroupName: context.resourceGroupName,
        accountName: replica.name,
        objectReplicationPolicyId: "default",
        sourceAccount: source.id,
        destinationAccount: replica.id,
        rules,
      },
      { parent: this, dependsOn: replicaContainers },
    );
    new storage.ObjectReplicationPolicy(
      `${name}-replication-source`,
      {
        resourceGroupName: args.context.resourceGroupName,
        accountName: source.name,
        objectReplicationPolicyId: destinationPolicy.policyId,
        sourceAccount: source.id,
        destinationAccount: replica.id,
        rules: destinationPolicy.rules.apply((assigned) =>
          (assigned ?? []).map((rule) => ({ ruleId: rule.ruleId, sourceContainer: rule.sourceContainer, destinationContainer: rule.destinationContainer })),
        ),
      },
      { parent: this, dependsOn: [...sourceContainers] },
    );
    this.replicaAccountId = replica.id;
    this.replicaAccountName = replica.name;
    this.replicaContainers = registers;
    return {
      locks: [{ name: "replica", resourceId: replica.id }],
      diagnostics: [{ name: "replica", resourceId: replica.id, kind: "storageAccount" }],
      privateLinks: accountLinks("replica", replica.id, replicaSku),
    };
  }

  private blobService(
    resourceName: string,
    context: EmbassyContext,
    accountName: pulumi.Input<string>,
    retention: { blobSoftDeleteDays: number; containerSoftDeleteDays: number; changeFeedRetentionDays: number },
  ): storage.BlobServiceProperties {
    return new storage.BlobServiceProperties(
      resourceName,
      {
        resourceGroupName: context.resourceGroupName,
        accountName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        changeFeed: { enabled: true, retentionInDays: retention.changeFeedRetentionDays },
        deleteRetentionPolicy: { enabled: true, days: retention.blobSoftDeleteDays, allowPermanentDelete: false },
        containerDeleteRetentionPolicy: { enabled: true, days: retention.containerSoftDeleteDays },
        lastAccessTimeTrackingPolicy: { enable: true, name: "AccessTimeTracking", trackingGranularityInDays: 1, blobType: ["blockBlob"] },
        // Point-in-time restore and version-level immutability exclude each other (Azure refuses
        // both): the embassy chooses WORM; restores come from versions, soft delete and the backup vault.
        restorePolicy: { enabled: false },
      },
      statefulOptions(context.protect, { parent: this }),
    );
  }

  private registerContainer(
    name: string,
    register: Register,
    context: EmbassyContext,
    accountName: pulumi.Output<string>,
    blobService: pulumi.Resource,
    encryption: StorageEncryption,
    options: { readonly customerManagedKey: boolean; readonly containerPolicies: boolean },
  ): { container: storage.BlobContainer; scope: storage.EncryptionScope } {
    const { customerManagedKey } = options;
    const key = encryption.registerKeys[register.name];
    if (key === undefined) {
      throw new Error(`no key for register "${register.name}": every register is encrypted under its own key`);
    }
    const stateful = statefulOptions(context.protect, { parent: this, dependsOn: [blobService] });
    const scope = new storage.EncryptionScope(
      `${name}-scope-${register.name}`,
      {
        resourceGroupName: context.resourceGroupName,
        accountName,
        encryptionScopeName: encryptionScopeName(register.name),
        // Switchable in place to the register's key ("Change the encryption key for a scope",
        // encryption-scope-manage.md); infrastructure encryption only at creation.
        ...(customerManagedKey ? { source: "Microsoft.KeyVault", keyVaultProperties: { keyUri: key.uri } } : { source: "Microsoft.Storage" }),
        requireInfrastructureEncryption: true,
        state: "Enabled",
      },
      // Azure cannot delete an encryption scope ("It is not possible to delete an encryption scope").
      { ...stateful, retainOnDelete: true },
    );
    const container = new storage.BlobContainer(
      `${name}-container-${register.name}`,
      {
        resourceGroupName: context.resourceGroupName,
        accountName,
        containerName: register.name,
        publicAccess: "None",
        defaultEncryptionScope: scope.name,
        denyEncryptionScopeOverride: true,
        immutableStorageWithVersioning: { enabled: true },
        metadata: {
          register: register.name,
          classification: register.classification,
          ...(register.owner === undefined ? {} : { owner: register.owner }),
        },
      },
      stateful,
    );
    const child = statefulOptions(context.protect, { parent: this });
    if (options.containerPolicies && register.immutability !== "none") {
      // A container policy overrides the account's default period for this register. Create-only:
      // updating or deleting one needs its ETag in If-Match, which the provider does not send
      // (pulumi/pulumi-azure-native#2156), and a locked one can only be extended, through its own
      // API (`az storage container immutability-policy extend`, docs/phases.md). `npm run seal` locks it.
      new storage.BlobContainerImmutabilityPolicy(
        `${name}-worm-${register.name}`,
        {
          resourceGroupName: context.resourceGroupName,
          accountName,
          containerName: container.name,
          immutabilityPolicyName: "default",
          immutabilityPeriodSinceCreationInDays: register.retentionDays,
          allowProtectedAppendWrites: false,
        },
        {
          ...child,
          retainOnDelete: true,
          ignoreChanges: ["immutabilityPeriodSinceCreationInDays", "allowProtectedAppendWrites", "allowProtectedAppendWritesAll"],
        },
      );
    }
    if (options.containerPolicies && register.legalHold) {
      new storage.BlobContainerLegalHold(
        `${name}-hold-${register.name}`,
        { resourceGroupName: context.resourceGroupName, accountName, containerName: container.name, tags: ["embassyhold"] },
        child,
      );
    }
    return { container, scope };
  }
}
