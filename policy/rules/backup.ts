import { idRefersTo, label, ofTypes } from "./arm";
import { environmentOf, isProduction, stackEnvironment } from "./environment";
import { Finding, resourceRule, stackRule } from "./rule";
import { lockedEnvironmentsConfig, wormStateProblem } from "./storage";
import { types } from "../../catalog/resourceTypes";
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
    if (!oneOf(get(settings, "state"), states)) problems.push(`softDeleteSettings.state is ${shown(get(settings, "state"))}, must be ${states.map((s) => `"${s}"`).join(" or ")} in a ${env} stack`);
    if ((num(settings, "retentionDurationInDays") ?? 0) < 14) problems.push(`softDeleteSettings.retentionDurationInDays is ${shown(get(settings, "retentionDurationInDays"))}, must be at least 14`);
    return problems.map((message) => ({ urn: v.urn, message: `${label(v)}: ${message}` }));
  });
});

/** backup-immutability */
export const immutability = stackRule(
  [types.backupVault],
  (resources, config) => {
    const stack = stackEnvironment(resources);
    return ofTypes(resources, types.backupVault).flatMap((v): Finding[] => {
      const problem = wormStateProblem(get(v.props, `${security}.immutabilitySettings.state`), environmentOf(v, stack), list(config.lockedEnvironments));
      return problem === undefined ? [] : [{ urn: v.urn, message: `${label(v)}: ${problem}` }];
    });
  },
  lockedEnvironmentsConfig,
);

/** backup-customer-managed-key */
export const customerManagedKey = resourceRule([types.backupVault], (r) => {
  const settings = get(r.props, `${security}.encryptionSettings`);
  const problems: string[] = [];
  if (!same(get(settings, "state"), "Enabled")) problems.push(`encryptionSettings.state is ${shown(get(settings, "state"))}, must be "Enabled"`);
  if (text(settings, "keyVaultProperties.keyUri") === undefined) problems.push("encryptionSettings.keyVaultProperties.keyUri is unset");
  if (get(settings, "kekIdentity") === undefined) problems.push("encryptionSettings.kekIdentity is unset");
  if (!same(get(settings, "infrastructureEncryption"), "Enabled")) {
    problems.push(`encryptionSettings.infrastructureEncryption is ${shown(get(settings, "infrastructureEncryption"))}, must be "Enabled"`);
  }
  return problems;
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
  return ofTypes(resources, types.storageAccount)
    .filter((a) => !instances.some((i) => idRefersTo(get(i.props, "properties.dataSourceInfo.resourceID"), a, i)))
    .map((a) => ({ urn: a.urn, message: `${label(a)} is not protected by a backup instance` }));
});

/** backup-geo-redundant */
export const geoRedundant = resourceRule([types.backupVault], (r) => {
  const problems: string[] = [];
  const settings = list(r.props, "properties.storageSettings");
  const kinds = settings.map((s) => get(s, "type"));
  if (kinds.length === 0 || !kinds.every((k) => same(k, "GeoRedundant"))) {
    problems.push(`properties.storageSettings types are ${shown(kinds)}, must all be "GeoRedundant"`);
  }
  const restore = get(r.props, "properties.featureSettings.crossRegionRestoreSettings.state");
  if (!same(restore, "Enabled")) problems.push(`properties.featureSettings.crossRegionRestoreSettings.state is ${shown(restore)}, must be "Enabled"`);
  return problems;
});
