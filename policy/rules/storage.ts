import { isFlowLogAccount } from "./auditTrail";
import { idRefersTo, inAccount, label, ofTypes } from "./arm";
import { environments } from "../../catalog/environments";
import { atLeast, Phase } from "../../catalog/phases";
import { environmentOf, stackEnvironment, stackPhase } from "./environment";
import { privateEndpointGroups } from "./network";
import { ConfigSpec, Finding, resourceRule, ResourceView, stackRule } from "./rule";
import { types } from "../../catalog/resourceTypes";
import { findRegion, geoSecondary } from "../../catalog/regions";
import { get, list, num, oneOf, same, shown, strings, text } from "./values";

/** Rules for storage accounts, the registers' home. */

const account = (check: (props: ResourceView["props"]) => string | undefined) =>
  resourceRule([types.storageAccount], (r) => {
    const problem = check(r.props);
    return problem === undefined ? [] : [problem];
  });

/** storage-https-only */
export const httpsOnly = account((p) =>
  p.enableHttpsTrafficOnly === true ? undefined : `enableHttpsTrafficOnly is ${shown(p.enableHttpsTrafficOnly)}, must be true`,
);

/** storage-tls-minimum */
export const tlsMinimum = account((p) =>
  oneOf(p.minimumTlsVersion, ["TLS1_2", "TLS1_3"]) ? undefined : `minimumTlsVersion is ${shown(p.minimumTlsVersion)}, must be "TLS1_2" or newer`,
);

/** storage-public-network-disabled */
export const publicNetworkDisabled = account((p) =>
  same(p.publicNetworkAccess, "Disabled") ? undefined : `publicNetworkAccess is ${shown(p.publicNetworkAccess)}, must be "Disabled"`,
);

/** storage-firewall-default-deny */
export const firewallDefaultDeny = account((p) => {
  const action = get(p, "networkRuleSet.defaultAction");
  return same(action, "Deny") ? undefined : `networkRuleSet.defaultAction is ${shown(action)}, must be "Deny"`;
});

/** storage-trusted-services-bypass */
export const trustedServicesBypass = account((p) => {
  const bypass = text(p, "networkRuleSet.bypass") ?? "";
  const entries = bypass.split(",").map((b) => b.trim());
  return oneOf("AzureServices", entries) ? undefined : `networkRuleSet.bypass is ${shown(get(p, "networkRuleSet.bypass"))}, must include "AzureServices"`;
});

/** storage-no-anonymous-access */
export const noAnonymousAccess = resourceRule([types.storageAccount, types.blobContainer], (r) => {
  if (r.type === types.blobContainer) {
    const access = r.props.publicAccess;
    return access === undefined || same(access, "None") ? [] : [`container publicAccess is ${shown(access)}, must be unset or "None"`];
  }
  return r.props.allowBlobPublicAccess === false ? [] : [`allowBlobPublicAccess is ${shown(r.props.allowBlobPublicAccess)}, must be false`];
});

/** storage-shared-key-disabled */
export const sharedKeyDisabled = resourceRule([types.storageAccount], (r) => {
  const problems: string[] = [];
  if (r.props.allowSharedKeyAccess !== false) problems.push(`allowSharedKeyAccess is ${shown(r.props.allowSharedKeyAccess)}, must be false`);
  if (r.props.defaultToOAuthAuthentication !== true) {
    problems.push(`defaultToOAuthAuthentication is ${shown(r.props.defaultToOAuthAuthentication)}, must be true`);
  }
  return problems;
});

/** storage-cross-tenant-replication-disabled */
export const crossTenantReplicationDisabled = account((p) =>
  p.allowCrossTenantReplication === false ? undefined : `allowCrossTenantReplication is ${shown(p.allowCrossTenantReplication)}, must be false`,
);

/** storage-customer-managed-key */
export const customerManagedKey = stackRule([types.storageAccount], (resources) =>
  ofTypes(resources, types.storageAccount)
    .filter((a) => !keysPending(resources) || !same(get(a.props, "encryption.keySource"), "Microsoft.Storage"))
    .flatMap((a) => accountKeyProblems(a.props).map((message) => ({ urn: a.urn, message: `${label(a)}: ${message}` }))),
);

/**
 * True while the stack's keys cannot exist yet: a Managed HSM's keys are made in its ceremony, so
 * before phase keys-ready its consumers start on Microsoft-managed keys (infrastructure encryption
 * still on) and switch in place afterwards (docs/phases.md).
 */
export function keysPending(resources: readonly ResourceView[]): boolean {
  return ofTypes(resources, types.managedHsm).length > 0 && !atLeast(stackPhase(resources), "keys-ready");
}

function accountKeyProblems(p: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (!same(get(p, "encryption.keySource"), "Microsoft.Keyvault")) {
    problems.push(`encryption.keySource is ${shown(get(p, "encryption.keySource"))}, must be "Microsoft.Keyvault"`);
  }
  if (text(p, "encryption.keyVaultProperties.keyName") === undefined || text(p, "encryption.keyVaultProperties.keyVaultUri") === undefined) {
    problems.push("encryption.keyVaultProperties must name the key (keyName) and its vault (keyVaultUri)");
  }
  if (text(p, "encryption.keyVaultProperties.keyVersion") !== undefined) {
    problems.push("encryption.keyVaultProperties.keyVersion is set: use a versionless key so rotation takes effect");
  }
  const identity = text(p, "encryption.encryptionIdentity.encryptionUserAssignedIdentity");
  if (identity === undefined) {
    problems.push("encryption.encryptionIdentity.encryptionUserAssignedIdentity is unset: use a user-assigned identity granted on the key first");
  } else if (!strings(p, "identity.userAssignedIdentities").some((id) => id.toLowerCase() === identity.toLowerCase())) {
    problems.push("the encryption identity is not one of identity.userAssignedIdentities");
  }
  return problems;
}

/** storage-infrastructure-encryption */
export const infrastructureEncryption = account((p) =>
  get(p, "encryption.requireInfrastructureEncryption") === true
    ? undefined
    : `encryption.requireInfrastructureEncryption is ${shown(get(p, "encryption.requireInfrastructureEncryption"))}, must be true`,
);

/** SKUs that keep a copy in the paired region. */
export const geoRedundantSkus = ["Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"];

/** True for a SKU that copies data to the geo-pair. */
export function isGeoRedundant(account: ResourceView): boolean {
  return oneOf(get(account.props, "sku.name"), geoRedundantSkus);
}

/** storage-private-endpoint */
export const privateEndpoint = stackRule([types.storageAccount], (resources) =>
  ofTypes(resources, types.storageAccount).flatMap((a): Finding[] => {
    const groups = privateEndpointGroups(a, resources);
    const needed = ["blob", ...(oneOf(get(a.props, "sku.name"), ["Standard_RAGRS", "Standard_RAGZRS"]) ? ["blob_secondary"] : [])];
    const missing = needed.filter((g) => !groups.has(g));
    return missing.length === 0 ? [] : [{ urn: a.urn, message: `${label(a)} has no private endpoint for ${missing.join(", ")}` }];
  }),
);

const replicatedBy = (a: ResourceView, policy: ResourceView): boolean =>
  ["sourceAccount", "destinationAccount"].some((key) => {
    const value = policy.props[key];
    return idRefersTo(value, a, policy) || same(value, text(a.props, "accountName") ?? "\u0000");
  });

/**
 * A flow-log account in a region without a geo-pair, where Azure offers no geo-redundant SKU: it
 * records that region's VNet traffic, which the region's loss ends anyway, and Network Watcher
 * rewrites its blobs every minute, so it cannot take part in object replication's version copies
 * either (vnet-flow-logs). The auditor guide lists it as not applicable.
 */
function unpairedFlowLogAccount(account: ResourceView, resources: readonly ResourceView[]): boolean {
  const region = findRegion(text(account.props, "location") ?? "");
  return region !== undefined && geoSecondary(region.name) === undefined && isFlowLogAccount(account, resources);
}

/** storage-geo-redundant */
export const geoRedundant = stackRule([types.storageAccount], (resources) => {
  const policies = ofTypes(resources, types.objectReplicationPolicy);
  return ofTypes(resources, types.storageAccount)
    .filter((a) => !isGeoRedundant(a) && !policies.some((p) => replicatedBy(a, p)) && !unpairedFlowLogAccount(a, resources))
    .map((a) => ({
      urn: a.urn,
      message: `${label(a)} has SKU ${shown(get(a.props, "sku.name"))} and no object replication policy: use ${geoRedundantSkus.join("/")} or replicate it to a second approved region`,
    }));
});

const blobLogCategories = ["StorageRead", "StorageWrite", "StorageDelete"];

function logsBlobOperations(setting: ResourceView): boolean {
  const enabled = list(setting.props, "logs").filter((l) => get(l, "enabled") === true);
  if (enabled.some((l) => oneOf(get(l, "categoryGroup"), ["allLogs", "audit"]))) return true;
  return blobLogCategories.every((c) => enabled.some((l) => same(get(l, "category"), c)));
}

/** blob-logging */
export const blobLogging = stackRule([types.storageAccount], (resources) => {
  const settings = ofTypes(resources, types.diagnosticSetting);
  return ofTypes(resources, types.storageAccount).flatMap((a): Finding[] => {
    const mine = settings.filter((s) => idRefersTo(s.props.resourceUri, a, s, "/blobServices/default"));
    if (mine.some((s) => text(s.props, "workspaceId") !== undefined && logsBlobOperations(s))) return [];
    const why =
      mine.length === 0
        ? "no diagnostic setting on its blob service"
        : `its blob diagnostic settings do not send ${blobLogCategories.join(", ")} to a workspace`;
    return [{ urn: a.urn, message: `${label(a)}: ${why}` }];
  });
});

/** Config of the WORM rules: the stack kinds in which immutability must be Locked. */
export const lockedEnvironmentsConfig: ConfigSpec = {
  lockedEnvironments: {
    schema: {
      type: "array",
      items: { type: "string", enum: [...environments] },
      description: "Stack kinds (environment tag) in which WORM immutability must be Locked once the stack is sealed.",
    },
    default: ["prod", "dr"],
  },
};

/**
 * Why a WORM state is not good enough for a stack kind in a lifecycle phase, or undefined. Before
 * the seal every policy is Unlocked (immutability-sealed-not-created-locked says why).
 */
export function wormStateProblem(state: unknown, env: string, locked: readonly unknown[], phase: Phase): string | undefined {
  if (locked.includes(env) && phase === "sealed") {
    return same(state, "Locked") ? undefined : `immutability state is ${shown(state)}, must be "Locked" in a ${env} stack`;
  }
  return oneOf(state, ["Unlocked", "Locked"]) ? undefined : `immutability state is ${shown(state)}, must be "Unlocked" or "Locked"`;
}

/** storage-worm */
export const worm = stackRule(
  [types.storageAccount],
  (resources, config) => {
    const stack = stackEnvironment(resources);
    const locked = list(config.lockedEnvironments);
    // Flow-log accounts hold Network Watcher's hourly blobs, which it rewrites every minute (vnet-flow-logs).
    return ofTypes(resources, types.storageAccount)
      .filter((a) => !isFlowLogAccount(a, resources))
      .flatMap((a): Finding[] => {
        const settings = get(a.props, "immutableStorageWithVersioning");
        if (get(settings, "enabled") !== true) {
          return [{ urn: a.urn, message: `${label(a)}: immutableStorageWithVersioning.enabled is ${shown(get(settings, "enabled"))}, must be true` }];
        }
        const problems: string[] = [];
        const stateProblem = wormStateProblem(get(settings, "immutabilityPolicy.state"), environmentOf(a, stack), locked, stackPhase(resources));
        if (stateProblem !== undefined) problems.push(stateProblem);
        if ((num(settings, "immutabilityPolicy.immutabilityPeriodSinceCreationInDays") ?? 0) < 1) {
          problems.push("immutabilityPolicy.immutabilityPeriodSinceCreationInDays must be at least 1");
        }
        return problems.map((message) => ({ urn: a.urn, message: `${label(a)}: ${message}` }));
      });
  },
  lockedEnvironmentsConfig,
);

/** Minimum soft-delete days per stack kind. */
const minimumSoftDeleteDays = (env: string) => (env === "dev" ? 7 : 30);

const softDelete = (policyPath: "deleteRetentionPolicy" | "containerDeleteRetentionPolicy") =>
  stackRule([types.blobServiceProperties], (resources) => {
    const stack = stackEnvironment(resources);
    const accounts = ofTypes(resources, types.storageAccount);
    return ofTypes(resources, types.blobServiceProperties).flatMap((service): Finding[] => {
      const owner = accounts.find((a) => inAccount(service, a));
      const env = owner === undefined ? stack : environmentOf(owner, stack);
      const policy = get(service.props, policyPath);
      const days = num(policy, "days");
      const minimum = minimumSoftDeleteDays(env);
      const findings: Finding[] = [];
      if (get(policy, "enabled") !== true || days === undefined || days < minimum) {
        findings.push({ urn: service.urn, message: `${policyPath} is ${shown(policy)}: must be enabled with days ≥ ${minimum} in a ${env} stack` });
      }
      // Permanent delete lets a caller erase soft-deleted blobs and versions before retention ends.
      if (get(policy, "allowPermanentDelete") === true) {
        findings.push({ urn: service.urn, message: `${policyPath}.allowPermanentDelete is true: soft-deleted data could be purged before it expires` });
      }
      return findings;
    });
  });

/** blob-soft-delete */
export const blobSoftDelete = softDelete("deleteRetentionPolicy");

/** container-soft-delete */
export const containerSoftDelete = softDelete("containerDeleteRetentionPolicy");

/** blob-versioning */
export const blobVersioning = resourceRule([types.blobServiceProperties], (r) =>
  r.props.isVersioningEnabled === true ? [] : [`isVersioningEnabled is ${shown(r.props.isVersioningEnabled)}, must be true`],
);

/** encryption-scope-customer-managed-key */
export const scopeCustomerManagedKey = stackRule([types.encryptionScope], (resources) =>
  ofTypes(resources, types.encryptionScope)
    .filter((s) => !keysPending(resources) || !same(s.props.source, "Microsoft.Storage"))
    .flatMap((s) => {
      const problems: string[] = [];
      if (!same(s.props.source, "Microsoft.KeyVault")) problems.push(`source is ${shown(s.props.source)}, must be "Microsoft.KeyVault"`);
      if (text(s.props, "keyVaultProperties.keyUri") === undefined) problems.push("keyVaultProperties.keyUri is unset");
      return problems.map((message) => ({ urn: s.urn, message: `${label(s)}: ${message}` }));
    }),
);

/** encryption-scope-double-encryption */
export const scopeDoubleEncryption = resourceRule([types.encryptionScope], (r) =>
  r.props.requireInfrastructureEncryption === true
    ? []
    : [`requireInfrastructureEncryption is ${shown(r.props.requireInfrastructureEncryption)}, must be true`],
);

/** storage-copy-scope-private-link */
export const copyScopePrivateLink = account((p) =>
  same(p.allowedCopyScope, "PrivateLink") ? undefined : `allowedCopyScope is ${shown(p.allowedCopyScope)}, must be "PrivateLink"`,
);

/** Policy config that carries the stack's register names. */
export const registersConfig: ConfigSpec = {
  registers: { schema: { type: "array", items: { type: "string" }, description: "Register names (the stack's `registers` config)." }, default: [] },
};

/** Policy config that carries each register's retention. */
export const registerRetentionConfig: ConfigSpec = {
  registerRetentionDays: {
    schema: {
      type: "object",
      additionalProperties: { type: "integer", minimum: 1 },
      description: "Retention (immutability period) in days per register name (the stack's `registers[].retentionDays`).",
    },
    default: {},
  },
};

/** The registers' accounts: every storage account that is not an object-replication destination (a replica). */
function embassyAccounts(resources: readonly ResourceView[]): ResourceView[] {
  const policies = ofTypes(resources, types.objectReplicationPolicy);
  return ofTypes(resources, types.storageAccount).filter(
    (a) => !policies.some((p) => idRefersTo(p.props.destinationAccount, a, p) || same(p.props.destinationAccount, text(a.props, "accountName") ?? "\u0000")),
  );
}

/** A register's container: in one of the registers' accounts, named after a register or tagged with one. */
interface RegisterContainer {
  readonly register: string;
  readonly container: ResourceView;
  readonly account: ResourceView;
}

/** Register names: the `registers` config, plus the keys of `registerRetentionDays`. */
function registerNames(config: Readonly<Record<string, unknown>>): string[] {
  const retention = config.registerRetentionDays;
  const fromRetention = retention !== null && typeof retention === "object" && !Array.isArray(retention) ? Object.keys(retention) : [];
  return [...new Set([...strings(config.registers), ...fromRetention])];
}

function registerContainers(resources: readonly ResourceView[], names: readonly string[]): RegisterContainer[] {
  const accounts = embassyAccounts(resources);
  return ofTypes(resources, types.blobContainer).flatMap((container): RegisterContainer[] => {
    const account = accounts.find((a) => inAccount(container, a));
    const register = text(container.props, "metadata.register") ?? text(container.props, "containerName");
    const isRegister = text(container.props, "metadata.register") !== undefined || names.includes(register ?? "");
    return account !== undefined && register !== undefined && isRegister ? [{ register, container, account }] : [];
  });
}

/** Findings for registers that have no container in a registers' account at all. */
function missingContainers(resources: readonly ResourceView[], names: readonly string[], found: readonly RegisterContainer[]): Finding[] {
  const anchor = embassyAccounts(resources)[0];
  if (anchor === undefined) return [];
  return names
    .filter((n) => !found.some((c) => c.register === n))
    .map((n) => ({ urn: anchor.urn, message: `register "${n}" has no container in ${label(anchor)}` }));
}

/** Immutability policies of a container (BlobContainerImmutabilityPolicy resources). */
function containerPolicies(resources: readonly ResourceView[], c: RegisterContainer): ResourceView[] {
  const name = text(c.container.props, "containerName");
  return ofTypes(resources, types.blobContainerImmutabilityPolicy).filter((p) =>
    name === undefined || text(p.props, "containerName") === undefined
      ? p.dependencies.includes(c.container.urn)
      : inAccount(p, c.account) && same(p.props.containerName, name),
  );
}

/** register-container-worm */
export const registerContainerWorm = stackRule(
  [types.blobContainer],
  (resources, config) => {
    const names = registerNames(config);
    const retention = (config.registerRetentionDays ?? {}) as Readonly<Record<string, unknown>>;
    const found = registerContainers(resources, names);
    const findings = missingContainers(resources, names, found);
    for (const c of found) {
      const where = `container ${c.register} of ${label(c.account)}`;
      const worm = get(c.container.props, "immutableStorageWithVersioning.enabled");
      if (worm !== true) findings.push({ urn: c.container.urn, message: `${where}: immutableStorageWithVersioning.enabled is ${shown(worm)}, must be true` });
      const required = typeof retention[c.register] === "number" ? (retention[c.register] as number) : 1;
      const policies = containerPolicies(resources, c);
      const why = typeof retention[c.register] === "number" ? `the register's retention (${required} days)` : "1 day";
      if (policies.length > 0) {
        for (const p of policies) {
          const days = num(p.props, "immutabilityPeriodSinceCreationInDays");
          if (days === undefined || days < required) {
            findings.push({ urn: p.urn, message: `${where}: the container's immutability policy keeps blobs ${shown(days)} day(s), less than ${why}` });
          }
        }
      } else {
        const days = num(c.account.props, "immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays");
        if (days === undefined || days < required) {
          findings.push({
            urn: c.container.urn,
            message: `${where} has no immutability policy of its own, and the account's keeps blobs ${shown(days)} day(s), less than ${why}`,
          });
        }
      }
    }
    return findings;
  },
  { ...registersConfig, ...registerRetentionConfig },
);

/** container-encryption-scope-enforced */
export const containerEncryptionScope = stackRule(
  [types.blobContainer],
  (resources, config) => {
    const registers = registerContainers(resources, registerNames(config));
    return ofTypes(resources, types.blobContainer).flatMap((container): Finding[] => {
      const scope = text(container.props, "defaultEncryptionScope");
      const register = registers.find((c) => c.container.urn === container.urn);
      if (scope === undefined) {
        return register === undefined
          ? []
          : [{ urn: container.urn, message: `register container ${register.register} has no defaultEncryptionScope: its register's key would not be used` }];
      }
      return container.props.denyEncryptionScopeOverride === true
        ? []
        : [
            {
              urn: container.urn,
              message: `container ${text(container.props, "containerName") ?? container.name} has defaultEncryptionScope ${scope} but denyEncryptionScopeOverride is ${shown(container.props.denyEncryptionScopeOverride)}, must be true`,
            },
          ];
    });
  },
  registersConfig,
);
