import { idRefersTo, label, ofTypes } from "./arm";
import { Finding, ResourceView, resourceRule, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { durationDays, get, list, num, oneOf, same, shown, strings, text } from "./values";

/** Rules for the keys themselves: HSM protection, lifetime and one key per register. */

/** keys-hsm-backed */
export const hsmBacked = resourceRule([types.key, types.vault], (r) => {
  if (r.type === types.vault) {
    const sku = get(r.props, "properties.sku.name");
    return same(sku, "premium") ? [] : [`properties.sku.name is ${shown(sku)}, must be "premium" (HSM-backed keys)`];
  }
  const kty = get(r.props, "properties.kty");
  return oneOf(kty, ["RSA-HSM", "EC-HSM"]) ? [] : [`properties.kty is ${shown(kty)}, must be "RSA-HSM" or "EC-HSM"`];
});

/** keys-expiry */
export const expiry = resourceRule([types.key], (r) => {
  const expires = num(r.props, "properties.attributes.expires");
  return expires !== undefined && expires > 0 ? [] : [`properties.attributes.expires is ${shown(get(r.props, "properties.attributes.expires"))}, must be set`];
});

const lifetimeAction = (r: { props: unknown }, type: string) =>
  list(r.props, "properties.rotationPolicy.lifetimeActions").find((a) => same(get(a, "action.type"), type));

/** keys-rotation */
export const rotation = resourceRule(
  [types.key],
  (r, config) => {
    const maxDays = Number(config.maximumDaysToRotate);
    const problems: string[] = [];
    const expiryDays = durationDays(get(r.props, "properties.rotationPolicy.attributes.expiryTime"));
    if (expiryDays === undefined) problems.push("rotationPolicy.attributes.expiryTime is unset (an ISO 8601 duration such as P730D)");
    const rotateAfter = durationDays(get(lifetimeAction(r, "Rotate"), "trigger.timeAfterCreate"));
    if (rotateAfter === undefined) {
      problems.push("rotationPolicy has no Rotate action with trigger.timeAfterCreate");
    } else {
      if (rotateAfter > maxDays) problems.push(`the key rotates ${rotateAfter} days after creation, more than maximumDaysToRotate (${maxDays})`);
      if (expiryDays !== undefined && rotateAfter >= expiryDays) problems.push(`the key rotates after ${rotateAfter} days but expires after ${expiryDays}`);
    }
    if (durationDays(get(lifetimeAction(r, "Notify"), "trigger.timeBeforeExpiry")) === undefined) {
      problems.push("rotationPolicy has no Notify action with trigger.timeBeforeExpiry");
    }
    return problems;
  },
  {
    maximumDaysToRotate: {
      schema: { type: "integer", minimum: 1, description: "Most days after creation a key may go unrotated (Azure Policy d8cf8476's maximumDaysToRotate)." },
      default: 365,
    },
  },
);

/** True if `keyName` is the key of `register`: the register's name, alone or after a prefix ending in `-`. */
function isRegisterKey(keyName: string, register: string): boolean {
  return keyName === register || keyName.endsWith(`-${register}`);
}

/** Key name at the end of a key URI (`https://<vault>.vault.azure.net/keys/<name>[/<version>]`). */
function keyNameOfUri(uri: string): string {
  const parts = uri.toLowerCase().replace(/\/+$/, "").split("/keys/");
  return (parts[1] ?? uri.toLowerCase()).split("/")[0];
}

/** The vault (or Managed HSM) host of a key URI, lower-cased. */
function vaultOfUri(uri: string): string {
  return uri
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .split("/")[0];
}

/** key-per-register */
export const keyPerRegister = stackRule(
  [types.key, types.encryptionScope],
  (resources, config) => {
    const findings: Finding[] = [];
    const keys = ofTypes(resources, types.key);
    if (keys.length > 0) {
      const names = keys.map((k) => text(k.props, "keyName") ?? k.name);
      const anchor = ofTypes(resources, types.vault)[0] ?? keys[0];
      for (const register of strings(config.registers)) {
        if (!names.some((n) => isRegisterKey(n, register))) {
          findings.push({ urn: anchor.urn, message: `register "${register}" has no key of its own (expected a Key named "${register}")` });
        }
      }
    }
    // A key is its vault and its name: the replica site of an unpaired host has keys of the same
    // names in its own vault, one per register again.
    const byKey = new Map<string, string[]>();
    for (const scope of ofTypes(resources, types.encryptionScope)) {
      const uri = text(scope.props, "keyVaultProperties.keyUri");
      if (uri === undefined) continue;
      const id = `${vaultOfUri(uri)} ${keyNameOfUri(uri)}`;
      byKey.set(id, [...(byKey.get(id) ?? []), scope.urn]);
    }
    for (const [id, scopes] of byKey) {
      const key = id.split(" ").pop();
      if (scopes.length > 1) {
        for (const urn of scopes)
          findings.push({ urn, message: `key "${key}" is shared by ${scopes.length} encryption scopes: each register needs its own key` });
      }
    }
    return findings;
  },
  { registers: { schema: { type: "array", items: { type: "string" }, description: "Register names (the stack's `registers` config)." }, default: [] } },
);

/** keys-rsa-minimum-size */
export const rsaMinimumSize = resourceRule(
  [types.key],
  (r, config) => {
    const kty = get(r.props, "properties.kty");
    if (!oneOf(kty, ["RSA", "RSA-HSM"])) return [];
    const minimum = Number(config.minimumRsaKeySize);
    const size = num(r.props, "properties.keySize");
    // Azure creates a 2048-bit RSA key when no size is given.
    return size !== undefined && size >= minimum
      ? []
      : [`properties.keySize is ${size === undefined ? "unset (Azure's default is 2048)" : size}, must be at least ${minimum} for an ${String(kty)} key`];
  },
  {
    minimumRsaKeySize: {
      schema: { type: "integer", enum: [2048, 3072, 4096], description: "Smallest RSA key size in bits (Azure Policy 82067dbb's minimumRSAKeySize)." },
      default: 3072,
    },
  },
);

/** Key operations that let key material leave the HSM. */
const exportOperations = ["release", "export"];

/** keys-not-exportable */
export const notExportable = resourceRule([types.key], (r) => {
  const problems: string[] = [];
  const exportable = get(r.props, "properties.attributes.exportable");
  if (exportable === true) problems.push("properties.attributes.exportable is true: the private key could leave the HSM");
  const ops = strings(r.props, "properties.keyOps").filter((op) => oneOf(op, exportOperations));
  if (ops.length > 0) problems.push(`properties.keyOps include ${ops.join(", ")}: the key could be released from the HSM`);
  if (get(r.props, "properties.releasePolicy") !== undefined)
    problems.push("properties.releasePolicy is set: a key with a release policy can be exported to a trusted environment");
  return problems;
});

/** The key store (Key Vault or Managed HSM) of the plan that a key or vault URI points into. */
function storeOfUri(resources: readonly ResourceView[], uri: string): ResourceView | undefined {
  const name = vaultOfUri(uri).split(".")[0];
  return ofTypes(resources, types.vault, types.managedHsm).find((s) => same(text(s.props, s.type === types.vault ? "vaultName" : "name") ?? "", name));
}

/** replica-keys-in-own-region */
export const replicaKeysInOwnRegion = stackRule([types.storageAccount, types.encryptionScope], (resources) => {
  const policies = ofTypes(resources, types.objectReplicationPolicy);
  const replicas = ofTypes(resources, types.storageAccount).filter((a) => policies.some((p) => idRefersTo(p.props.destinationAccount, a, p)));
  const findings: Finding[] = [];
  for (const replica of replicas) {
    const region = text(replica.props, "location") ?? "";
    const name = text(replica.props, "accountName");
    const uses: { urn: string; what: string; uri: string }[] = [];
    const accountUri = text(replica.props, "encryption.keyVaultProperties.keyVaultUri");
    if (same(get(replica.props, "encryption.keySource"), "Microsoft.Keyvault") && accountUri !== undefined)
      uses.push({ urn: replica.urn, what: `${label(replica)}'s key`, uri: accountUri });
    for (const scope of ofTypes(resources, types.encryptionScope).filter((e) => name !== undefined && same(e.props.accountName, name))) {
      const uri = text(scope.props, "keyVaultProperties.keyUri");
      if (uri !== undefined)
        uses.push({ urn: scope.urn, what: `encryption scope ${text(scope.props, "encryptionScopeName") ?? scope.name} of ${label(replica)}`, uri });
    }
    for (const use of uses) {
      const store = storeOfUri(resources, use.uri);
      const where = store === undefined ? undefined : text(store.props, "location");
      if (where === undefined || !same(where, region))
        findings.push({
          urn: use.urn,
          message: `${use.what} is in ${store === undefined ? `a key store this stack does not build (${vaultOfUri(use.uri)})` : `${label(store)} in ${where}`}, not in ${region}, the replica's region: a copy kept for the loss of the source region must not need a key from another region`,
        });
    }
  }
  return findings;
});
