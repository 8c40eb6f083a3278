import { isFlowLogAccount } from "./auditTrail";
import { idRefersTo, label, ofTypes } from "./arm";
import { atLeast } from "../../catalog/phases";
import { environmentOf, isProduction, stackEnvironment, stackPhase } from "./environment";
import { Finding, ResourceView, resourceRule, stackRule } from "./rule";
import { lockedEnvironmentsConfig, wormStateProblem } from "./storage";
import { types } from "../../catalog/resourceTypes";
import { findRegion, geoSecondary } from "../../catalog/regions";
import { get, list, num, oneOf, same, shown, text } from "./values";

/** Rules for the backup vault and what it protects. */

const security = "properties.securitySettings";

/** backup-soft-delete */
export const softDelete = stackRule([types.backupVault], (resources) => {
  const stack = stackEnvironment(resources);
  return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
    const env = environmentOf(v, stack);
    const settings = get(v.props, `${security}.softDeleteSettings`);
    const states = isProduction(env) ? ["AlwaysOn"] : ["On", "AlwaysOn"];
    const problems: string[] = [];
    if (!oneOf(get(settings, "state"), states))
      problems.push(`softDeleteSettings.state is ${shown(get(settings, "state"))}, must be ${states.map((s) => `"${s}"`).join(" or ")} in a ${env} stack`);
    if ((num(settings, "retentionDurationInDays") ?? 0) < 14)
      problems.push(`softDeleteSettings.retentionDurationInDays is ${shown(get(settings, "retentionDurationInDays"))}, must be at least 14`);
    return problems.map((message) => ({ urn: v.urn, message: `${label(v)}: ${message}` }));
  });
});

/** backup-immutability */
export const immutability = stackRule(
  [types.backupVault],
  (resources, config) => {
    const stack = stackEnvironment(resources);
    return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
      const problem = wormStateProblem(
        get(v.props, `${security}.immutabilitySettings.state`),
        environmentOf(v, stack),
        list(config.lockedEnvironments),
        stackPhase(resources),
      );
      return problem === undefined ? [] : [{ urn: v.urn, message: `${label(v)}: ${problem}` }];
    });
  },
  lockedEnvironmentsConfig,
);

/** backup-customer-managed-key */
export const customerManagedKey = stackRule([types.backupVault], (resources) => {
  // Before keys-ready the vault cannot have its key yet (backup-vault-key-through-own-identity).
  if (!atLeast(stackPhase(resources), "keys-ready")) return [];
  return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
    const settings = get(v.props, `${security}.encryptionSettings`);
    const problems: string[] = [];
    if (!same(get(settings, "state"), "Enabled")) problems.push(`encryptionSettings.state is ${shown(get(settings, "state"))}, must be "Enabled"`);
    if (text(settings, "keyVaultProperties.keyUri") === undefined) problems.push("encryptionSettings.keyVaultProperties.keyUri is unset");
    return problems.map((message) => ({ urn: v.urn, message: `${label(v)}: ${message}` }));
  });
});

/** backup-vault-key-through-own-identity */
export const keyThroughOwnIdentity = stackRule([types.backupVault], (resources) => {
  const phase = stackPhase(resources);
  return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
    const settings = get(v.props, `${security}.encryptionSettings`);
    if (settings === undefined) return [];
    const problems: string[] = [];
    if (!atLeast(phase, "keys-ready"))
      problems.push(
        `encryptionSettings are set in phase ${phase}: the vault's own identity exists only after the vault, so its key is set in phase keys-ready`,
      );
    if (!same(get(settings, "kekIdentity.identityType"), "SystemAssigned")) {
      problems.push(
        `encryptionSettings.kekIdentity.identityType is ${shown(get(settings, "kekIdentity.identityType"))}: with a Key Vault closed to public networks only the vault's system-assigned identity is supported`,
      );
    }
    if (get(settings, "infrastructureEncryption") !== undefined) {
      problems.push(
        "encryptionSettings.infrastructureEncryption is set: Azure accepts it only at vault creation, with a user-assigned identity, which a network-restricted Key Vault does not support",
      );
    }
    return problems.map((message) => ({ urn: v.urn, message: `${label(v)}: ${message}` }));
  });
});

/** backup-multi-user-authorization */
export const multiUserAuthorization = stackRule([types.backupVault], (resources) => {
  const proxies = ofTypes(resources, types.resourceGuardProxy);
  return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
    const name = text(v.props, "vaultName");
    const guarded = proxies.some(
      (p) =>
        (name === undefined ? p.dependencies.includes(v.urn) : same(p.props.vaultName, name)) &&
        text(p.props, "properties.resourceGuardResourceId") !== undefined,
    );
    return guarded ? [] : [{ urn: v.urn, message: `${label(v)} has no resource guard proxy (multi-user authorization)` }];
  });
});

/** blobs-backed-up */
export const blobsBackedUp = stackRule([types.storageAccount], (resources) => {
  const instances = ofTypes(resources, types.backupInstance);
  // Flow logs are evidence with their own retention, not register data (vnet-flow-logs).
  return ofTypes(resources, types.storageAccount)
    .filter((a) => !isFlowLogAccount(a, resources))
    .filter((a) => !instances.some((i) => idRefersTo(get(i.props, "properties.dataSourceInfo.resourceID"), a, i)))
    .map((a) => ({ urn: a.urn, message: `${label(a)} is not protected by a backup instance` }));
});

/** The strongest redundancy Azure offers a Backup vault in `location` (components/embassyBackup vaultRedundancy). */
function expectedVaultRedundancy(location: string | undefined): { storage: string; crossRegionRestore: string } | undefined {
  const region = location === undefined ? undefined : findRegion(location);
  if (region === undefined) return undefined;
  if (geoSecondary(region.name) !== undefined) return { storage: "GeoRedundant", crossRegionRestore: "Enabled" };
  return { storage: region.availabilityZones ? "ZoneRedundant" : "LocallyRedundant", crossRegionRestore: "Disabled" };
}

/** backup-geo-redundant */
export const geoRedundant = resourceRule([types.backupVault], (r) => {
  const problems: string[] = [];
  const location = text(r.props, "location");
  // A region without a pair has no geo-copy to choose: its strongest is zone redundancy, and what
  // must outlive the region is checked by backup-survives-region.
  const expected = expectedVaultRedundancy(location) ?? { storage: "GeoRedundant", crossRegionRestore: "Enabled" };
  const paired = expected.storage === "GeoRedundant";
  const settings = list(r.props, "properties.storageSettings");
  const kinds = settings.map((s) => get(s, "type"));
  if (kinds.length === 0 || !kinds.every((k) => same(k, "GeoRedundant") || (!paired && same(k, expected.storage)))) {
    problems.push(
      `properties.storageSettings types are ${shown(kinds)}, must all be "GeoRedundant"${paired ? "" : ` or, in ${location} (no geo-pair), "${expected.storage}"`}`,
    );
  }
  const restore = get(r.props, "properties.featureSettings.crossRegionRestoreSettings.state");
  if (paired && !same(restore, "Enabled")) problems.push(`properties.featureSettings.crossRegionRestoreSettings.state is ${shown(restore)}, must be "Enabled"`);
  return problems;
});

/** Vaults that hold a backup instance of `account`. */
function vaultsProtecting(resources: readonly ResourceView[], account: ResourceView): ResourceView[] {
  const vaults = ofTypes(resources, types.backupVault);
  return ofTypes(resources, types.backupInstance)
    .filter((i) => idRefersTo(get(i.props, "properties.dataSourceInfo.resourceID"), account, i))
    .flatMap((i) =>
      vaults.filter(
        (v) => i.dependencies.includes(v.urn) || (text(i.props, "vaultName") !== undefined && same(i.props.vaultName, text(v.props, "vaultName") ?? "\u0000")),
      ),
    );
}

/** backup-survives-region */
export const survivesRegion = stackRule([types.storageAccount], (resources) => {
  const accounts = ofTypes(resources, types.storageAccount);
  const policies = ofTypes(resources, types.objectReplicationPolicy);
  const isDestination = (a: ResourceView) => policies.some((p) => idRefersTo(p.props.destinationAccount, a, p));
  // In a region with a pair, backup-geo-redundant makes the vault's copy outlive the region; an
  // account without any backup is blobs-backed-up's finding. Each control, one concern.
  const inPairedRegion = (v: ResourceView) => {
    const location = text(v.props, "location");
    return location !== undefined && geoSecondary(location) !== undefined;
  };
  return accounts
    .filter((a) => !isDestination(a))
    .flatMap((a): Finding[] => {
      const region = text(a.props, "location");
      const own = vaultsProtecting(resources, a);
      if (own.length === 0 || own.some(inPairedRegion)) return [];
      // Otherwise: an object-replication copy in another region, backed up by a vault in that region.
      const replicas = policies
        .filter((p) => idRefersTo(p.props.sourceAccount, a, p))
        .flatMap((p) => accounts.filter((d) => d !== a && idRefersTo(p.props.destinationAccount, d, p)));
      const survives = replicas.some((d) => {
        const there = text(d.props, "location");
        return there !== undefined && !same(there, region ?? "") && vaultsProtecting(resources, d).some((v) => same(text(v.props, "location") ?? "", there));
      });
      return survives
        ? []
        : [
            {
              urn: a.urn,
              message: `${label(a)} in ${shown(region)} has no backup that outlives its region: its vault is in a region without a geo-pair, and no object replica of it in another region is backed up by a vault in that region`,
            },
          ];
    });
});
