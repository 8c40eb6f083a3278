import type { ControlId } from "../../catalog/controls";
import * as access from "./access";
import * as auditTrail from "./auditTrail";
import * as backup from "./backup";
import * as governance from "./governance";
import * as keys from "./keys";
import * as keyVault from "./keyVault";
import * as deployability from "./deployability";
import { approvedLocations } from "./locations";
import * as network from "./network";
import { statefulProtection } from "./protection";
import type { Rule } from "./rule";
import * as storage from "./storage";

/**
 * The rule behind every control. Typed as a record over the catalog's ids, so a control without a
 * rule (or a rule without a control) does not compile.
 */
export const rules: Readonly<Record<ControlId, Rule>> = {
  "storage-https-only": storage.httpsOnly,
  "storage-tls-minimum": storage.tlsMinimum,
  "storage-public-network-disabled": storage.publicNetworkDisabled,
  "storage-firewall-default-deny": storage.firewallDefaultDeny,
  "storage-trusted-services-bypass": storage.trustedServicesBypass,
  "storage-private-endpoint": storage.privateEndpoint,
  "storage-no-anonymous-access": storage.noAnonymousAccess,
  "storage-shared-key-disabled": storage.sharedKeyDisabled,
  "storage-cross-tenant-replication-disabled": storage.crossTenantReplicationDisabled,
  "storage-customer-managed-key": storage.customerManagedKey,
  "storage-infrastructure-encryption": storage.infrastructureEncryption,
  "encryption-scope-customer-managed-key": storage.scopeCustomerManagedKey,
  "encryption-scope-double-encryption": storage.scopeDoubleEncryption,
  "storage-geo-redundant": storage.geoRedundant,
  "blob-soft-delete": storage.blobSoftDelete,
  "container-soft-delete": storage.containerSoftDelete,
  "blob-versioning": storage.blobVersioning,
  "blob-logging": storage.blobLogging,
  "storage-worm": storage.worm,
  "register-container-worm": storage.registerContainerWorm,
  "storage-copy-scope-private-link": storage.copyScopePrivateLink,
  "container-encryption-scope-enforced": storage.containerEncryptionScope,
  "kv-purge-protection": keyVault.purgeProtection,
  "kv-soft-delete": keyVault.softDelete,
  "kv-rbac": keyVault.rbac,
  "kv-public-network-disabled": keyVault.publicNetworkDisabled,
  "kv-firewall-default-deny": keyVault.firewallDefaultDeny,
  "kv-private-endpoint": keyVault.privateEndpoint,
  "keys-hsm-backed": keys.hsmBacked,
  "keys-expiry": keys.expiry,
  "keys-rotation": keys.rotation,
  "kv-audit-logs": keyVault.auditLogs,
  "managed-hsm-quorum": keyVault.managedHsmQuorum,
  "key-per-register": keys.keyPerRegister,
  "replica-keys-in-own-region": keys.replicaKeysInOwnRegion,
  "keys-rsa-minimum-size": keys.rsaMinimumSize,
  "keys-not-exportable": keys.notExportable,
  "backup-soft-delete": backup.softDelete,
  "backup-immutability": backup.immutability,
  "backup-customer-managed-key": backup.customerManagedKey,
  "backup-multi-user-authorization": backup.multiUserAuthorization,
  "blobs-backed-up": backup.blobsBackedUp,
  "backup-geo-redundant": backup.geoRedundant,
  "backup-survives-region": backup.survivesRegion,
  "immutability-sealed-not-created-locked": deployability.sealedNotCreatedLocked,
  "ingest-after-seal": deployability.ingestAfterSeal,
  "backup-vault-key-through-own-identity": backup.keyThroughOwnIdentity,
  "container-worm-create-only": deployability.containerWormCreateOnly,
  "grants-awaited": deployability.grantsAwaited,
  "vaulted-retention-within-bounds": deployability.vaultedRetentionWithinBounds,
  "backup-instance-container-limit": deployability.backupInstanceContainerLimit,
  "no-archive-tier": deployability.noArchiveTier,
  "private-endpoints-protected": deployability.privateEndpointsProtected,
  "nsg-on-subnets": network.nsgOnSubnets,
  "nsg-internet-denied": network.nsgInternetDenied,
  "subnet-private": network.subnetPrivate,
  "delete-locks": governance.deleteLocks,
  "allowed-locations-assignment": governance.allowedLocationsAssignment,
  "data-residency-assignment": governance.dataResidencyAssignment,
  "activity-log-alerts": governance.activityLogAlerts,
  "log-retention": governance.logRetention,
  "activity-log-export": governance.activityLogExport,
  "log-analytics-local-auth-disabled": governance.logAnalyticsLocalAuthDisabled,
  "allowed-resource-types-assignment": auditTrail.allowedResourceTypesAssignment,
  "log-analytics-private-only": auditTrail.logAnalyticsPrivateOnly,
  "vnet-flow-logs": auditTrail.vnetFlowLogs,
  "defender-plans": auditTrail.defenderPlans,
  "saved-queries-customer-storage": auditTrail.savedQueriesCustomerStorage,
  "approved-locations": approvedLocations,
  "stateful-protection": statefulProtection,
  "no-privileged-roles": access.noPrivilegedRoles,
  "auditor-read-only": access.auditorReadOnly,
  "duty-least-privilege": access.dutyLeastPrivilege,
  "recovery-read-eligible-only": access.recoveryReadEligibleOnly,
};
