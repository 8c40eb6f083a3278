import * as pulumi from "@pulumi/pulumi";
import { DataEmbassy, loadSettings, nextSteps } from "./components";

// Config -> validated settings -> components. loadSettings throws one error listing every problem
// before any resource is registered.
const settings = loadSettings();
const embassy = new DataEmbassy("embassy", { settings });

export const resourceGroupName = embassy.resourceGroupName;
export const location = embassy.location;
export const phase = settings.phase;
export const phaseNextSteps = nextSteps(settings);
export const registers = settings.registers.map((r) => r.name);
export const storageAccountName = embassy.storage.accountName;
export const storageRedundancy = embassy.storage.redundancy;
export const primaryBlobEndpoint = embassy.storage.primaryBlobEndpoint;
export const secondaryBlobEndpoint = embassy.storage.secondaryBlobEndpoint;
export const registerContainers = Object.fromEntries(Object.entries(embassy.registerContainers).map(([r, c]) => [r, c.containerId]));
// With more than one storage-account shard: each shard's account and registers (docs/scale.md).
export const storageShards =
  embassy.shards.length > 1 ? embassy.shards.map((s) => ({ shard: s.index, accountName: s.storage.accountName, registers: s.registers })) : undefined;
export const vnetId = embassy.network.vnetId;
export const privateEndpoints = embassy.privateEndpoints;
export const keyManagement = embassy.keys.keyManagement;
export const keyVaultUri = embassy.keys.vaultUri;
export const storageKeyUri = embassy.keys.storageKey.uri;
export const backupKeyUri = embassy.keys.backupKey.uri;
export const registerKeyUris = Object.fromEntries(Object.entries(embassy.keys.registerKeys).map(([r, k]) => [r, k.uri]));
export const encryptionIdentityId = embassy.keys.encryptionIdentity.id;
export const keyCustodyManualSteps = embassy.keys.manualSteps;
export const backupVaultId = embassy.backup?.vaultId;
export const backupPolicyId = embassy.backup?.policyId;
export const backupInstanceIds = embassy.backup === undefined ? undefined : pulumi.all(embassy.shards.map((s) => s.backupInstanceId));
export const resourceGuardId = embassy.backup?.guardId;
export const backupExcludedContainers = embassy.backup === undefined ? undefined : embassy.shards.flatMap((s) => s.excludedContainers);
export const backupManualSteps = embassy.backup?.manualSteps;
// What an auditor asks for first: per control, the resources that satisfy it; who may do what.
export const auditEvidence = embassy.governance.evidence;
export const accessReview = embassy.governance.accessReview;
export const logAnalyticsWorkspaceId = embassy.governance.workspaceId;
export const governanceManualSteps = embassy.governance.manualSteps;
