import { z } from "zod";
import { findCountry } from "../catalog/countries";
import { environments } from "../catalog/environments";
import { phases } from "../catalog/phases";
import {
  defaultRoleAssignmentPropagationWait,
  flowLogLimits,
  logAnalyticsLimits,
  propagationWaitError,
  Range,
  roleAssignmentPropagation,
  storageAccountLimits,
  vaultedBlobLimits,
} from "../catalog/limits";
import { guidPattern } from "../catalog/patterns";
import { euRegionNames, findRegion } from "../catalog/regions";
import { registerSchema } from "./registers";
import { maxRegistersPerShard } from "./shards";
import { embassyBackupDefaults as backup } from "../components/embassyBackup/defaults";
import { embassyGovernanceDefaults as governance } from "../components/embassyGovernance/defaults";
import { keyCustodyDefaults as keys } from "../components/keyCustody/defaults";
import { sovereignStorageDefaults as storage } from "../components/sovereignStorage/defaults";

/**
 * The embassy's stack configuration as one schema: every key, its type, default and description.
 * Pulumi.yaml's `config:` block and docs/config.md are checked against it (tests/config-schema).
 * Per-key checks live here; checks that combine keys live in settingsRules.ts.
 */

/** An Entra object id (user, group or service principal). */
const principalId = z.string().regex(guidPattern, "must be an Entra object id (a GUID such as 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0)");

const principalList = (description: string) => z.array(principalId).default([]).describe(description);

/** A region name that is in the catalog and in an EU member state. */
export const euRegion = z
  .string()
  .superRefine((value, ctx) => {
    const region = findRegion(value);
    if (region === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `unknown Azure region "${value}"; valid EU regions: ${euRegionNames.join(", ")}`,
      });
    } else if (!region.eu) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is in ${region.country}, not an EU member state; data must stay in the EU (valid: ${euRegionNames.join(", ")})`,
      });
    }
  })
  .transform((value) => findRegion(value)?.name ?? value);

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a whole number (${what})` })
    .int(`must be a whole number (${what})`)
    .min(min, `must be at least ${min} (${what})`)
    .max(max, `must be at most ${max} (${what})`);

const range = (r: Range): [number, number] => [r.min, r.max];
const dash = (r: Range) => `${r.min}–${r.max}`;

/** Immutability state of a WORM policy (storage account or backup vault). */
export const immutabilityStates = ["Unlocked", "Locked"] as const;

const azureResourceId = z
  .string()
  .regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+/i, "must be a full Azure resource id (/subscriptions/…/resourceGroups/…/providers/…)");

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR block such as 10.60.0.0/24");

/** Every config key of the `data-embassy` namespace. */
export const settingsSchema = z
  .object({
    environment: z.enum(environments).describe("Stack kind: `dev` (throw-away allowed), `prod`, or `dr` (re-provisioned embassy)."),
    phase: z
      .enum(phases)
      .default("build")
      .describe(
        "Lifecycle phase (docs/phases.md): `build` for every fresh deployment and DR (everything in a state ARM accepts at creation), `keys-ready` once the keys are reachable (backup vault and Managed HSM consumers switch to the state's keys), `sealed` after `npm run seal` (ingest opens).",
      ),
    homeCountry: z
      .string()
      .refine((code) => findCountry(code) !== undefined, {
        message: "must be an ISO 3166-1 alpha-2 code of a catalogued country (e.g. EE, LV, LT, FI)",
      })
      .describe("ISO 3166-1 alpha-2 code of the state whose registers the embassy keeps, e.g. `EE`."),
    namePrefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9]{1,3}$/,
        "must be 2–4 lower-case letters or digits starting with a letter (it is part of every resource name, and Key Vault names are limited to 24 characters)",
      )
      .describe("Short org code used in every resource name (2–4 lower-case letters/digits), e.g. `ee`."),
    hostRegion: euRegion.describe("Azure region that hosts the embassy; must be in the EU, approved, abroad and far enough from home."),
    approvedRegions: z
      .array(euRegion)
      .min(1, "must list at least one region")
      .default([...euRegionNames])
      .describe("Regions data may be stored in, including geo-secondaries and replicas. Every entry must be an EU region."),
    minDistanceKm: wholeNumber("kilometres", 0, 5000)
      .default(1000)
      .describe(
        "Minimum great-circle distance between the home capital and the host region, in km. Default 1000: beyond short-range missiles and any single regional disaster.",
      ),
    objectReplicationRegion: euRegion
      .optional()
      .describe("Second approved region for object replication of the registers; required when the host region has no geo-pair."),
    protectResources: z
      .boolean()
      .default(true)
      .describe("Pulumi `protect` + `retainOnDelete` on stateful resources. Only a throw-away dev stack may set false."),
    drPrimaryRegion: euRegion.optional().describe("DR stacks: the region of the lost primary embassy (the DR host must differ from it)."),
    recoverSoftDeletedVault: z
      .boolean()
      .default(keys.recoverSoftDeletedVault)
      .describe("Create the Key Vault with `createMode: recover` to bring back a soft-deleted vault of the same name (DR)."),
    roleAssignmentPropagationWait: z
      .string()
      .superRefine((value, ctx) => {
        const error = propagationWaitError(value);
        if (error !== undefined) ctx.addIssue({ code: "custom", message: error });
      })
      .default(defaultRoleAssignmentPropagationWait)
      .describe(
        `Wait between a role assignment (or custom role) and what needs it — storage account, encryption scopes, backup vault, backup instance, custom-role assignments — as a duration ("10m", "90s", 0–${roleAssignmentPropagation.maxMinutes} minutes); Microsoft: up to ${roleAssignmentPropagation.minutes} minutes to take effect.`,
      ),
    registers: z
      .array(registerSchema)
      .min(1, "must list at least one register")
      .describe(
        "The registers the embassy keeps (list of objects: name, description, owner, classification, retentionDays, immutability, legalHold, shard, tierToColdAfterDays, tierToArchiveAfterDays, sizeGiB).",
      ),
    coreStack: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be a fully qualified stack name: <organization>/<project>/<stack>")
      .optional()
      .describe(
        "Makes this a register-shard stack (docs/scale.md): its registers go into storage accounts of their own, with their own key vault, in the core stack's resource group, network, workspace and backup vault, read through a StackReference to this stack (`<organization>/<project>/<stack>`).",
      ),
    firstShard: wholeNumber("shard number", 1, storageAccountLimits.maxShards - 1)
      .optional()
      .describe(
        "Register-shard stacks: the shard number of the stack's first storage account (its names carry it). Give each shard stack of a core its own range, above the core's shards.",
      ),
    registersPerShard: wholeNumber("registers", 1, maxRegistersPerShard)
      .default(maxRegistersPerShard)
      .describe(
        `Most registers in one storage-account shard, 1–${maxRegistersPerShard} (Azure's vaulted blob backup protects at most ${maxRegistersPerShard} containers per account). Registers beyond it go to further accounts, each with its own backup instance (docs/scale.md). Lowering it on a deployed stack moves unpinned registers: pin them first.`,
      ),

    keyManagement: z
      .enum(["keyVault", "managedHsm"])
      .default(keys.keyManagement)
      .describe(
        "Where the state's keys live: `keyVault` (Premium, HSM-backed keys) or `managedHsm` (single-tenant FIPS 140-3 L3 HSM; keys are created in the key ceremony).",
      ),
    keySize: z
      .union([z.literal(3072), z.literal(4096)], { error: "must be 3072 or 4096 (RSA-HSM key size in bits; 2048 is too weak for long-lived archives)" })
      .default(keys.keySize)
      .describe("RSA-HSM key size in bits: 3072 or 4096."),
    keyExpiryDays: wholeNumber("days", 28, 3650).default(keys.keyExpiryDays).describe("Days after creation a key version expires."),
    keyRotationDays: wholeNumber("days", 7, 3650)
      .default(keys.keyRotationDays)
      .describe("Days after creation a key is rotated; at least 7 days shorter than keyExpiryDays."),
    keyNotifyBeforeExpiryDays: wholeNumber("days", 7, 3650)
      .default(keys.keyNotifyBeforeExpiryDays)
      .describe("Days before expiry that key custodians are notified."),
    keyCustodians: principalList("Entra object ids of the home-state key custodians (Key Vault Crypto Officer). Required in prod and dr."),
    managedHsmAdmins: principalList("Entra object ids of the Managed HSM's initial administrators (security-domain quorum holders)."),

    blobSoftDeleteDays: wholeNumber("days", 1, 365)
      .default(storage.blobSoftDeleteDays)
      .describe("Blob soft-delete retention in days (1–365; embassy minimum 30 outside dev)."),
    containerSoftDeleteDays: wholeNumber("days", 1, 365)
      .default(storage.containerSoftDeleteDays)
      .describe("Container soft-delete retention in days (1–365; embassy minimum 30 outside dev)."),
    changeFeedRetentionDays: wholeNumber("days", 1, 146000).default(storage.changeFeedRetentionDays).describe("Change-feed retention in days."),
    wormState: z
      .enum(immutabilityStates)
      .default(storage.worm.state)
      .describe("Account-level version-level immutability policy state. `Locked` is irreversible."),
    wormRetentionDays: wholeNumber("days", 1, 146000).default(storage.worm.retentionDays).describe("Account-level default immutability period in days."),
    acknowledgeIrreversibleLock: z
      .boolean()
      .default(false)
      .describe("Must be true to set any immutability policy (storage WORM, register containers, backup vault) to Locked: that cannot be undone."),

    vnetAddressSpace: cidr.default("10.60.0.0/24").describe("Address space of the embassy VNet."),
    privateEndpointSubnet: cidr.default("10.60.0.0/26").describe("Subnet for private endpoints (inside vnetAddressSpace)."),
    workloadSubnet: cidr.default("10.60.0.64/26").describe("Subnet for restore/DR-drill workloads (inside vnetAddressSpace)."),
    replicaVnetAddressSpace: cidr
      .default("10.60.1.0/24")
      .describe(
        "Address space of the second site's VNet, outside the host region: in objectReplicationRegion for a host without a geo-pair (the replica's own private endpoints), in the host's geo-pair otherwise (the private endpoints of the read-access geo-secondaries). Either way the copy outside the host region stays reachable when the host region is lost. Must not overlap vnetAddressSpace.",
      ),
    replicaPrivateEndpointSubnet: cidr.default("10.60.1.0/26").describe("Subnet for the second site's private endpoints (inside replicaVnetAddressSpace)."),
    replicaWorkloadSubnet: cidr
      .default("10.60.1.64/26")
      .describe(
        "Subnet for restore/DR workloads in the second site's region (inside replicaVnetAddressSpace): readers of the geo-secondary or the replica run there.",
      ),
    privateDnsMode: z
      .enum(["managed", "byo"])
      .default("managed")
      .describe("`managed`: the stack creates private DNS zones; `byo`: a hub owns them and their ids come from byoPrivateDnsZoneIds."),
    byoPrivateDnsZoneIds: z
      .array(azureResourceId)
      .default([])
      .describe("Resource ids of hub-owned private DNS zones (byo mode): blob, the key store's, and Azure Monitor's monitor, oms, ods and agentsvc zones."),
    hubVnetId: azureResourceId.optional().describe("Resource id of an existing hub VNet to peer with (connectivity to home)."),

    backupSoftDeleteDays: wholeNumber("days", ...range(vaultedBlobLimits.softDeleteDays))
      .default(backup.softDeleteDays)
      .describe(`Backup vault soft-delete retention in days (Azure allows ${dash(vaultedBlobLimits.softDeleteDays)}).`),
    backupImmutability: z.enum(immutabilityStates).default(backup.immutability).describe("Backup vault immutability state. `Locked` is irreversible."),
    // Microsoft's vaulted blob backup bounds (catalog/limits.ts), checked at preview rather than left to ARM.
    backupDailyRetentionDays: wholeNumber(
      `days; vaulted blob backup allows ${dash(vaultedBlobLimits.dailyRetentionDays)}`,
      ...range(vaultedBlobLimits.dailyRetentionDays),
    )
      .default(backup.retention.dailyDays)
      .describe(`Vaulted blob backup: days a daily recovery point is kept (${dash(vaultedBlobLimits.dailyRetentionDays)}).`),
    backupWeeklyRetentionWeeks: wholeNumber(
      `weeks; vaulted blob backup allows ${dash(vaultedBlobLimits.weeklyRetentionWeeks)}`,
      ...range(vaultedBlobLimits.weeklyRetentionWeeks),
    )
      .default(backup.retention.weeklyWeeks)
      .describe(`Vaulted blob backup: weeks the first backup of each week is kept (${dash(vaultedBlobLimits.weeklyRetentionWeeks)}).`),
    backupMonthlyRetentionMonths: wholeNumber(
      `months; vaulted blob backup allows ${dash(vaultedBlobLimits.monthlyRetentionMonths)}`,
      ...range(vaultedBlobLimits.monthlyRetentionMonths),
    )
      .default(backup.retention.monthlyMonths)
      .describe(`Vaulted blob backup: months the first backup of each month is kept (${dash(vaultedBlobLimits.monthlyRetentionMonths)}).`),
    backupYearlyRetentionYears: wholeNumber(
      `years; vaulted blob backup allows ${dash(vaultedBlobLimits.yearlyRetentionYears)}`,
      ...range(vaultedBlobLimits.yearlyRetentionYears),
    )
      .default(backup.retention.yearlyYears)
      .describe(`Vaulted blob backup: years the first backup of each year is kept (${dash(vaultedBlobLimits.yearlyRetentionYears)}).`),
    resourceGuardId: azureResourceId
      .optional()
      .describe(
        "Id of an existing Resource Guard (ideally in another subscription/tenant) for multi-user authorization; unset: the stack creates one. Microsoft requires the guard in the backup vault's region (hostRegion), and the identity running `pulumi up` to hold Reader on it but not Contributor, Backup MUA Admin or Backup MUA Operator. An id carries no region, so the plan warns rather than checks (docs/restore.md).",
      ),

    operators: principalList("Entra object ids of embassy operators (manage infrastructure, no data-plane read)."),
    auditors: principalList("Entra object ids of third-party auditors (read-only control plane, logs, key metadata)."),
    dataIngestPrincipals: principalList("Entra object ids allowed to write register copies into the containers."),
    recoveryReaders: principalList(
      "Entra object ids (groups) eligible, through Entra PIM, for Storage Blob Data Reader on the register accounts: whoever reads the registers after the host region is lost (the read-access geo-secondary, the replica) activates it for the recovery or drill. Never a standing read. Needs Microsoft Entra ID P2 or Governance (docs/dr-runbook.md).",
    ),
    recoveryReaderEligibilityDays: wholeNumber("days", 0, 3650)
      .default(0)
      .describe(
        "How long the recovery readers' PIM eligibility lasts: 0 (default) makes it permanent; set the tenant's maximum (e.g. 365) where its PIM role settings for Storage Blob Data Reader forbid permanent eligible assignments, and renew with `pulumi up --replace` before it ends.",
      ),
    policyEnforcement: z
      .enum(["Deny", "Audit"])
      .default(governance.enforcement)
      .describe("Effect of the Azure Policy baseline assigned to the resource group."),
    logRetentionDays: wholeNumber("days", ...range(logAnalyticsLimits.retentionDays))
      .default(governance.logRetentionDays)
      .describe("Log Analytics retention in days (CIS asks ≥ 365)."),
    flowLogRetentionDays: wholeNumber("days", ...range(flowLogLimits.retentionDays))
      .default(governance.flowLogRetentionDays)
      .describe("Days Network Watcher keeps the VNet flow logs (0: forever; prod and dr need 0 or 365)."),
    networkWatcherResourceGroup: z
      .string()
      .regex(/^[-\w._()]{1,90}$/, "must be a resource group name")
      .default(governance.networkWatcherResourceGroup)
      .describe("Resource group of the regions' Network Watchers (NetworkWatcher_<region>), where the VNet flow logs are created."),
    defenderForStorage: z
      .boolean()
      .optional()
      .describe(
        "Microsoft Defender for Storage (activity anomalies, on-upload malware scanning) for the whole subscription; unset: on in prod and dr, off in dev. Billed per storage account and per GB scanned (docs/auditor-guide.md).",
      ),
    defenderForKeyVault: z
      .boolean()
      .optional()
      .describe("Microsoft Defender for Key Vault for the whole subscription; unset: on in prod and dr, off in dev. Billed per vault (docs/auditor-guide.md)."),
    alertEmails: z.array(z.email("must be an e-mail address")).default([]).describe("E-mail receivers of security alerts (at least one in prod and dr)."),
  })
  .strict();

/** Raw (input) shape of the settings, as in the stack file. */
export type SettingsInput = z.input<typeof settingsSchema>;

/** The validated, defaulted settings the components consume. */
export type Settings = Readonly<z.output<typeof settingsSchema>>;

/** The config keys of the `data-embassy` namespace. */
export type SettingsKey = keyof Settings;
