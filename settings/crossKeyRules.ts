import { findCountry } from "../catalog/countries";
import { managedHsmMinAdmins, storageAccountLimits } from "../catalog/limits";
import { assignShards, shardQualifier } from "./shards";
import { privateLinkZones, privateLinkZonesOf } from "../catalog/privateLink";
import { composeName, nameProblem, nameProblems, secondSite, suffixLength } from "../components/shared/naming";
import { chooseRedundancy, Redundancy } from "../components/sovereignStorage/redundancy";
import { archiveRefusal } from "../components/sovereignStorage/tiering";
import { findRegion, geoSecondary, greatCircleKm } from "../catalog/regions";
import type { Settings } from "./schema";
import { CidrBlock, cidrContains, cidrsOverlap, parseCidr } from "./cidr";

/** One validation problem, tied to the config key the user must change. */
export interface SettingsProblem {
  /** Config key (without namespace), with a path into lists/objects, e.g. `registers[2].name`. */
  readonly key: string;
  readonly message: string;
}

/**
 * Rules that combine several keys. Each rule receives only the keys that passed their own checks
 * (others are undefined), so every problem is reported in one pass.
 */
type Rule = (s: Partial<Settings>) => SettingsProblem[];

const production = (s: Partial<Settings>) => s.environment === "prod" || s.environment === "dr";

const regionRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  const approved = new Set(s.approvedRegions?.map((r) => findRegion(r)?.name));
  const host = s.hostRegion === undefined ? undefined : findRegion(s.hostRegion);
  if (host === undefined || s.approvedRegions === undefined) {
    return problems;
  }
  if (!approved.has(host.name)) {
    problems.push({ key: "hostRegion", message: `"${host.name}" is not in approvedRegions (${[...approved].join(", ")})` });
  }
  const secondary = geoSecondary(host.name);
  if (secondary !== undefined && !approved.has(secondary.name)) {
    problems.push({
      key: "approvedRegions",
      message: `the geo-secondary of ${host.name} is ${secondary.name}: geo-redundant storage and backups copy data there, so it must be approved too`,
    });
  }
  if (secondary === undefined && s.objectReplicationRegion === undefined) {
    problems.push({
      key: "objectReplicationRegion",
      message: `${host.name} has no geo-pair, so geo-redundant storage is impossible there: set objectReplicationRegion to a second approved region, or choose a paired host region`,
    });
  }
  if (s.objectReplicationRegion !== undefined) {
    const replica = findRegion(s.objectReplicationRegion);
    if (replica !== undefined && !approved.has(replica.name)) {
      problems.push({ key: "objectReplicationRegion", message: `"${replica.name}" is not in approvedRegions` });
    }
    if (replica?.name === host.name) {
      problems.push({ key: "objectReplicationRegion", message: "must differ from hostRegion (a replica in the same region survives nothing)" });
    }
  }
  const home = s.homeCountry === undefined ? undefined : findCountry(s.homeCountry);
  if (home !== undefined) {
    if (host.country === home.code) {
      problems.push({ key: "hostRegion", message: `${host.name} is in ${home.name}, the home country: an embassy must be abroad` });
    }
    const distance = Math.round(greatCircleKm(home, host));
    if (s.minDistanceKm !== undefined && distance < s.minDistanceKm) {
      problems.push({
        key: "hostRegion",
        message: `${host.name} is ${distance} km from ${home.name}'s capital, less than minDistanceKm (${s.minDistanceKm})`,
      });
    }
  }
  return problems;
};

/** One place outside the host region where the embassy puts a copy of the registers. */
export interface CopyPlacement {
  /** Which copy: the account's geo-secondary, the backup vault's cross-region restore, the object replica, the replica account's own geo-secondary, or its backup vault's cross-region restore. */
  readonly copy:
    "geo-secondary" | "backup cross-region restore" | "object replica" | "geo-secondary of the object replica" | "replica's backup cross-region restore";
  /** ARM name of the region the copy lands in. */
  readonly region: string;
  /** The config key that decides where it lands. */
  readonly key: "hostRegion" | "objectReplicationRegion";
}

/**
 * Every region a host (and, for a host without a pair, its object-replication region) puts a copy
 * of the registers in, derived from the choice SovereignStorage and DataEmbassy make
 * (chooseRedundancy): a paired host's account is RA-GZRS/RA-GRS with its geo-secondary in the
 * pair, and its GeoRedundant backup vault restores cross-region into the vault's pair, the same
 * region; an unpaired host's vault stays in the host region (zone-redundant: no pair to copy to),
 * and the host replicates into `objectReplicationRegion`, whose replica account is itself
 * geo-redundant, and whose own backup vault restores cross-region, into that region's pair where it
 * has one. Empty when the regions are unknown or an unpaired host has no replication region (the
 * region rules report those).
 */
export function copyPlacements(hostRegion: string, objectReplicationRegion?: string): CopyPlacement[] {
  let redundancy: Redundancy;
  try {
    redundancy = chooseRedundancy(hostRegion, objectReplicationRegion);
  } catch {
    return [];
  }
  const copies: CopyPlacement[] = [];
  if (redundancy.geoSecondary !== undefined) {
    copies.push({ copy: "geo-secondary", region: redundancy.geoSecondary, key: "hostRegion" });
    copies.push({ copy: "backup cross-region restore", region: redundancy.geoSecondary, key: "hostRegion" });
  }
  const replica = redundancy.replicaRegion === undefined ? undefined : findRegion(redundancy.replicaRegion);
  if (replica !== undefined) {
    copies.push({ copy: "object replica", region: replica.name, key: "objectReplicationRegion" });
    const replicaSecondary = geoSecondary(replica.name);
    if (replicaSecondary !== undefined) {
      copies.push({ copy: "geo-secondary of the object replica", region: replicaSecondary.name, key: "objectReplicationRegion" });
      // The replica's own backup vault (components/dataEmbassy/replicaSite.ts) restores into the replica region's pair.
      copies.push({ copy: "replica's backup cross-region restore", region: replicaSecondary.name, key: "objectReplicationRegion" });
    }
  }
  return copies;
}

/**
 * A DR embassy (drPrimaryRegion set) must survive what took the primary, so neither it nor any
 * copy it creates may sit where that happened:
 * - the host may not be the lost primary;
 * - nor the lost primary's geo-pair. Microsoft's "Azure region pairs and nonpaired regions"
 *   (learn.microsoft.com/azure/reliability/regions-paired) says the two regions of a pair are
 *   "usually in the same geography" ("almost all regions reside within the same geography as
 *   their pair"), that "in the unlikely event of a geography-wide outage, one region in every
 *   region pair is prioritized for recovery", and that deploying to a pair "doesn't automatically
 *   make them more resilient": a disaster big enough to lose a region, or the country it is in,
 *   is the likeliest to take its pair too, and the pair may be the one recovered last. Germany
 *   West Central and Germany North are one country and ~330 km apart (catalog coordinates).
 *   Pairs are symmetric, so a host in the pair would also put its geo-copy in the lost primary;
 * - no copy (geo-secondary, backup cross-region restore, object replica or the replica's own
 *   geo-secondary, {@link copyPlacements}) may land in the lost primary or its pair, each problem
 *   on the key that decides it.
 * Restricted (deploy-on-request) regions are allowed; the plan warns how to request access
 * (components/dataEmbassy/args.ts embassyWarnings).
 */
const drRules: Rule = (s) => {
  const lost = s.drPrimaryRegion === undefined ? undefined : findRegion(s.drPrimaryRegion);
  const host = s.hostRegion === undefined ? undefined : findRegion(s.hostRegion);
  if (lost === undefined || host === undefined) return [];
  const lostPair = geoSecondary(lost.name);
  const problems: SettingsProblem[] = [];
  const coVictim = `Microsoft almost always pairs regions within one geography and, in a geography-wide outage, recovers one region of every pair first (learn.microsoft.com/azure/reliability/regions-paired), so the pair is the likeliest co-victim of whatever took ${lost.name}`;
  if (host.name === lost.name) {
    problems.push({ key: "hostRegion", message: `${host.name} is the lost primary (drPrimaryRegion): a DR embassy must be re-provisioned in another region` });
  } else if (host.name === lostPair?.name) {
    problems.push({ key: "hostRegion", message: `${host.name} is the geo-pair of the lost primary ${lost.name}: ${coVictim}; choose a region outside both` });
  }
  // One problem per key and region: "the geo-secondary and the backup cross-region restore of … would land in …".
  const grouped = new Map<string, { key: CopyPlacement["key"]; region: string; copies: string[] }>();
  for (const c of copyPlacements(host.name, s.objectReplicationRegion)) {
    if (c.region !== lost.name && c.region !== lostPair?.name) continue;
    const id = `${c.key} ${c.region}`;
    const group = grouped.get(id) ?? { key: c.key, region: c.region, copies: [] };
    group.copies.push(c.copy);
    grouped.set(id, group);
  }
  for (const { key, region, copies } of grouped.values()) {
    const what = `the ${copies.join(" and the ")} of ${host.name}${key === "objectReplicationRegion" ? ` (objectReplicationRegion ${s.objectReplicationRegion})` : ""}`;
    problems.push({
      key,
      message:
        region === lost.name
          ? `${what} would land in ${region}, the lost primary: the DR embassy would keep a copy in the region it replaces; choose a ${key === "hostRegion" ? "host" : "replication region"} whose copies stay outside ${[lost.name, lostPair?.name].filter(Boolean).join(" and ")}`
          : `${what} would land in ${region}, the geo-pair of the lost primary ${lost.name}: ${coVictim}`,
    });
  }
  return problems;
};

const productionRules: Rule = (s) => {
  if (!production(s)) {
    return [];
  }
  const problems: SettingsProblem[] = [];
  if (s.protectResources === false) {
    problems.push({ key: "protectResources", message: `must be true in a ${s.environment} stack (only a throw-away dev stack may turn protection off)` });
  }
  if (s.keyCustodians !== undefined && s.keyCustodians.length === 0) {
    problems.push({ key: "keyCustodians", message: `a ${s.environment} stack needs at least one key custodian (Entra object id)` });
  }
  // Alerts on vault deletion, role and lock changes are worthless if they reach nobody.
  if (s.alertEmails !== undefined && s.alertEmails.length === 0) {
    problems.push({ key: "alertEmails", message: `a ${s.environment} stack needs at least one e-mail address for security alerts` });
  }
  for (const key of ["blobSoftDeleteDays", "containerSoftDeleteDays"] as const) {
    const value = s[key];
    if (value !== undefined && value < 30) {
      problems.push({ key, message: `must be at least 30 days in a ${s.environment} stack (got ${value})` });
    }
  }
  if (s.environment === "dr" && s.drPrimaryRegion === undefined) {
    problems.push({ key: "drPrimaryRegion", message: "a dr stack must name the region of the primary it replaces" });
  }
  return problems;
};

const lockRules: Rule = (s) => {
  if (s.acknowledgeIrreversibleLock === true) {
    return [];
  }
  const why = "Locked is irreversible: set acknowledgeIrreversibleLock to true to confirm";
  const problems: SettingsProblem[] = [];
  if (s.wormState === "Locked") problems.push({ key: "wormState", message: why });
  if (s.backupImmutability === "Locked") problems.push({ key: "backupImmutability", message: why });
  s.registers?.forEach((r, i) => {
    if (r.immutability === "locked") problems.push({ key: `registers[${i}].immutability`, message: why });
  });
  return problems;
};

const keyRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  if (s.keyRotationDays !== undefined && s.keyExpiryDays !== undefined && s.keyRotationDays > s.keyExpiryDays - 7) {
    problems.push({
      key: "keyRotationDays",
      message: `must be at least 7 days shorter than keyExpiryDays (${s.keyRotationDays} vs ${s.keyExpiryDays}): Azure rotates a key no later than 7 days before it expires`,
    });
  }
  if (s.keyNotifyBeforeExpiryDays !== undefined && s.keyExpiryDays !== undefined && s.keyNotifyBeforeExpiryDays >= s.keyExpiryDays) {
    problems.push({ key: "keyNotifyBeforeExpiryDays", message: `must be shorter than keyExpiryDays (${s.keyExpiryDays})` });
  }
  if (s.keyManagement === "managedHsm" && s.managedHsmAdmins !== undefined && s.managedHsmAdmins.length < managedHsmMinAdmins) {
    problems.push({
      key: "managedHsmAdmins",
      message: `managedHsm mode needs at least ${managedHsmMinAdmins} administrators (the security-domain quorum is M-of-N with N ≥ ${managedHsmMinAdmins}); got ${s.managedHsmAdmins.length}`,
    });
  }
  return problems;
};

const registerRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  const seen = new Map<string, number>();
  s.registers?.forEach((r, i) => {
    // Encryption scope names allow no hyphens, so `land-a` and `landa` would share one.
    const scope = r.name.replace(/-/g, "");
    const first = seen.get(scope);
    if (first !== undefined) {
      problems.push({
        key: `registers[${i}].name`,
        message: `"${r.name}" collides with registers[${first}] ("${s.registers?.[first].name}"): names must differ in more than hyphens`,
      });
    } else {
      seen.set(scope, i);
    }
  });
  return problems;
};

/**
 * Archive tiering (audit F20): a register's blobs can never reach the Archive tier. Each register
 * is encrypted under its own encryption scope, which Azure cannot archive; on top of that a
 * backed-up register (vaulted backup has no Archive support) or an object-replicated one
 * (replication fails on archived blobs) would silently lose its copies, and RA-GZRS/ZRS accounts
 * have no Archive tier. Registers under legal hold are neither backed up nor replicated on a paired
 * host, but their blobs use an encryption scope too, so they are refused as well. Every register
 * that sets `tierToArchiveAfterDays` is reported with the reasons that apply to it
 * (components/sovereignStorage/tiering.ts cites the sources).
 */
const archiveRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  if (s.registers === undefined) return problems;
  // Every register not under legal hold is backed up (on every host); a host without a geo-pair
  // also object-replicates every register.
  const paired = s.hostRegion === undefined ? undefined : geoSecondary(s.hostRegion) !== undefined;
  let sku: Redundancy["sku"] | undefined;
  try {
    sku = s.hostRegion === undefined ? undefined : chooseRedundancy(s.hostRegion, s.objectReplicationRegion).sku;
  } catch {
    sku = undefined; // an unpaired host without objectReplicationRegion: regionRules reports it
  }
  s.registers.forEach((r, i) => {
    if (r.tierToArchiveAfterDays === undefined) return;
    problems.push({
      key: `registers[${i}].tierToArchiveAfterDays`,
      message: archiveRefusal({ backedUp: !r.legalHold, replicated: paired === false, sku }),
    });
  });
  return problems;
};

/** One VNet's address plan: its space, its endpoint and workload subnets, by config key. */
const addressPlans = [
  { space: "vnetAddressSpace", endpoints: "privateEndpointSubnet", workload: "workloadSubnet" },
  { space: "replicaVnetAddressSpace", endpoints: "replicaPrivateEndpointSubnet", workload: "replicaWorkloadSubnet" },
] as const;

const networkRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  const parsed = new Map<string, CidrBlock>();
  for (const plan of addressPlans) {
    for (const key of [plan.space, plan.endpoints, plan.workload]) {
      const value = s[key];
      if (value === undefined) continue;
      const block = parseCidr(value);
      if (typeof block === "string") problems.push({ key, message: block });
      else parsed.set(key, block);
    }
    const vnet = parsed.get(plan.space);
    const pe = parsed.get(plan.endpoints);
    const work = parsed.get(plan.workload);
    for (const [key, subnet] of [
      [plan.endpoints, pe],
      [plan.workload, work],
    ] as const) {
      if (vnet !== undefined && subnet !== undefined) {
        if (!cidrContains(vnet, subnet)) {
          problems.push({ key, message: `${s[key]} is not inside ${plan.space} ${s[plan.space]}` });
        }
        if (subnet.prefixLength > 29) {
          problems.push({ key, message: `${s[key]} is too small: Azure subnets need a /29 or larger` });
        }
      }
    }
    if (pe !== undefined && work !== undefined && cidrsOverlap(pe, work)) {
      problems.push({ key: plan.workload, message: `${s[plan.workload]} overlaps ${plan.endpoints} ${s[plan.endpoints]}` });
    }
  }
  // Both VNets peer with the same hub (hubVnetId), and a restore workload in one reaches the other's
  // endpoints through it: their address spaces must be distinct.
  const host = parsed.get("vnetAddressSpace");
  const replica = parsed.get("replicaVnetAddressSpace");
  if (host !== undefined && replica !== undefined && cidrsOverlap(host, replica)) {
    problems.push({ key: "replicaVnetAddressSpace", message: `${s.replicaVnetAddressSpace} overlaps vnetAddressSpace ${s.vnetAddressSpace}` });
  }
  if (s.privateDnsMode === "byo" && s.byoPrivateDnsZoneIds !== undefined) {
    const zones = s.byoPrivateDnsZoneIds.map((id) => id.split("/").pop()?.toLowerCase());
    const vaultZone = s.keyManagement === "managedHsm" ? privateLinkZones.managedhsm : privateLinkZones.vault;
    // The workspace's Azure Monitor Private Link Scope endpoint publishes in the monitor zones too.
    for (const zone of new Set([privateLinkZones.blob, vaultZone, ...privateLinkZonesOf("azuremonitor")])) {
      if (!zones.includes(zone)) {
        problems.push({ key: "byoPrivateDnsZoneIds", message: `privateDnsMode is byo but no id of a "${zone}" zone is given` });
      }
    }
  }
  s.byoPrivateDnsZoneIds?.forEach((id, i) => {
    if (!/\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+$/i.test(id)) {
      problems.push({
        key: `byoPrivateDnsZoneIds[${i}]`,
        message: `${id} is not a private DNS zone id (…/providers/Microsoft.Network/privateDnsZones/<zone>)`,
      });
    }
  });
  if (s.privateDnsMode === "managed" && s.byoPrivateDnsZoneIds !== undefined && s.byoPrivateDnsZoneIds.length > 0) {
    problems.push({
      key: "byoPrivateDnsZoneIds",
      message: "is set but privateDnsMode is managed, so the ids would be ignored: set privateDnsMode to byo or remove the ids",
    });
  }
  if (s.hubVnetId !== undefined && !/\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i.test(s.hubVnetId)) {
    problems.push({ key: "hubVnetId", message: `${s.hubVnetId} is not a virtual network id (…/providers/Microsoft.Network/virtualNetworks/<name>)` });
  }
  return problems;
};

const backupRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  if (s.resourceGuardId !== undefined && !/\/providers\/Microsoft\.DataProtection\/resourceGuards\/[^/]+$/i.test(s.resourceGuardId)) {
    problems.push({
      key: "resourceGuardId",
      message: `${s.resourceGuardId} is not a Resource Guard id (…/providers/Microsoft.DataProtection/resourceGuards/<name>)`,
    });
  }
  return problems;
};

/**
 * Storage-account shards (settings/shards.ts): each within registersPerShard (at most Azure's 100
 * containers per vaulted backup instance), shard 0 used, and, as every host backs up every shard,
 * each with a register to back up (Azure: "a minimum of 1 container"). Replaces the old refusal of
 * more than 100 backed-up registers: they now go to further accounts. A host without a geo-pair
 * keeps one shard: its replica site (own keys, network and vault in objectReplicationRegion)
 * covers one account, and a further shard's replica would be encrypted with the host's keys,
 * which the loss of the host region takes with it (audit F8).
 */
const shardRules: Rule = (s) => {
  if (s.registers === undefined || s.registersPerShard === undefined) return [];
  const registers = s.registers;
  const { shards, problems } = assignShards(registers, s.registersPerShard);
  const found: SettingsProblem[] = [...problems];
  const unpaired = s.hostRegion !== undefined && findRegion(s.hostRegion) !== undefined && geoSecondary(s.hostRegion) === undefined;
  if (unpaired && (shards.filter((members) => members.length > 0).length > 1 || s.coreStack !== undefined)) {
    found.push({
      key: s.coreStack !== undefined ? "coreStack" : "registers",
      message:
        `${s.hostRegion} has no geo-pair, so the embassy keeps its registers in one storage account whose replica site in objectReplicationRegion has its own keys (audit F8); ` +
        `${s.coreStack !== undefined ? "a register-shard stack" : `${registers.length} registers in shards of ${s.registersPerShard}`} would need a replica site per account, which the embassy does not build: ` +
        `keep at most ${s.registersPerShard} registers (registersPerShard, at most 100) in this stack, or host the embassy in a paired region`,
    });
  }
  shards.forEach((members, shard) => {
    if (members.length === 0 || members.some((i) => !registers[i].legalHold)) return;
    found.push({
      key: `registers[${members[0]}].legalHold`,
      message: `every register of shard ${shard} (${members.map((i) => registers[i].name).join(", ")}) is under legal hold: its backup instance would protect no container, and Azure's vaulted blob backup needs at least one. Move a backed-up register into shard ${shard} (its shard key) or lift a hold`,
    });
  });
  const first = s.firstShard ?? 0;
  const last = first + shards.length - 1;
  if (s.namePrefix !== undefined && s.environment !== undefined && last > 0) {
    // The last shard has the longest account names (its replica's too), a shard stack's key vault
    // its first shard's qualifier: check them now, not at deploy.
    const parts = { prefix: s.namePrefix, environment: s.environment };
    const sample = "x".repeat(suffixLength);
    const names = [nameProblem("storageAccount", composeName("storageAccount", parts, sample, shardQualifier(last, "r")))];
    if (s.coreStack !== undefined) names.push(nameProblem("keyVault", composeName("keyVault", parts, sample, shardQualifier(first, undefined, true))));
    for (const problem of names) if (problem !== undefined) found.push({ key: "namePrefix", message: problem });
  }
  return found;
};

/**
 * Register-shard stacks (docs/scale.md): `coreStack` and `firstShard` go together, and the shard
 * stack's key store is a Key Vault of its own. Not a Managed HSM of its own: "each HSM pool is an
 * isolated single-tenant instance with its own security domain" (Microsoft Learn, About keys,
 * learn.microsoft.com/azure/key-vault/keys/about-keys), so each would need its own activation
 * ceremony and quorum, and costs by the hour. Not the core's HSM either: its keys and their local
 * RBAC grants are made by hand in the core's ceremony (keyCustody/managedHsm.ts), outside this
 * stack, which could then neither create nor wait for its registers' keys. A state that needs every
 * key in a Managed HSM keeps those registers in the core stack, in storage-account shards.
 */
const shardStackRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  if (s.coreStack !== undefined && s.firstShard === undefined) {
    problems.push({
      key: "firstShard",
      message: "is required in a register-shard stack (coreStack is set): the shard number of its first storage account, above the core's",
    });
  }
  if (s.coreStack === undefined && s.firstShard !== undefined) {
    problems.push({
      key: "firstShard",
      message: "is set but coreStack is not: only a register-shard stack numbers its shards from firstShard; remove it or set coreStack",
    });
  }
  if (s.coreStack !== undefined && s.keyManagement === "managedHsm") {
    problems.push({
      key: "keyManagement",
      message:
        "must be keyVault in a register-shard stack: it keeps its registers' keys in a Premium Key Vault of its own (HSM-protected keys). A Managed HSM of its own would need a security-domain ceremony and quorum of its own, " +
        "and the core's HSM cannot serve it (keys and grants there are made by hand in the core's ceremony, outside this stack). " +
        "Set keyManagement: keyVault here, or, if the state requires every register key in a Managed HSM, keep these registers in the core stack (storage-account shards, docs/scale.md) instead of a shard stack",
    });
  }
  if (s.firstShard !== undefined && s.registers !== undefined && s.registersPerShard !== undefined) {
    const last = s.firstShard + assignShards(s.registers, s.registersPerShard).shards.length - 1;
    if (last >= storageAccountLimits.maxShards) {
      problems.push({
        key: "firstShard",
        message: `${s.firstShard} leaves no room: this stack's last shard would be ${last}, beyond the ${storageAccountLimits.maxShards - 1} allowed`,
      });
    }
  }
  return problems;
};

/**
 * Separation of duties: one duty per principal. A custodian who is also an operator, or an auditor
 * who can also write registers, would check their own work (docs/auditor-guide.md).
 */
const dutyRules: Rule = (s) => {
  const problems: SettingsProblem[] = [];
  const holder = new Map<string, string>();
  for (const key of ["keyCustodians", "operators", "auditors", "dataIngestPrincipals", "recoveryReaders"] as const) {
    s[key]?.forEach((id, i) => {
      const first = holder.get(id.toLowerCase());
      if (first === undefined) {
        holder.set(id.toLowerCase(), key);
      } else {
        const why = first === key ? "is listed twice" : `is already in ${first}: a principal may hold one duty only (separation of duties)`;
        problems.push({ key: `${key}[${i}]`, message: `${id} ${why}` });
      }
    });
  }
  return problems;
};

const nameRules: Rule = (s) =>
  s.namePrefix === undefined || s.environment === undefined
    ? []
    : [
        ...nameProblems({ prefix: s.namePrefix, environment: s.environment }),
        // Every host also builds a second site (replica or standby, components/dataEmbassy), whose names carry the site.
        ...nameProblems({ prefix: s.namePrefix, environment: s.environment, site: secondSite }),
      ].map((message) => ({ key: "namePrefix", message }));

/** Every cross-key rule, in the order their problems are reported. */
export const crossKeyRules: readonly Rule[] = [
  regionRules,
  drRules,
  productionRules,
  lockRules,
  keyRules,
  registerRules,
  archiveRules,
  networkRules,
  backupRules,
  shardRules,
  shardStackRules,
  dutyRules,
  nameRules,
];
