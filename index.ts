import * as pulumi from "@pulumi/pulumi";
import { DataEmbassy, loadSettings, nextSteps, readCore, RegisterContainer, RegisterShardStack, Settings, shardInterface, StorageShard } from "./components";

// Config -> validated settings -> components. loadSettings throws one error listing every problem
// before any resource is registered. A stack with `coreStack` set is a register-shard stack of that
// core (docs/scale.md); every other stack is a whole embassy, and the core of its shard stacks.
const settings = loadSettings();

/** Each register's container id, by register name. */
const containerIds = (containers: Readonly<Record<string, RegisterContainer>>) =>
  Object.fromEntries(Object.entries(containers).map(([r, c]) => [r, c.containerId]));
/** Each register's key URI, by register name. */
const keyUris = (keys: Readonly<Record<string, { readonly uri: pulumi.Output<string> }>>) =>
  Object.fromEntries(Object.entries(keys).map(([r, k]) => [r, k.uri]));

/** Each shard's account and registers (docs/scale.md). */
const shardList = (shards: readonly StorageShard[]) => shards.map((s) => ({ shard: s.index, accountName: s.storage.accountName, registers: s.registers }));

/** The replica site of a host without a geo-pair (null for a paired host). */
function replicaOutputs(embassy: DataEmbassy) {
  const site = embassy.replicaSite;
  return site === undefined
    ? null
    : {
        region: site.context.location,
        storageAccountName: embassy.storage.replicaAccountName,
        registerContainers: containerIds(embassy.storage.replicaContainers ?? {}),
        keyVaultUri: site.keys.vaultUri,
        registerKeyUris: keyUris(site.keys.registerKeys),
        keyCustodyManualSteps: site.keys.manualSteps,
        backupVaultId: site.backup?.vaultId,
        resourceGuardId: site.backup?.guardId,
        backupManualSteps: site.backup?.manualSteps,
        privateEndpoints: site.privateEndpoints,
      };
}

/** The standby site of a host with a geo-pair (null for a host without one): what the DR runbook's section A uses. */
function standbyOutputs(embassy: DataEmbassy) {
  const site = embassy.standbySite;
  return site === undefined
    ? null
    : {
        region: site.context.location,
        vnetId: site.network.vnetId,
        workloadSubnetId: site.network.workloadSubnetId,
        // The accounts' second identity, in this region: `az storage account update --encryption-key-identity` takes it.
        encryptionIdentityId: embassy.keys.standbyIdentity?.id,
        privateEndpoints: site.privateEndpoints,
      };
}

/** A whole embassy's stack outputs. */
function embassyOutputs(s: Settings, embassy: DataEmbassy) {
  return {
    resourceGroupName: embassy.resourceGroupName,
    location: embassy.location,
    phase: s.phase,
    phaseNextSteps: nextSteps(s),
    registers: s.registers.map((r) => r.name),
    storageAccountName: embassy.storage.accountName,
    storageRedundancy: embassy.storage.redundancy,
    primaryBlobEndpoint: embassy.storage.primaryBlobEndpoint,
    secondaryBlobEndpoint: embassy.storage.secondaryBlobEndpoint,
    registerContainers: containerIds(embassy.registerContainers),
    // With more than one storage-account shard only.
    ...(embassy.shards.length > 1 ? { storageShards: shardList(embassy.shards) } : {}),
    vnetId: embassy.network.vnetId,
    privateEndpoints: embassy.privateEndpoints,
    keyManagement: embassy.keys.keyManagement,
    keyVaultUri: embassy.keys.vaultUri,
    storageKeyUri: embassy.keys.storageKey.uri,
    backupKeyUri: embassy.keys.backupKey?.uri,
    registerKeyUris: keyUris(embassy.keys.registerKeys),
    encryptionIdentityId: embassy.keys.encryptionIdentity.id,
    keyCustodyManualSteps: embassy.keys.manualSteps,
    backupVaultId: embassy.backup.vaultId,
    backupPolicyId: embassy.backup.policyId,
    backupInstanceIds: pulumi.all(embassy.shards.map((sh) => sh.backupInstanceId)),
    resourceGuardId: embassy.backup.guardId,
    backupExcludedContainers: embassy.shards.flatMap((sh) => sh.excludedContainers),
    backupManualSteps: embassy.backup.manualSteps,
    // A host without a geo-pair: the replica site in objectReplicationRegion (its account, keys and
    // vault); null for a paired host, whose copy is Azure's geo-secondary.
    replica: replicaOutputs(embassy),
    // A host with a geo-pair: the standby site there (the read-access secondaries' endpoints, the standby identity).
    standby: standbyOutputs(embassy),
    // What an auditor asks for first: per control, the resources that satisfy it; who may do what.
    auditEvidence: embassy.governance.evidence,
    accessReview: embassy.governance.accessReview,
    logAnalyticsWorkspaceId: embassy.governance.workspaceId,
    governanceManualSteps: embassy.governance.manualSteps,
    // What this stack's register-shard stacks read through their StackReference to it.
    shardInterface: shardInterface(embassy, s),
  };
}

/** A register-shard stack's outputs: its registers, accounts, keys and backup instances. */
function shardStackOutputs(s: Settings, stack: RegisterShardStack) {
  return {
    coreStack: s.coreStack,
    location: s.hostRegion,
    phase: s.phase,
    phaseNextSteps: nextSteps(s),
    registers: s.registers.map((r) => r.name),
    registerContainers: containerIds(stack.registerContainers),
    storageShards: shardList(stack.shards),
    privateEndpoints: stack.privateEndpoints,
    keyVaultUri: stack.keys.vaultUri,
    storageKeyUri: stack.keys.storageKey.uri,
    registerKeyUris: keyUris(stack.keys.registerKeys),
    encryptionIdentityId: stack.keys.encryptionIdentity.id,
    standbyEncryptionIdentityId: stack.keys.standbyIdentity?.id,
    auditEvidence: stack.evidence,
    // Confirm the key-expiry subscription and rotate each key once after the first pulumi up.
    governanceManualSteps: stack.manualSteps,
    backupInstanceIds: pulumi.all(stack.shards.map((sh) => sh.backupInstanceId)),
    backupExcludedContainers: stack.shards.flatMap((sh) => sh.excludedContainers),
  };
}

export = settings.coreStack === undefined
  ? embassyOutputs(settings, new DataEmbassy("embassy", { settings }))
  : // A shard stack first reads its core and checks that it fits (readCore), then builds.
    readCore(settings).then((core) => shardStackOutputs(settings, new RegisterShardStack("shards", { settings, core })));
