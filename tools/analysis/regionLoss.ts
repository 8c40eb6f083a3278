import { builtInRoles } from "../../catalog/roles";
import { findRegion, geoSecondary } from "../../catalog/regions";
import { types } from "../../catalog/resourceTypes";
import { armTypes } from "../engine/armIds";
import type { Capture, CapturedResource } from "../engine/capture";
import { regionsTouched } from "../reports/regions";

/**
 * "Lose a region, offline" (issue 16 item 7): takes away every resource a plan places in one
 * region and proves, register by register, that the register can still be had back — or says why
 * not. Pure over the capture (types, inputs, dependencies); no Azure, no Pulumi.
 *
 * A register survives the loss of region L when one of its copies passes all four checks:
 * - (a) **copy**: the copy is outside L. Copies are the register's container in the account that
 *   holds it (the original) and in every object-replication destination (transitively), each
 *   account's geo-secondary (its region's pair, catalog/regions.ts, for a GRS/GZRS SKU), and the
 *   backup vault's copy of the container: in the vault's region, and in the vault's pair when the
 *   vault is GeoRedundant with cross-region restore enabled;
 * - (b) **key**: every customer-managed key the copy is encrypted with (the account's key and the
 *   container's encryption scope's key; the backup vault's key) survives outside L, and so does
 *   the user-assigned identity that unwraps it — or another identity of the plan, allowed the same
 *   keys, that the DR runbook puts in its place (KeyCustody.standbyIdentity);
 * - (c) **path**: a private route to read or restore the copy exists outside L: a private
 *   endpoint located (with its VNet) outside L — `blob` on the copy's account, `blob_secondary`
 *   on an RA-* account for its read-access secondary; for a backup copy, a storage account of the
 *   plan in the copy's region (where a restore must land; not a flow-log account) reachable by
 *   such a `blob` endpoint;
 * - (d) **role**: a principal of a named duty (operators, auditors, key custodians, ingest
 *   principals, recovery readers) holds — actively or PIM-eligible, which the verdict says — at a
 *   scope covering the target, the actions the route needs: restore or
 *   cross-region restore on the backup vault, blob read on a copy read in place, failover and blob
 *   read for a geo-secondary reached by failing over. The original in place needs none.
 *
 * The Azure behaviour each check relies on is cited where it is coded. Where Microsoft leaves a
 * question open the check takes the reading under which the embassy is safe either way, and says so.
 */

/** The four checks, in the order the report shows them. */
export const lossChecks = ["copy", "key", "path", "role"] as const;
/** One of {@link lossChecks}. */
export type LossCheck = (typeof lossChecks)[number];
/** The letter the report gives a check: (a)–(d). */
export const checkLetter: Record<LossCheck, string> = { copy: "a", key: "b", path: "c", role: "d" };

/** One check of one copy: passed, or failed with the reason. */
export interface CheckResult {
  readonly check: LossCheck;
  readonly ok: boolean;
  readonly reason: string;
}

/** Kinds of copy a register has. */
export type CopyKind = "original" | "object replica" | "geo-secondary" | "backup" | "backup cross-region restore";

/** One copy of one register and what the loss leaves of it. */
export interface CopyVerdict {
  readonly kind: CopyKind;
  /** Where the copy is. */
  readonly region: string;
  /** "geo-secondary of steeembprod in germanynorth". */
  readonly label: string;
  /** Checks (a)–(d); (c) and (d) of the route that got furthest. */
  readonly checks: readonly CheckResult[];
  readonly usable: boolean;
}

/** What the loss leaves of one register. */
export interface RegisterVerdict {
  readonly register: string;
  readonly survives: boolean;
  /** Label of the first usable copy, when it survives. */
  readonly via?: string;
  readonly copies: readonly CopyVerdict[];
}

/** The loss of one region. */
export interface LossVerdict {
  readonly region: string;
  /** Custom resources the plan places in the region (taken away). */
  readonly removed: number;
  readonly registers: readonly RegisterVerdict[];
  /** Every register survives. */
  readonly survives: boolean;
  /** Caveats that do not decide a verdict (e.g. a resource group whose metadata lives in the region). */
  readonly notes: readonly string[];
}

/** Who holds which duty: Entra object ids per duty, as the settings name them. */
export type Duties = Readonly<Record<string, readonly string[]>>;

/** What the analysis needs besides the capture. */
export interface LossInput {
  readonly capture: Capture;
  /** Register names (settings order); by default the containers whose metadata names a register. */
  readonly registers?: readonly string[];
  /** Duties and their principals (settings: operators, auditors, keyCustodians, dataIngestPrincipals). */
  readonly duties?: Duties;
}

/** The settings keys that name a duty, and how the report calls it. */
export const dutyKeys = {
  operators: "operator",
  auditors: "auditor",
  keyCustodians: "key custodian",
  dataIngestPrincipals: "ingest principal",
  recoveryReaders: "recovery reader",
} as const;

// Actions a route needs. Names as Microsoft's built-in roles list them ("Azure built-in roles for
// Storage", MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/storage.md:
// Backup Operator / Storage Blob Data Reader / Storage Account Contributor).
const blobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const accountFailover = "Microsoft.Storage/storageAccounts/failover/action";
const restore = "Microsoft.DataProtection/backupVaults/backupInstances/restore/action";
const crossRegionRestore = "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/crossRegionRestore/action";
const fetchSecondaryRecoveryPoints = "Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations/fetchSecondaryRecoveryPoints/action";

/**
 * Built-in roles (catalog/roles.ts) that grant any of the actions above, with the relevant part of
 * their definition (Microsoft Learn, "Azure built-in roles for Storage": Storage Blob Data
 * Contributor `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*` data actions).
 * Every other built-in role the embassy assigns (Reader `*∕read`, Key Vault Reader, Log Analytics
 * Reader, the Key Vault crypto roles, Storage Account Backup Contributor) grants none of them.
 */
const builtInGrants: Readonly<Record<string, { roleName: string; actions: readonly string[]; dataActions: readonly string[] }>> = {
  [builtInRoles.storageBlobDataContributor]: {
    roleName: "Storage Blob Data Contributor",
    actions: [],
    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
  },
  // Storage Blob Data Reader: data action `…/containers/blobs/read` (same page).
  [builtInRoles.storageBlobDataReader]: { roleName: "Storage Blob Data Reader", actions: [], dataActions: [blobRead] },
};

type Str = string | undefined;
const str = (v: unknown): Str => (typeof v === "string" && !v.startsWith("[") ? v : undefined);
const lower = (v: Str) => v?.toLowerCase();
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const lastSegment = (id: Str) => id?.split("/").filter(Boolean).pop();

/** `/providers/<ns>/<type>/<name>` of an ARM id (the resource itself, not a child). */
function armTarget(id: Str): { type: string; name: string; rg?: string } | undefined {
  const m = /\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)/i.exec(id ?? "");
  return m === null ? undefined : { rg: m[1], type: m[2].toLowerCase(), name: m[3] };
}

/** Region names as the catalog spells them; `global` for Azure's pseudo-location. */
function normalRegion(location: Str): Str {
  if (location === undefined) return undefined;
  if (location.toLowerCase() === "global") return "global";
  return findRegion(location)?.name ?? location.toLowerCase();
}

/** Authorization resources: they live in Azure's global control plane, not in a region. */
const noDataRegion = [types.roleAssignment, types.roleEligibility, types.roleDefinition, types.policyAssignment] as const;

/** The resources the analysis looks up, by the names ARM ids and inputs use. */
class PlanIndex {
  readonly byName = new Map<string, Map<string, CapturedResource>>();
  readonly subscription: string;
  private readonly placed = new Map<string, string>();

  constructor(readonly capture: Capture) {
    for (const r of capture.resources) {
      // The input that carries the Azure name: the engine's table of ARM shapes knows it per type.
      const input = armTypes[r.type]?.nameInput;
      const name = input === undefined ? undefined : str(r.inputs[input]);
      if (name === undefined) continue;
      const byType = this.byName.get(r.type) ?? new Map<string, CapturedResource>();
      byType.set(name.toLowerCase(), r);
      this.byName.set(r.type, byType);
    }
    const anyId = JSON.stringify(capture.resources.map((r) => r.inputs));
    this.subscription = /\/subscriptions\/([0-9a-f-]{36})/i.exec(anyId)?.[1] ?? "00000000-0000-0000-0000-000000000000";
  }

  get(type: string, name: Str): CapturedResource | undefined {
    return name === undefined ? undefined : this.byName.get(type)?.get(name.toLowerCase());
  }

  private readonly typed = new Map<string, CapturedResource[]>();

  /** The resources of one type (computed once: the analysis asks per register). */
  ofType(type: string): CapturedResource[] {
    let found = this.typed.get(type);
    if (found === undefined) {
      found = this.capture.resources.filter((r) => r.type === type);
      this.typed.set(type, found);
    }
    return found;
  }

  /** The ARM id of a resource of the plan, from its type and name inputs. */
  accountId(account: CapturedResource): string {
    return `/subscriptions/${this.subscription}/resourceGroups/${str(account.inputs.resourceGroupName)}/providers/Microsoft.Storage/storageAccounts/${str(account.inputs.accountName)}`;
  }

  /** The plan's resource an ARM id names (only the kinds a region can be read from). */
  byArmId(id: Str): CapturedResource | undefined {
    const t = armTarget(id);
    if (t === undefined)
      return lower(id)?.match(/^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)$/) ? this.get(types.resourceGroup, lastSegment(id)) : undefined;
    const typeOf: Record<string, string> = {
      "microsoft.storage/storageaccounts": types.storageAccount,
      "microsoft.keyvault/vaults": types.vault,
      "microsoft.keyvault/managedhsms": types.managedHsm,
      "microsoft.dataprotection/backupvaults": types.backupVault,
      "microsoft.dataprotection/resourceguards": types.resourceGuard,
      "microsoft.managedidentity/userassignedidentities": types.userAssignedIdentity,
      "microsoft.network/virtualnetworks": types.virtualNetwork,
      "microsoft.network/networksecuritygroups": types.networkSecurityGroup,
      "microsoft.network/privateendpoints": types.privateEndpoint,
      "microsoft.operationalinsights/workspaces": types.workspace,
    };
    const type = typeOf[t.type];
    return type === undefined ? undefined : this.get(type, t.name);
  }

  /**
   * Where a resource lives: its `location`, else the region of the resource it belongs to (a
   * container, scope or policy lives with its account, a key with its vault, a subnet with its
   * VNet, a backup instance with its vault, a lock or diagnostic setting with its target). Role
   * assignments and definitions, policy assignments, subscription-level settings, DNS zones and
   * the engine's own helpers (random names, waits) are `global`: they have no data region.
   */
  regionOf(r: CapturedResource): string {
    const known = this.placed.get(r.urn);
    if (known !== undefined) return known;
    this.placed.set(r.urn, "global"); // cycle guard
    const region = this.computeRegion(r);
    this.placed.set(r.urn, region);
    return region;
  }

  private computeRegion(r: CapturedResource): string {
    const location = normalRegion(str(r.inputs.location));
    if (location !== undefined) return location;
    const via = (type: string, input: string) => {
      const parent = this.get(type, str(r.inputs[input]));
      return parent === undefined ? undefined : this.regionOf(parent);
    };
    const ns = r.type.split(":")[1];
    const parent =
      (ns === "storage" ? via(types.storageAccount, "accountName") : undefined) ??
      (ns === "keyvault" ? (via(types.vault, "vaultName") ?? via(types.managedHsm, "name")) : undefined) ??
      (ns === "dataprotection" ? via(types.backupVault, "vaultName") : undefined) ??
      (ns === "network"
        ? (via(types.virtualNetwork, "virtualNetworkName") ??
          via(types.networkSecurityGroup, "networkSecurityGroupName") ??
          via(types.privateEndpoint, "privateEndpointName"))
        : undefined) ??
      (ns === "operationalinsights" ? via(types.workspace, "workspaceName") : undefined) ??
      (ns === "eventgrid" ? via(types.systemTopic, "systemTopicName") : undefined);
    if (parent !== undefined) return parent;
    if ((noDataRegion as readonly string[]).includes(r.type)) return "global";
    // Extension resources (locks, diagnostic settings) go with what they are attached to.
    const target = this.byArmId(str(r.inputs.scope) ?? str(r.inputs.resourceUri));
    if (target !== undefined && target.type !== types.resourceGroup) return this.regionOf(target);
    return "global";
  }
}

/** A private endpoint as the path check needs it. */
interface Endpoint {
  readonly resource: CapturedResource;
  readonly region: string;
  readonly vnetRegion: string;
  readonly targetAccount: string | undefined;
  readonly groupIds: readonly string[];
}

function endpoints(index: PlanIndex): Endpoint[] {
  return index.ofType(types.privateEndpoint).map((pe) => {
    const connections = [...list(pe.inputs.privateLinkServiceConnections), ...list(pe.inputs.manualPrivateLinkServiceConnections)].map(obj);
    const target = armTarget(str(connections[0]?.privateLinkServiceId));
    const vnetName = /\/virtualNetworks\/([^/]+)/i.exec(str(obj(pe.inputs.subnet).id) ?? "")?.[1];
    const vnet = index.get(types.virtualNetwork, vnetName);
    const region = index.regionOf(pe);
    return {
      resource: pe,
      region,
      // The endpoint "must be deployed in the same region … as the virtual network" (Microsoft
      // Learn, private-endpoint-overview); a VNet the plan does not hold is taken to be there too.
      vnetRegion: vnet === undefined ? region : index.regionOf(vnet),
      targetAccount: target?.type === "microsoft.storage/storageaccounts" ? target.name.toLowerCase() : undefined,
      groupIds: connections.flatMap((c) => list(c.groupIds).filter((g): g is string => typeof g === "string")),
    };
  });
}

/** A wildcard action pattern of a role definition matches `action`. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

/** `scope` covers `target` (same id, or a parent of it on a segment boundary). */
function covers(scope: Str, target: string): boolean {
  const s = lower(scope)?.replace(/\/$/, "");
  const t = target.toLowerCase();
  return s !== undefined && (t === s || t.startsWith(`${s}/`));
}

/** The roles each principal holds: granted actions and data actions with the scope of each. */
interface Grant {
  readonly principal: string;
  readonly roleName: string;
  readonly scope: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
}

function grants(index: PlanIndex): Grant[] {
  const custom = new Map(
    index.ofType(types.roleDefinition).map((d) => {
      const permissions = list(d.inputs.permissions).map(obj);
      const strings = (key: string) => permissions.flatMap((p) => list(p[key]).filter((a): a is string => typeof a === "string"));
      const role = {
        roleName: str(d.inputs.roleName) ?? d.name,
        actions: strings("actions"),
        notActions: strings("notActions"),
        dataActions: strings("dataActions"),
      };
      return [lower(str(d.inputs.roleDefinitionId) ?? lastSegment(str(d.inputs.id))) ?? d.urn, role] as const;
    }),
  );
  // A PIM eligibility is a grant its holder activates when needed (Entra PIM, "Assign Azure resource
  // roles": eligible members "need to perform an action to use the role"): it counts, and says so.
  return [...index.ofType(types.roleAssignment), ...index.ofType(types.roleEligibility)].flatMap((a): Grant[] => {
    const principal = str(a.inputs.principalId);
    const roleId = lower(lastSegment(str(a.inputs.roleDefinitionId)));
    const scope = str(a.inputs.scope);
    if (principal === undefined || roleId === undefined || scope === undefined) return [];
    const role = custom.get(roleId) ?? (builtInGrants[roleId] === undefined ? undefined : { notActions: [], ...builtInGrants[roleId] });
    if (role === undefined) return [];
    const roleName = a.type === types.roleEligibility ? `${role.roleName}, eligible through PIM: activate first` : role.roleName;
    return [{ principal: principal.toLowerCase(), scope, ...role, roleName }];
  });
}

/** The duty (and role) that may do every one of `needs` on `target`, or undefined. */
function dutyHolding(
  allGrants: readonly Grant[],
  duties: Duties | undefined,
  needs: readonly { action: string; data: boolean }[],
  target: string,
): string | undefined {
  const holders = new Map<string, string>();
  if (duties === undefined) {
    for (const g of allGrants) holders.set(g.principal, `principal ${g.principal}`);
  } else {
    for (const [key, principals] of Object.entries(duties)) {
      for (const p of principals) holders.set(p.toLowerCase(), dutyKeys[key as keyof typeof dutyKeys] ?? key);
    }
  }
  for (const [principal, duty] of holders) {
    const mine = allGrants.filter((g) => g.principal === principal && covers(g.scope, target));
    const allowed = (need: { action: string; data: boolean }) =>
      mine.find((g) =>
        need.data
          ? g.dataActions.some((p) => matches(p, need.action))
          : g.actions.some((p) => matches(p, need.action)) && !g.notActions.some((p) => matches(p, need.action)),
      );
    const found = needs.map(allowed);
    if (found.every((g) => g !== undefined)) return `${duty} (${[...new Set(found.map((g) => (g as Grant).roleName))].join(", ")})`;
  }
  return undefined;
}

/** The register names: given, or those the plan's containers carry in their `register` metadata. */
function registerNames(input: LossInput): string[] {
  if (input.registers !== undefined) return [...input.registers];
  const names = input.capture.resources.filter((r) => r.type === types.blobContainer).map((c) => str(obj(c.inputs.metadata).register));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** The customer-managed keys a storage copy is encrypted with, and the identity that unwraps them. */
interface KeyUse {
  /** "the account key cmk-storage", "the encryption scope key cmk-reg-land", "the backup vault key". */
  readonly what: string;
  /** Key URI or vault URI; undefined for platform-managed keys. */
  readonly uri?: string;
  /** The key's name, where `uri` names only its vault. */
  readonly keyName?: string;
  /** User-assigned identity resource id, if one is used. */
  readonly identity?: string;
}

function accountKeys(index: PlanIndex, account: CapturedResource, container: CapturedResource | undefined): KeyUse[] {
  const encryption = obj(account.inputs.encryption);
  const identity = str(obj(encryption.encryptionIdentity).encryptionUserAssignedIdentity);
  const uses: KeyUse[] = [];
  if (lower(str(encryption.keySource)) === "microsoft.keyvault") {
    const kv = obj(encryption.keyVaultProperties);
    uses.push({ what: `the account key ${str(kv.keyName) ?? ""}`.trim(), uri: str(kv.keyVaultUri), keyName: str(kv.keyName), identity });
  }
  const scopeName = str(container?.inputs.defaultEncryptionScope);
  if (scopeName !== undefined) {
    const scope = index
      .ofType(types.encryptionScope)
      .find(
        (s) =>
          lower(str(s.inputs.accountName)) === lower(str(account.inputs.accountName)) && lower(str(s.inputs.encryptionScopeName)) === scopeName.toLowerCase(),
      );
    const keyUri = str(obj(scope?.inputs.keyVaultProperties).keyUri);
    if (scope === undefined) uses.push({ what: `the encryption scope ${scopeName}`, uri: "(not in the plan)" });
    else if (lower(str(scope.inputs.source)) === "microsoft.keyvault")
      uses.push({ what: `the encryption scope key ${lastSegment(keyUri) ?? scopeName}`, uri: keyUri, keyName: lastSegment(keyUri), identity });
  }
  return uses;
}

function backupVaultKeys(vault: CapturedResource): KeyUse[] {
  const settings = obj(obj(obj(vault.inputs.properties).securitySettings).encryptionSettings);
  if (lower(str(settings.state)) !== "enabled") return [];
  const kek = obj(settings.kekIdentity);
  return [
    {
      what: "the backup vault key",
      uri: str(obj(settings.keyVaultProperties).keyUri),
      identity: lower(str(kek.identityType)) === "userassigned" ? str(kek.identityId) : undefined,
    },
  ];
}

/**
 * (b) for one key: where its vault or HSM is, and whether that survives L.
 *
 * Key Vault: "For most Azure regions that are paired with another region, the contents of your key
 * vault are replicated both within the region and to the paired region … For non-paired Azure
 * regions … Azure Key Vault uses zone redundant storage (ZRS) to replicate your data three times
 * within the region" (learn.microsoft.com/azure/key-vault/general/disaster-recovery-guidance); in
 * a failover the vault is read-only and still wraps and unwraps. So a vault of a paired region
 * survives its region's loss — through a Microsoft-managed failover Microsoft decides on ("best
 * effort … initiation can take hours", azure.github.io/multi-region-platform/key-vault-across-regions.html),
 * which the verdict says — and a vault of an unpaired region does not (audit F8). A Managed HSM
 * pool lives in its region unless multi-region replication adds one (`properties.regions`,
 * learn.microsoft.com/azure/key-vault/managed-hsm/multi-region-replication). A Backup vault loses
 * its data when its key is lost ("If the key or Key Vault that you're using is deleted or access is
 * revoked and can't be restored, you'll lose access to the data stored in the Backup vault",
 * learn.microsoft.com/azure/backup/encryption-at-rest-with-cmk-for-backup-vault).
 *
 * The identity: a user-assigned identity is a regional resource, and Microsoft recommends one per
 * region so that "a global identity" is not "a single point of failure during regional failover"
 * (learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-isolation-scope).
 * Whether a copy can unwrap its key through an identity whose region is down is not documented:
 * the check requires the identity outside L, which is safe either way. A system-assigned identity
 * has no region of its own (it is part of the resource) and is not checked separately.
 */
function keySurvives(index: PlanIndex, use: KeyUse, lost: string): CheckResult {
  const fail = (reason: string): CheckResult => ({ check: "key", ok: false, reason });
  if (use.uri === "(not in the plan)") return fail(`${use.what} is not in the plan: no key can be proven`);
  const host = /^https:\/\/([^./]+)\.(vault|managedhsm)\.azure\.net/i.exec(use.uri ?? "");
  if (host === null) return fail(`${use.what} names no Key Vault or Managed HSM the plan can place (${use.uri ?? "no URI"})`);
  const [, name, kind] = host;
  const holder = kind.toLowerCase() === "vault" ? index.get(types.vault, name) : index.get(types.managedHsm, name);
  if (holder === undefined) return fail(`${use.what} is in ${name}, which is not in the plan: its region cannot be proven`);
  const region = index.regionOf(holder);
  if (region !== lost) return { check: "key", ok: true, reason: `${use.what} is in ${name} (${region})` };
  if (kind.toLowerCase() === "managedhsm") {
    const extra = list(obj(holder.inputs.properties).regions)
      .map((r) => normalRegion(str(obj(r).name)))
      .find((r) => r !== undefined && r !== lost);
    return extra !== undefined
      ? { check: "key", ok: true, reason: `${use.what} is in Managed HSM ${name}, replicated to ${extra}` }
      : fail(`${use.what} is only in Managed HSM ${name} in ${lost} (no multi-region replication)`);
  }
  const pair = geoSecondary(region);
  return pair !== undefined
    ? {
        check: "key",
        ok: true,
        reason: `${use.what} is in ${name} (${lost}), which Key Vault replicates to its pair ${pair.name} (read-only after a Microsoft-managed failover, which Microsoft decides on)`,
      }
    : fail(`${use.what} lives only in ${name} in ${lost}, which has no pair: Key Vault keeps it in that region alone (audit F8)`);
}

/**
 * True if `identity` (a captured user-assigned identity) holds Key Vault Crypto Service Encryption
 * User on the key `use` names, at the key or its vault: a role assignment that depends on the
 * identity (its principal id is an output the capture does not hold) scoped there.
 */
function mayUnwrap(index: PlanIndex, identity: CapturedResource, use: KeyUse): boolean {
  const vault = /^https:\/\/([^./]+)\.vault\.azure\.net/i.exec(use.uri ?? "")?.[1];
  const keyName = use.keyName ?? /\/keys\/([^/]+)/i.exec(use.uri ?? "")?.[1];
  if (vault === undefined || keyName === undefined) return false;
  return index
    .ofType(types.roleAssignment)
    .some(
      (g) =>
        g.dependencies.includes(identity.urn) &&
        lower(lastSegment(str(g.inputs.roleDefinitionId))) === builtInRoles.keyVaultCryptoServiceEncryptionUser &&
        [`/vaults/${vault}/keys/${keyName}`, `/vaults/${vault}`].some((tail) => lower(str(g.inputs.scope))?.endsWith(tail.toLowerCase())),
    );
}

/** (b) for every key a copy needs and the user-assigned identities that unwrap them. */
function keysCheck(index: PlanIndex, uses: readonly KeyUse[], lost: string, platformReason: string): CheckResult {
  if (uses.length === 0) return { check: "key", ok: true, reason: platformReason };
  const results = uses.map((u) => keySurvives(index, u, lost));
  const byIdentity = new Map<string, KeyUse[]>();
  for (const u of uses) if (u.identity !== undefined) byIdentity.set(u.identity, [...(byIdentity.get(u.identity) ?? []), u]);
  for (const [id, used] of byIdentity) {
    const identity = index.byArmId(id);
    const where = identity === undefined ? undefined : index.regionOf(identity);
    const keys = used.map((u) => u.what).join(" and ");
    if (where === undefined) results.push({ check: "key", ok: false, reason: `the identity ${lastSegment(id)} that unwraps ${keys} is not in the plan` });
    else if (where === lost) {
      // Another identity of the plan, outside the lost region and allowed the same keys, can take its
      // place: the DR runbook puts it on the account (KeyCustody.standbyIdentity; an account holds one).
      const standby = index.ofType(types.userAssignedIdentity).find((alt) => index.regionOf(alt) !== lost && used.every((u) => mayUnwrap(index, alt, u)));
      results.push(
        standby === undefined
          ? {
              check: "key",
              ok: false,
              reason: `the identity ${lastSegment(id)} that unwraps ${keys} lives in ${lost} (one identity per region: not proven to work while its region is down), and no other identity outside ${lost} may use those keys`,
            }
          : {
              check: "key",
              ok: true,
              reason: `the standby identity ${str(standby.inputs.resourceName) ?? standby.name} (${index.regionOf(standby)}) may unwrap ${keys} once the DR runbook puts it in ${lastSegment(id)}'s place on the account`,
            },
      );
    }
  }
  const failed = results.filter((r) => !r.ok);
  return failed.length > 0
    ? { check: "key", ok: false, reason: failed.map((r) => r.reason).join("; ") }
    : { check: "key", ok: true, reason: results.map((r) => r.reason).join("; ") };
}

/** A way to get at a copy: the private path it takes and the role it needs. */
interface Route {
  readonly name: string;
  readonly path: CheckResult;
  readonly role: CheckResult;
}

/** Analyses the loss of `lost` for every register. */
export function loseRegion(input: LossInput, lost: string): LossVerdict {
  const region = normalRegion(lost) ?? lost;
  const index = new PlanIndex(input.capture);
  const pes = endpoints(index);
  const allGrants = grants(index);
  const containers = index.ofType(types.blobContainer);
  const accounts = index.ofType(types.storageAccount);
  const flowLogAccounts = new Set(index.ofType(types.flowLog).map((f) => index.byArmId(str(f.inputs.storageId))));
  const containersByRegister = new Map<string, CapturedResource>();
  for (const c of containers) {
    const register = str(obj(c.inputs.metadata).register);
    if (register !== undefined && !containersByRegister.has(register)) containersByRegister.set(register, c);
  }
  const survivingEndpoint = (account: string, group: string) =>
    pes.find((pe) => pe.targetAccount === account.toLowerCase() && pe.groupIds.includes(group) && pe.region !== region && pe.vnetRegion !== region);
  const endpointText = (account: string, group: string) => {
    const any = pes.filter((pe) => pe.targetAccount === account.toLowerCase() && pe.groupIds.includes(group));
    return any.length === 0
      ? `no \`${group}\` private endpoint to ${account}`
      : `the \`${group}\` private endpoint to ${account} is in ${[...new Set(any.map((pe) => (pe.region === region ? pe.region : pe.vnetRegion)))].join(", ")}, lost with it`;
  };
  const pathVia = (account: string, group: string, what: string): CheckResult => {
    const pe = survivingEndpoint(account, group);
    return pe === undefined
      ? { check: "path", ok: false, reason: `${endpointText(account, group)}: no private way to ${what} outside ${region}` }
      : { check: "path", ok: true, reason: `private endpoint ${pe.resource.name} (\`${group}\`) in ${pe.region}` };
  };
  const roleFor = (needs: readonly { action: string; data: boolean }[], target: string, what: string): CheckResult => {
    const duty = dutyHolding(allGrants, input.duties, needs, target);
    return duty === undefined
      ? { check: "role", ok: false, reason: `no duty of this stack may ${what} (${needs.map((n) => n.action.split("/").slice(-2).join("/")).join(" + ")})` }
      : { check: "role", ok: true, reason: `${duty} may ${what}` };
  };
  const read = [{ action: blobRead, data: true }];

  const copiesOf = (register: string): CopyVerdict[] => {
    const origin = containersByRegister.get(register) ?? containers.find((c) => str(c.inputs.containerName) === register);
    const originAccount = index.get(types.storageAccount, str(origin?.inputs.accountName));
    if (origin === undefined || originAccount === undefined) return [];
    const copies: CopyVerdict[] = [];
    const verdict = (kind: CopyKind, where: string, label: string, key: CheckResult, routes: readonly Route[]): CopyVerdict => {
      const copy: CheckResult =
        where === region ? { check: "copy", ok: false, reason: `lost with ${region}` } : { check: "copy", ok: true, reason: `outside ${region}` };
      const best = routes.find((r) => r.path.ok && r.role.ok) ?? routes.find((r) => r.path.ok) ?? routes[0];
      const checks = [
        copy,
        key,
        best?.path ?? { check: "path", ok: false, reason: "no route" },
        best?.role ?? { check: "role", ok: false, reason: "no route" },
      ] as CheckResult[];
      return { kind, region: where, label, checks, usable: checks.every((c) => c.ok) };
    };

    // The account that holds the register and every object-replication destination of it.
    const holders: { account: CapturedResource; container: CapturedResource | undefined; kind: "original" | "object replica" }[] = [
      { account: originAccount, container: origin, kind: "original" },
    ];
    for (let i = 0; i < holders.length; i += 1) {
      const source = index.accountId(holders[i].account).toLowerCase();
      const sourceContainer = str(holders[i].container?.inputs.containerName) ?? register;
      for (const policy of index.ofType(types.objectReplicationPolicy)) {
        if (
          lower(str(policy.inputs.sourceAccount)) !== source &&
          lower(lastSegment(str(policy.inputs.sourceAccount))) !== lower(str(holders[i].account.inputs.accountName))
        )
          continue;
        const rule = list(policy.inputs.rules)
          .map(obj)
          .find((r) => str(r.sourceContainer) === sourceContainer);
        const destination = index.get(types.storageAccount, lastSegment(str(policy.inputs.destinationAccount)));
        if (rule === undefined || destination === undefined || holders.some((h) => h.account === destination)) continue;
        const destContainer = containers.find(
          (c) =>
            lower(str(c.inputs.accountName)) === lower(str(destination.inputs.accountName)) && str(c.inputs.containerName) === str(rule.destinationContainer),
        );
        holders.push({ account: destination, container: destContainer, kind: "object replica" });
      }
    }

    for (const { account, container, kind } of holders) {
      const name = str(account.inputs.accountName) ?? account.name;
      const where = index.regionOf(account);
      const key = keysCheck(index, accountKeys(index, account, container), region, "Microsoft-managed keys, kept by Azure with the data");
      const accountId = index.accountId(account);
      const inPlace: Route =
        kind === "original"
          ? {
              name: "in place",
              path: pathVia(name, "blob", "reach it"),
              role: { check: "role", ok: true, reason: "the register stays where it is: no restore" },
            }
          : { name: "read the replica", path: pathVia(name, "blob", "read it"), role: roleFor(read, accountId, "read it") };
      copies.push(verdict(kind, where, kind === "original" ? `the original in ${name} (${where})` : `object replica in ${name} (${where})`, key, [inPlace]));

      // Geo-secondary: GRS/GZRS keep a copy in the region's pair; RA-* makes it readable without a
      // failover ("Storage redundancy", learn.microsoft.com/azure/storage/common/storage-redundancy).
      const sku = str(obj(account.inputs.sku).name) ?? "";
      const secondary = /GRS|GZRS/.test(sku) ? geoSecondary(where) : undefined;
      if (secondary !== undefined) {
        const readAccess = /RAGRS|RAGZRS/i.test(sku.replace(/[-_]/g, ""));
        const routes: Route[] = [];
        // A private endpoint may sit in another region than its resource ("The private-link
        // resource can be deployed in a different region than the one for the virtual network and
        // private endpoint", learn.microsoft.com/azure/private-link/private-endpoint-overview);
        // the read-access secondary has its own sub-resource, `blob_secondary`.
        if (readAccess)
          routes.push({
            name: "read-access secondary",
            path: pathVia(name, "blob_secondary", "read the secondary"),
            role: roleFor(read, accountId, "read it"),
          });
        // After a customer-managed failover the secondary serves the primary endpoints ("the
        // secondary region becomes the primary region", storage-initiate-account-failover), so a
        // `blob` endpoint that survives reaches it.
        routes.push({
          name: "account failover",
          path: pathVia(name, "blob", "reach it after a failover"),
          role: roleFor([{ action: accountFailover, data: false }, ...read], accountId, "fail the account over and read it"),
        });
        copies.push(verdict("geo-secondary", secondary.name, `${readAccess ? "read-access " : ""}geo-secondary of ${name} (${secondary.name})`, key, routes));
      }
    }

    // Vaulted backups of the original that cover the register.
    for (const instance of index.ofType(types.backupInstance)) {
      const info = obj(obj(instance.inputs.properties).dataSourceInfo);
      if (lower(str(info.resourceName)) !== lower(str(originAccount.inputs.accountName))) continue;
      const parameters = list(obj(obj(obj(instance.inputs.properties).policyInfo).policyParameters).backupDatasourceParametersList).map(obj);
      const containerList = parameters.flatMap((p) => list(p.containersList));
      if (parameters.length > 0 && !containerList.includes(str(origin.inputs.containerName))) continue;
      const vault = index.get(types.backupVault, str(instance.inputs.vaultName));
      if (vault === undefined) continue;
      const vaultName = str(vault.inputs.vaultName) ?? vault.name;
      const vaultRegion = index.regionOf(vault);
      const vaultId = `/subscriptions/${index.subscription}/resourceGroups/${str(vault.inputs.resourceGroupName)}/providers/Microsoft.DataProtection/backupVaults/${vaultName}`;
      const key = keysCheck(index, backupVaultKeys(vault), region, "platform-managed keys, kept by Azure with the vault's data");
      // A restore lands in another account of the vault's region, or for a cross-region restore of
      // its paired region, in the same subscription (docs/restore.md, "Before any restore";
      // "Restore Azure Blobs", learn.microsoft.com/azure/backup/blob-restore).
      const targetIn = (where: string, what: string): CheckResult => {
        // A flow-log account holds evidence, not registers: never a restore target.
        const candidates = accounts.filter((a) => a !== originAccount && index.regionOf(a) === where && !flowLogAccounts.has(a));
        for (const target of candidates) {
          const pe = survivingEndpoint(str(target.inputs.accountName) ?? "", "blob");
          if (pe !== undefined)
            return {
              check: "path",
              ok: true,
              reason: `restore into ${str(target.inputs.accountName)} (${where}) through private endpoint ${pe.resource.name} (${pe.region})`,
            };
        }
        return {
          check: "path",
          ok: false,
          reason:
            candidates.length === 0
              ? `no storage account of this plan in ${where} to ${what} into (a restore must land there) reachable privately outside ${region}`
              : `no private endpoint outside ${region} to ${candidates.map((a) => str(a.inputs.accountName)).join(", ")} in ${where}, where the ${what} must land`,
        };
      };
      copies.push(
        verdict("backup", vaultRegion, `backup vault ${vaultName} (${vaultRegion})`, key, [
          {
            name: "restore",
            path: targetIn(vaultRegion, "restore"),
            role: roleFor([{ action: restore, data: false }], vaultId, "restore from the vault"),
          },
        ]),
      );
      const properties = obj(vault.inputs.properties);
      const geo = list(properties.storageSettings).some((s) => str(obj(s).type) === "GeoRedundant");
      const crr = lower(str(obj(obj(properties.featureSettings).crossRegionRestoreSettings).state)) === "enabled";
      const pair = geoSecondary(vaultRegion);
      // Cross-region restore needs a GeoRedundant vault ("Cross Region Restore is supported only
      // for a Backup vault that uses Storage Redundancy as Geo-redundant") and restores into the
      // paired region; its actions are scoped to the vault's resource group (`…/locations/…`).
      if (geo && crr && pair !== undefined) {
        copies.push(
          verdict("backup cross-region restore", pair.name, `cross-region restore copy of backup vault ${vaultName} (${pair.name})`, key, [
            {
              name: "cross-region restore",
              path: targetIn(pair.name, "cross-region restore"),
              role: roleFor(
                [
                  { action: crossRegionRestore, data: false },
                  { action: fetchSecondaryRecoveryPoints, data: false },
                ],
                `/subscriptions/${index.subscription}/resourceGroups/${str(vault.inputs.resourceGroupName)}`,
                "run a cross-region restore",
              ),
            },
          ]),
        );
      }
    }
    return copies;
  };

  const registers = registerNames(input).map((register): RegisterVerdict => {
    const copies = copiesOf(register);
    const via = copies.find((c) => c.usable);
    return { register, survives: via !== undefined, via: via?.label, copies };
  });
  const removed = resourcesIn(input.capture, region).length;
  // "If a resource group's region is temporarily unavailable, you may not be able to update
  // resources in the resource group because the metadata is unavailable" (Azure Resource Manager
  // overview, learn.microsoft.com/azure/azure-resource-manager/management/overview).
  const notes = index
    .ofType(types.resourceGroup)
    .filter((rg) => index.regionOf(rg) === region)
    .map(
      (rg) =>
        `resource group ${str(rg.inputs.resourceGroupName)} keeps its metadata in ${region}: while ${region} is down, Azure may refuse updates to the resources in it (restores that write there included)`,
    );
  return { region, removed, registers, survives: registers.every((r) => r.survives), notes };
}

/** The custom resources the plan places in `region` (what losing it takes away). */
export function resourcesIn(capture: Capture, region: string): CapturedResource[] {
  const index = new PlanIndex(capture);
  const name = normalRegion(region) ?? region;
  return capture.resources.filter((r) => r.custom && index.regionOf(r) === name);
}

/** The regions a plan touches (resources and geo-copies), as `--lose all` and the reports take them. */
export function regionsToLose(capture: Capture): string[] {
  return regionsTouched(capture)
    .filter((r) => !r.global)
    .map((r) => r.region);
}

/** The loss of each of `regions` (default: every region the plan touches). */
export function regionLossReport(input: LossInput, regions: readonly string[] = regionsToLose(input.capture)): LossVerdict[] {
  return regions.map((region) => loseRegion(input, region));
}

/** The duties of the embassy's settings, as {@link LossInput} takes them. */
export function dutiesOf(settings: {
  operators: readonly string[];
  auditors: readonly string[];
  keyCustodians: readonly string[];
  dataIngestPrincipals: readonly string[];
  recoveryReaders?: readonly string[];
}): Duties {
  return {
    operators: settings.operators,
    auditors: settings.auditors,
    keyCustodians: settings.keyCustodians,
    dataIngestPrincipals: settings.dataIngestPrincipals,
    recoveryReaders: settings.recoveryReaders ?? [],
  };
}

/** Plain-text lines of one verdict, for the terminal: the region, then each register lost with its reasons. */
export function lossText(v: LossVerdict): string[] {
  const lost = v.registers.filter((r) => !r.survives);
  const head = `lose ${v.region} (${v.removed} resources taken away): ${
    v.registers.length === 0
      ? "no registers"
      : lost.length === 0
        ? `all ${v.registers.length} registers survive`
        : `${lost.length} of ${v.registers.length} registers lost`
  }`;
  const lines = [head];
  const survivors = new Map<string, string[]>();
  for (const r of v.registers.filter((x) => x.survives)) survivors.set(r.via ?? "", [...(survivors.get(r.via ?? "") ?? []), r.register]);
  for (const [via, names] of survivors) lines.push(`  survive via ${via}: ${names.join(", ")}`);
  for (const r of lost) {
    lines.push(`  ${r.register}: LOST`);
    if (r.copies.length === 0) lines.push("    no container of this register in the plan");
    for (const c of r.copies) {
      const failed = c.checks.filter((k) => !k.ok);
      lines.push(`    ${c.label}: ${failed.map((k) => `(${checkLetter[k.check]}) ${k.reason}`).join("; ")}`);
    }
  }
  for (const n of v.notes) lines.push(`  note: ${n}`);
  return lines;
}
