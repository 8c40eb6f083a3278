import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { Governed } from "../shared/governed";
import { ArgumentProblem, problem, rejectArguments } from "../shared/argumentProblems";
import { keyCustodyDefaults } from "./defaults";
import type { EmbassyContext } from "../shared/context";
import { managedHsmManualSteps } from "./managedHsm";
import { statefulOptions } from "../shared/protection";
import { keyStoreSoftDeleteDays, managedHsmMinAdmins } from "../../catalog/limits";
import { builtInRoles } from "../../catalog/roles";
import { roleDefinitionId } from "../shared/roles";
import { defaultRoleAssignmentPropagationWait, propagationWait, propagationWaitProblems } from "../shared/propagation";

/** Where the state's keys live. */
export type KeyManagement = "keyVault" | "managedHsm";

/** Key names inside the vault/HSM. Register keys carry a prefix so no register can take a purpose key's name. */
export const keyNames = {
  storage: "cmk-storage",
  backup: "cmk-backup",
  register: (register: string) => `cmk-reg-${register}`,
} as const;

/** A customer-managed key as a consumer (storage account, encryption scope, backup vault) needs it. */
export interface KeyReference {
  /** Key name inside the vault or HSM, e.g. `cmk-reg-population`. */
  readonly name: string;
  /**
   * Versionless key URI, so consumers pick up rotated versions. Resolves only after the grant
   * that lets the matching encryption identity use the key and the propagation wait after it, so
   * whoever consumes it waits until the grant is effective.
   */
  readonly uri: pulumi.Output<string>;
  /** ARM id of the key (Key Vault mode), the scope of a grant on it; undefined in managedHsm mode, whose keys are data plane. */
  readonly resourceId?: pulumi.Output<string>;
}

/** A user-assigned identity a service encrypts with. Every field resolves only after its key grants and the wait for them to take effect. */
export interface EncryptionIdentity {
  /** ARM id (for `identity.userAssignedIdentities` and the encryption identity reference). */
  readonly id: pulumi.Output<string>;
  /** Entra object id of the identity's service principal. */
  readonly principalId: pulumi.Output<string>;
  /** Client (application) id. */
  readonly clientId: pulumi.Output<string>;
}

/** Arguments of {@link KeyCustody}. */
export interface KeyCustodyArgs {
  /** Placement, naming, tags and protection. */
  readonly context: EmbassyContext;
  /** Register names; each gets its own key (crypto separation: revoking one touches no other). */
  readonly registers: readonly string[];
  /** Entra object ids of the key custodians: the only principals with key management rights. */
  readonly keyCustodians: readonly string[];
  /** `keyVault` (default): Premium vault with HSM-backed keys. `managedHsm`: single-tenant HSM, keys made in the ceremony. */
  readonly keyManagement?: KeyManagement;
  /** Managed HSM initial administrators (security-domain officers); required in managedHsm mode. */
  readonly managedHsmAdmins?: readonly string[];
  /** RSA-HSM key size in bits: 3072 or 4096 (default 4096). */
  readonly keySize?: number;
  /** Days after creation a key version expires (default 730). */
  readonly keyExpiryDays?: number;
  /** Days after creation a key is rotated (default 365); Azure wants it at least 7 days before expiry. */
  readonly keyRotationDays?: number;
  /** Days before expiry that a near-expiry event is raised (default 30). */
  readonly keyNotifyBeforeExpiryDays?: number;
  /** Create the vault/HSM with `createMode: recover`, bringing back a soft-deleted one of the same name (default false). */
  readonly recoverSoftDeletedVault?: boolean;
  /**
   * Make the backup vault's key (`cmk-backup`; default true). False where no backup vault encrypts
   * with this key store's keys, e.g. a register-shard stack, whose accounts are backed up in its
   * core's vault under the core's backup key: no key is created (Key Vault mode) or listed in the
   * ceremony's keys (Managed HSM mode), and {@link KeyCustody.backupKey} is undefined.
   */
  readonly backupKey?: boolean;
  /** Clock for the first key versions' expiry date (default: now). */
  readonly now?: Date;
  /**
   * How long consumers wait after the key grants are created before they may use the keys, as a
   * Go duration ("10m", "90s"; 0–30 minutes). Default 10m: Microsoft's "up to 10 minutes" for a
   * role assignment to take effect (components/shared/propagation.ts).
   */
  readonly roleAssignmentPropagationWait?: string;
  /**
   * The host's geo-pair, for a host that has one: a second storage identity (the standby identity)
   * lives there, allowed exactly the storage identity's keys, so the accounts can unwrap their keys
   * through an identity outside the host region once it is lost (see {@link KeyCustody.standbyIdentity}).
   */
  readonly standbyRegion?: string;
}

const day = 24 * 60 * 60;

/** Lifetime settings of an RSA-HSM wrapping key (see {@link wrappingKeyProperties}). */
export interface WrappingKeySpec {
  readonly keySize: number;
  readonly expiryDays: number;
  readonly rotationDays: number;
  readonly notifyBeforeExpiryDays: number;
  /** Clock for the first version's expiry date. */
  readonly now: Date;
}

/**
 * Properties of an RSA-HSM key that only wraps and unwraps data keys (envelope encryption), with
 * an expiry and a rotation policy. Azure's ARM key API creates the first version only; the
 * rotation policy's `expiryTime` applies to rotated versions, so the first one gets an explicit
 * `expires`, rounded to the start of its UTC day so that repeated plans on one day agree. Give
 * the key `ignoreChanges: ["properties.attributes.expires"]`: Azure never updates it anyway.
 */
export function wrappingKeyProperties(spec: WrappingKeySpec): keyvault.KeyArgs["properties"] {
  const today = Math.floor(spec.now.getTime() / 1000 / day) * day;
  return {
    kty: "RSA-HSM",
    keySize: spec.keySize,
    keyOps: ["wrapKey", "unwrapKey"],
    attributes: { enabled: true, expires: today + spec.expiryDays * day },
    rotationPolicy: {
      attributes: { expiryTime: `P${spec.expiryDays}D` },
      lifetimeActions: [
        { action: { type: "rotate" }, trigger: { timeAfterCreate: `P${spec.rotationDays}D` } },
        { action: { type: "notify" }, trigger: { timeBeforeExpiry: `P${spec.notifyBeforeExpiryDays}D` } },
      ],
    },
  };
}

/** What {@link hardenedVault} builds: placement and tenant of one Key Vault. */
export interface HardenedVaultArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly vaultName: pulumi.Input<string>;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Entra tenant whose identities the vault's RBAC trusts. */
  readonly tenantId: pulumi.Input<string>;
  /**
   * Create with `createMode: recover`, bringing back a soft-deleted vault of the same name. When
   * given (true or false), later changes of it are ignored: createMode only matters when the vault
   * is created, and flipping it must not touch a live vault. Omit it where it is never set.
   */
  readonly recoverSoftDeleted?: boolean;
}

/**
 * A Key Vault with every embassy key-store control on: Premium (HSM-backed keys), RBAC instead of
 * access policies, purge protection, soft delete for the longest Azure allows
 * (`keyStoreSoftDeleteDays`), no deployment/disk/template access, public network access off, and a
 * deny-by-default firewall that lets trusted Azure services through (storage and backup reach
 * their CMK as trusted services; without the bypass they cannot). Used for the embassy's key
 * custody and the state backend's vault. Give `opts` protection (see statefulOptions): a vault
 * holds keys.
 */
export function hardenedVault(resourceName: string, a: HardenedVaultArgs, opts: pulumi.CustomResourceOptions): keyvault.Vault {
  return new keyvault.Vault(
    resourceName,
    {
      resourceGroupName: a.resourceGroupName,
      vaultName: a.vaultName,
      location: a.location,
      tags: a.tags,
      properties: {
        tenantId: a.tenantId,
        sku: { family: "A", name: "premium" },
        // RBAC instead of access policies: grants are ARM role assignments, visible to policy and auditors.
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: keyStoreSoftDeleteDays,
        enablePurgeProtection: true,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [], virtualNetworkRules: [] },
        ...(a.recoverSoftDeleted ? { createMode: "recover" as const } : {}),
      },
    },
    a.recoverSoftDeleted === undefined ? opts : { ...opts, ignoreChanges: [...(opts.ignoreChanges ?? []), "properties.createMode"] },
  );
}

type ResolvedArgs = Required<Omit<KeyCustodyArgs, "now" | "standbyRegion">> & { readonly now: Date; readonly standbyRegion?: string };

/** Fills in the embassy-grade default of every optional argument. */
function resolve(args: KeyCustodyArgs): ResolvedArgs {
  return {
    context: args.context,
    registers: args.registers,
    keyCustodians: args.keyCustodians,
    keyManagement: args.keyManagement ?? keyCustodyDefaults.keyManagement,
    managedHsmAdmins: args.managedHsmAdmins ?? [],
    keySize: args.keySize ?? keyCustodyDefaults.keySize,
    keyExpiryDays: args.keyExpiryDays ?? keyCustodyDefaults.keyExpiryDays,
    keyRotationDays: args.keyRotationDays ?? keyCustodyDefaults.keyRotationDays,
    keyNotifyBeforeExpiryDays: args.keyNotifyBeforeExpiryDays ?? keyCustodyDefaults.keyNotifyBeforeExpiryDays,
    recoverSoftDeletedVault: args.recoverSoftDeletedVault ?? keyCustodyDefaults.recoverSoftDeletedVault,
    backupKey: args.backupKey ?? keyCustodyDefaults.backupKey,
    now: args.now ?? new Date(),
    roleAssignmentPropagationWait: args.roleAssignmentPropagationWait ?? defaultRoleAssignmentPropagationWait,
    standbyRegion: args.standbyRegion,
  };
}

/** Why `args` would build weaker or invalid key custody; empty when fine. */
export function keyCustodyProblems(args: KeyCustodyArgs): ArgumentProblem[] {
  const a = resolve(args);
  const problems: ArgumentProblem[] = propagationWaitProblems("roleAssignmentPropagationWait", args.roleAssignmentPropagationWait);
  if (a.keySize !== 3072 && a.keySize !== 4096) {
    problems.push(problem("keySize", `must be 3072 or 4096 (got ${a.keySize}): 2048-bit RSA is too weak for long-lived archives`));
  }
  if (a.keyExpiryDays < 28) problems.push(problem("keyExpiryDays", `must be at least 28 (Azure's minimum rotation-policy expiry), got ${a.keyExpiryDays}`));
  if (a.keyRotationDays < 7) problems.push(problem("keyRotationDays", `must be at least 7 (Azure's minimum), got ${a.keyRotationDays}`));
  if (a.keyRotationDays > a.keyExpiryDays - 7) {
    problems.push(
      problem(
        "keyRotationDays",
        `(${a.keyRotationDays}) must be at least 7 days shorter than keyExpiryDays (${a.keyExpiryDays}): Azure rotates no later than 7 days before expiry`,
      ),
    );
  }
  if (a.keyNotifyBeforeExpiryDays < 7 || a.keyNotifyBeforeExpiryDays >= a.keyExpiryDays) {
    problems.push(
      problem("keyNotifyBeforeExpiryDays", `must be at least 7 and less than keyExpiryDays (${a.keyExpiryDays}), got ${a.keyNotifyBeforeExpiryDays}`),
    );
  }
  const duplicates = a.registers.filter((r, i) => a.registers.indexOf(r) !== i);
  if (duplicates.length > 0) problems.push(problem("registers", `names must be unique (repeated: ${[...new Set(duplicates)].join(", ")})`));
  if (a.keyManagement === "managedHsm" && a.managedHsmAdmins.length < managedHsmMinAdmins) {
    problems.push(
      problem(
        "managedHsmAdmins",
        `must list at least ${managedHsmMinAdmins} initial administrators in managedHsm mode (the security-domain quorum), got ${a.managedHsmAdmins.length}`,
      ),
    );
  }
  return problems;
}

/** A value that resolves only after `resources` exist, so whoever consumes it depends on them. */
function after(value: pulumi.Output<string>, resources: readonly pulumi.Resource[]): pulumi.Output<string> {
  const urns = Object.fromEntries(resources.map((r, i) => [`after${i}`, r.urn]));
  return pulumi.all({ ...urns, value }).apply((resolved) => resolved.value);
}

/**
 * The state's key custody: a Premium Key Vault (or a Managed HSM) with one RSA-HSM key for the
 * storage account, one per register and one for the backup vault; user-assigned identities that
 * storage and backup encrypt with, each allowed to use exactly its own keys; and Crypto Officer
 * rights for the home-state custodians only.
 */
export class KeyCustody extends pulumi.ComponentResource {
  /** Where the keys live. */
  readonly keyManagement: KeyManagement;
  /** ARM id of the Key Vault (or Managed HSM): the private endpoint target. */
  readonly vaultId: pulumi.Output<string>;
  /** Name of the Key Vault (or Managed HSM). */
  readonly vaultName: pulumi.Output<string>;
  /** Private endpoint group id of the key store: `vault` or `managedhsm`. */
  readonly privateEndpointGroupId: "vault" | "managedhsm";
  /** Vault URI, e.g. `https://kv-….vault.azure.net/` (HSM URI in managedHsm mode); resolves after every grant. */
  readonly vaultUri: pulumi.Output<string>;
  /** Storage account key. */
  readonly storageKey: KeyReference;
  /** Backup vault key; undefined when created with `backupKey: false`. */
  readonly backupKey?: KeyReference;
  /** One key per register, by register name. */
  readonly registerKeys: Readonly<Record<string, KeyReference>>;
  /** Identity the storage account encrypts with (account key and every register key). */
  readonly encryptionIdentity: EncryptionIdentity;
  /**
   * With `standbyRegion`: an identity in the host's geo-pair, granted the same keys as
   * {@link encryptionIdentity}. A user-assigned identity is a regional resource, and Microsoft
   * recommends one per region so that a global identity is not "a single point of failure during
   * regional failover" (learn.microsoft.com/entra/identity/managed-identities-azure-resources/
   * managed-identities-isolation-scope); whether an account can unwrap its key through an identity
   * whose region is down is not documented. A storage account holds one user-assigned identity
   * ("Only 1 User Assigned identity is permitted here", REST spec), and an existing account's
   * customer-managed keys may be configured with another identity ("You can use either a
   * system-assigned or user-assigned managed identity … for an existing storage account",
   * customer-managed-keys-configure-existing-account): after losing the host region, the DR runbook
   * puts this identity in the storage identity's place if unwrapping fails. Safe whichever way Azure
   * behaves; it is assigned to nothing until then.
   */
  readonly standbyIdentity?: EncryptionIdentity;
  /** Grants that let {@link encryptionIdentity} use its keys (created is not yet effective: see {@link encryptionGrantsEffective}). */
  readonly encryptionGrants: readonly pulumi.Resource[];
  /**
   * The wait after {@link encryptionGrants} (a `time:Sleep` of `roleAssignmentPropagationWait`):
   * `dependsOn` it before pointing at a key by other means than this component's values. Undefined
   * in managedHsm mode, where the grants are made by hand in the key ceremony.
   */
  readonly encryptionGrantsEffective?: pulumi.Resource;
  /** True when the keys exist after `pulumi up`; false in managedHsm mode until the ceremony. */
  readonly keysProvisioned: boolean;
  /** What remains manual after `pulumi up` (empty in keyVault mode). */
  readonly manualSteps: pulumi.Output<string[]>;
  /** The key store and the encryption identity are locked (deleting the identity makes what it encrypts unreadable); the store logs and is reached privately. */
  readonly governed: Governed;

  constructor(name: string, args: KeyCustodyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:KeyCustody", name, {}, opts);
    rejectArguments("KeyCustody", name, keyCustodyProblems(args));
    const a = resolve(args);
    const { context } = a;
    this.keyManagement = a.keyManagement;
    const storageKeyNames = [keyNames.storage, ...a.registers.map(keyNames.register)];
    const backupKeyNames = a.backupKey ? [keyNames.backup] : [];

    // Identities come first and outlive every key version: deleting one, or its grant, leaves the
    // data it encrypts unreadable, so they are protected like the keys themselves.
    const identity = (purpose: string, location = context.location) =>
      new managedidentity.UserAssignedIdentity(
        `${name}-id-${purpose}`,
        {
          resourceGroupName: context.resourceGroupName,
          resourceName: context.namer.localName("userAssignedIdentity", purpose),
          location,
          tags: context.tags,
        },
        statefulOptions(context.protect, { parent: this }),
      );
    // The backup vault reaches its key through its own system-assigned identity, which EmbassyBackup
    // grants (a user-assigned one cannot pass a network-restricted Key Vault: backup-vault-key-through-own-identity).
    const storageIdentity = identity("storage");
    const standbyIdentity = a.standbyRegion === undefined ? undefined : identity("storage-standby", a.standbyRegion);

    let keyUri: (keyName: string) => pulumi.Output<string>;
    let keyId: (keyName: string) => pulumi.Output<string> | undefined = () => undefined;
    let storageGrants: pulumi.Resource[] = [];
    // What a consumer of the storage identity waits for: the grants and the propagation wait after them.
    let storageReady: pulumi.Resource[] = [];
    if (a.keyManagement === "keyVault") {
      const vault = this.vault(name, a);
      this.vaultId = vault.id;
      this.vaultName = vault.name;
      this.privateEndpointGroupId = "vault";
      const keys = new Map([...storageKeyNames, ...backupKeyNames].map((k) => [k, this.key(name, k, vault, a)]));
      const grants = new Map<string, authorization.RoleAssignment>();
      for (const k of storageKeyNames) grants.set(k, this.grant(`${name}-grant-${k}`, storageIdentity, keys.get(k)!, context));
      // The standby identity may use exactly the same keys (one grant per key, as for the storage identity).
      if (standbyIdentity !== undefined) {
        for (const k of storageKeyNames) grants.set(`standby-${k}`, this.grant(`${name}-grant-standby-${k}`, standbyIdentity, keys.get(k)!, context));
      }
      storageGrants = [...grants.values()];
      // Created is not effective: one wait per group of grants made together (they propagate in parallel).
      const wait = (purpose: string, keyNamesOfGroup: readonly string[]) =>
        propagationWait(
          `${name}-grants-effective-${purpose}`,
          Object.fromEntries(keyNamesOfGroup.map((k) => [k, grants.get(k)!])),
          a.roleAssignmentPropagationWait,
          {
            parent: this,
          },
        );
      const storageWait = wait("storage", [...grants.keys()]);
      this.encryptionGrantsEffective = storageWait;
      storageReady = [...storageGrants, storageWait];
      // The backup key's consumer (the vault's own identity) is granted, and waited for, by EmbassyBackup.
      keyUri = (k) => (grants.has(k) ? after(keys.get(k)!.keyUri, [grants.get(k)!, storageWait]) : keys.get(k)!.keyUri);
      keyId = (k) => keys.get(k)!.id;
      this.vaultUri = after(
        vault.properties.apply((p) => p.vaultUri),
        [...grants.values(), storageWait],
      );
      this.custodians(name, vault, a);
      this.keysProvisioned = true;
      this.manualSteps = pulumi.output([]);
    } else {
      const hsm = this.managedHsm(name, a);
      this.vaultId = hsm.id;
      this.vaultName = hsm.name;
      this.privateEndpointGroupId = "managedhsm";
      this.vaultUri = hsm.properties.apply((p) => p.hsmUri);
      keyUri = (k) => pulumi.interpolate`${this.vaultUri}keys/${k}`;
      this.keysProvisioned = false;
      this.manualSteps = pulumi
        .all({ hsmName: hsm.name, storagePrincipalId: storageIdentity.principalId, standbyPrincipalId: standbyIdentity?.principalId ?? pulumi.output("") })
        .apply(({ hsmName, storagePrincipalId, standbyPrincipalId }) =>
          managedHsmManualSteps({
            hsmName,
            admins: a.managedHsmAdmins,
            custodians: a.keyCustodians,
            storageKeyNames,
            backupKeyName: a.backupKey ? keyNames.backup : undefined,
            storagePrincipalId,
            standbyPrincipalId: standbyPrincipalId === "" ? undefined : standbyPrincipalId,
            keySize: a.keySize,
            keyExpiryDays: a.keyExpiryDays,
            keyRotationDays: a.keyRotationDays,
            keyNotifyBeforeExpiryDays: a.keyNotifyBeforeExpiryDays,
          }),
        );
    }

    const reference = (keyName: string): KeyReference => ({ name: keyName, uri: keyUri(keyName), resourceId: keyId(keyName) });
    this.storageKey = reference(keyNames.storage);
    this.backupKey = a.backupKey ? reference(keyNames.backup) : undefined;
    this.registerKeys = Object.fromEntries(a.registers.map((r) => [r, reference(keyNames.register(r))]));
    this.encryptionGrants = storageGrants;
    const gated = (id: managedidentity.UserAssignedIdentity, grants: pulumi.Resource[]): EncryptionIdentity => ({
      id: after(id.id, grants),
      principalId: after(id.principalId, grants),
      clientId: after(id.clientId, grants),
    });
    this.encryptionIdentity = gated(storageIdentity, storageReady);
    this.standbyIdentity = standbyIdentity === undefined ? undefined : gated(standbyIdentity, storageReady);
    this.governed = {
      locks: [
        { name: "keys", resourceId: this.vaultId },
        { name: "identity-storage", resourceId: this.encryptionIdentity.id },
        ...(this.standbyIdentity === undefined ? [] : [{ name: "identity-storage-standby", resourceId: this.standbyIdentity.id }]),
      ],
      diagnostics: [{ name: "keys", resourceId: this.vaultId, kind: this.keyManagement }],
      privateLinks: [{ service: "keys", resourceId: this.vaultId, groupId: this.privateEndpointGroupId }],
    };

    this.registerOutputs({
      keyManagement: this.keyManagement,
      vaultId: this.vaultId,
      vaultUri: this.vaultUri,
      storageKeyUri: this.storageKey.uri,
      backupKeyUri: this.backupKey?.uri,
      registerKeyUris: Object.fromEntries(Object.entries(this.registerKeys).map(([r, k]) => [r, k.uri])),
      encryptionIdentityId: this.encryptionIdentity.id,
      manualSteps: this.manualSteps,
    });
  }

  /** The embassy's hardened vault (see {@link hardenedVault}), protected like every key store. */
  private vault(name: string, args: ResolvedArgs): keyvault.Vault {
    const { context } = args;
    return hardenedVault(
      `${name}-vault`,
      {
        resourceGroupName: context.resourceGroupName,
        vaultName: context.namer.name("keyVault"),
        location: context.location,
        tags: context.tags,
        tenantId: context.tenantId,
        recoverSoftDeleted: args.recoverSoftDeletedVault,
      },
      statefulOptions(context.protect, { parent: this }),
    );
  }

  /** One wrapping key for storage, backup or a register (envelope encryption only). */
  private key(name: string, keyName: string, vault: keyvault.Vault, args: ResolvedArgs): keyvault.Key {
    const { context } = args;
    return new keyvault.Key(
      `${name}-key-${keyName}`,
      {
        resourceGroupName: context.resourceGroupName,
        vaultName: vault.name,
        keyName,
        tags: { ...context.tags, purpose: keyName },
        properties: wrappingKeyProperties({
          keySize: args.keySize,
          expiryDays: args.keyExpiryDays,
          rotationDays: args.keyRotationDays,
          notifyBeforeExpiryDays: args.keyNotifyBeforeExpiryDays,
          now: args.now,
        }),
      },
      statefulOptions(context.protect, { parent: this, ignoreChanges: ["properties.attributes.expires"] }),
    );
  }

  /**
   * Lets `identity` use exactly one key: Key Vault RBAC accepts a key as scope, the narrowest Azure
   * allows, so the storage identity cannot touch the backup key and vice versa.
   *
   * Ordering (the race AVM leaves to its callers): a storage account that references the identity
   * and the key depends on both, but not on this grant, so Pulumi would create it in parallel and
   * Azure would refuse the key. Here the grant depends explicitly on identity and key, and every
   * value this component hands out (key URIs, vault URI, identity ids) resolves only after the
   * grants and the propagation wait after them (components/shared/propagation.ts), so a consumer
   * waits until the grant is effective, not merely created, whether or not it adds `dependsOn`.
   * `principalType` spares Azure the directory lookup that fails while a new identity is still
   * replicating ("set the role assignment principalType property", Troubleshoot Azure RBAC,
   * symptom "Assigning a role to a new principal sometimes fails").
   */
  private grant(logicalName: string, identity: managedidentity.UserAssignedIdentity, key: keyvault.Key, context: EmbassyContext): authorization.RoleAssignment {
    return new authorization.RoleAssignment(
      logicalName,
      {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(context.subscriptionId, builtInRoles.keyVaultCryptoServiceEncryptionUser),
        scope: key.id,
        description: "Data embassy: encryption identity may wrap/unwrap with this key only",
      },
      statefulOptions(context.protect, { parent: this, dependsOn: [identity, key] }),
    );
  }

  /** Key Vault Crypto Officer for each custodian, on this vault only. Nobody else manages keys. */
  private custodians(name: string, vault: keyvault.Vault, args: ResolvedArgs): void {
    for (const principalId of args.keyCustodians) {
      new authorization.RoleAssignment(
        `${name}-custodian-${principalId}`,
        {
          principalId,
          roleDefinitionId: roleDefinitionId(args.context.subscriptionId, builtInRoles.keyVaultCryptoOfficer),
          scope: vault.id,
          description: "Data embassy: home-state key custodian",
        },
        { parent: this },
      );
    }
  }

  /** Single-tenant FIPS 140-3 Level 3 HSM pool; inert until the security-domain ceremony activates it. */
  private managedHsm(name: string, args: ResolvedArgs): keyvault.ManagedHsm {
    const { context } = args;
    return new keyvault.ManagedHsm(
      `${name}-hsm`,
      {
        resourceGroupName: context.resourceGroupName,
        name: context.namer.name("managedHsm"),
        location: context.location,
        tags: context.tags,
        sku: { family: "B", name: "Standard_B1" },
        properties: {
          tenantId: context.tenantId,
          initialAdminObjectIds: [...args.managedHsmAdmins],
          enableSoftDelete: true,
          softDeleteRetentionInDays: keyStoreSoftDeleteDays,
          enablePurgeProtection: true,
          publicNetworkAccess: "Disabled",
          networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
          ...(args.recoverSoftDeletedVault ? { createMode: "recover" as const } : {}),
        },
      },
      statefulOptions(context.protect, { parent: this, ignoreChanges: ["properties.createMode"] }),
    );
  }
}
