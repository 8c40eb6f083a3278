import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { phaseTag } from "../../catalog/phases";
import { builtInRoles } from "../../catalog/roles";
import type { Settings } from "../../settings";
import { protectStorageAccount } from "../embassyBackup/embassyBackup";
import { deleteLock, diagnosticSettings } from "../embassyGovernance/guards";
import { keyExpiryAlerts } from "../embassyGovernance/keyExpiry";
import { createPrivateLink } from "../embassyNetwork";
import { KeyCustody } from "../keyCustody";
import { allGoverned, EmbassyContext, Governed } from "../shared";
import { registerWriterRole } from "../embassyGovernance/access";
import { recoveryReaderEligibility } from "../embassyGovernance/recoveryReaders";
import { roleDefinitionId } from "../shared/roles";
import { RegisterContainer, SovereignStorage } from "../sovereignStorage";
import { keyCustodyArgs, storageArgs } from "./args";
import { DataEmbassy, embassyTags } from "./dataEmbassy";
import { openForIngest } from "./phasePlan";
import { allRegisterContainers, registersByShard, shardGoverned, ShardNamer, StorageShard } from "./shards";

/**
 * Register-shard stacks (docs/scale.md): for the largest states, registers beyond one stack's
 * comfort go into stacks of their own, each a bounded blast radius and a plan of bounded cost. A
 * shard stack reads its core stack (the embassy stack: resource group, network, workspace, backup
 * vault and policy) through a `pulumi.StackReference` and builds, for its registers only: a Key
 * Vault of its own with one key per register and the accounts' key (KeyCustody, as the core does,
 * but without a backup key: its accounts are backed up in the core's vault under the core's key),
 * its storage-account shards (SovereignStorage, named from `firstShard` on), their private
 * endpoints in the core's endpoint subnet and DNS zones (the read-access secondaries' in the core's
 * standby site, with a standby identity of that region), delete locks, diagnostics into the core's
 * workspace, key near-expiry and expiry alerts of its vault to the core's action group, a backup
 * instance per account in the core's vault, the ingest grants on its containers and the recovery
 * readers' eligibility on its accounts.
 */

/** What the core stack exports for its shard stacks (stack output `shardInterface`). */
export interface ShardInterface {
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly namePrefix: string;
  readonly environment: string;
  readonly phase: string;
  /** The core's random name suffix: shard stacks name their resources with it. */
  readonly nameSuffix: string;
  /** Storage-account shards the core holds itself (0 … shards-1): shard stacks number theirs above. */
  readonly shards: number;
  readonly privateEndpointSubnetId: string;
  readonly privateDnsZoneIds: Readonly<Record<string, string>>;
  readonly workspaceId: string;
  /** The vault and policy shard stacks protect their accounts in (every embassy has one; shard stacks need a paired host). */
  readonly backup?: { readonly vaultName: string; readonly vaultPrincipalId: string; readonly policyId: string };
  /** The write-only register role, once a register is open for ingest in the core. */
  readonly registerWriterRoleId?: string;
  /**
   * The action group every alert of the core notifies: shard stacks send their vault's key-expiry
   * events to it. Absent from the plans and deployments of a core from before it was exported.
   */
  readonly actionGroupId?: string;
  /**
   * The core's standby site in the host's geo-pair (StandbySite): shard stacks put their accounts'
   * `blob_secondary` endpoints in its subnet and give their accounts a standby identity of its
   * region, as the core does. Absent from a core from before it was exported.
   */
  readonly standby?: { readonly region: string; readonly privateEndpointSubnetId: string };
}

/** The core stack's {@link ShardInterface}, from its embassy. */
export function shardInterface(embassy: DataEmbassy, settings: Settings): pulumi.Output<ShardInterface> {
  return pulumi.output({
    resourceGroupName: embassy.resourceGroupName,
    resourceGroupId: embassy.resourceGroupId,
    location: embassy.location,
    namePrefix: settings.namePrefix,
    environment: settings.environment,
    phase: settings.phase,
    nameSuffix: embassy.nameSuffix,
    shards: embassy.shards.length,
    privateEndpointSubnetId: embassy.network.privateEndpointSubnetId,
    privateDnsZoneIds: pulumi.output(embassy.network.privateDnsZoneIds),
    workspaceId: embassy.governance.workspaceId,
    backup: pulumi.output({ vaultName: embassy.backup.vaultName, vaultPrincipalId: embassy.backup.vaultPrincipalId, policyId: embassy.backup.policyId }),
    registerWriterRoleId: embassy.governance.registerWriterRoleId,
    actionGroupId: embassy.governance.actionGroupId,
    standby:
      embassy.standbySite === undefined
        ? undefined
        : pulumi.output({ region: embassy.standbySite.context.location, privateEndpointSubnetId: embassy.standbySite.network.privateEndpointSubnetId }),
  }) as pulumi.Output<ShardInterface>;
}

/** Why this shard stack's settings do not fit its core; empty when they do. */
export function coreMismatches(core: ShardInterface, settings: Settings): string[] {
  const problems: string[] = [];
  const same = (key: "location" | "namePrefix" | "environment" | "phase", mine: string, label: string) => {
    if (core[key] !== mine) problems.push(`${label} is ${mine} here but ${core[key]} in the core stack: a shard stack follows its core`);
  };
  same("location", settings.hostRegion, "hostRegion");
  same("namePrefix", settings.namePrefix, "namePrefix");
  same("environment", settings.environment, "environment");
  same("phase", settings.phase, "phase");
  if ((settings.firstShard ?? 0) < core.shards) {
    problems.push(
      `firstShard ${settings.firstShard} is taken: the core stack holds shards 0 to ${core.shards - 1}, so a shard stack starts at ${core.shards} or above`,
    );
  }
  return problems;
}

/**
 * Reads the core stack's {@link ShardInterface} through a `pulumi.StackReference` to
 * `settings.coreStack` and checks that this stack fits it; rejects, naming every mismatch, before
 * anything is built against the wrong core.
 */
export async function readCore(settings: Settings): Promise<ShardInterface> {
  if (settings.coreStack === undefined) throw new Error("readCore needs settings with coreStack");
  const reference = new pulumi.StackReference(`core-${settings.coreStack.replace(/\//g, "-")}`, { name: settings.coreStack });
  const core = (await reference.requireOutputValue("shardInterface")) as ShardInterface;
  const problems = coreMismatches(core, settings);
  if (problems.length > 0) throw new Error(`this register-shard stack does not fit its core stack ${settings.coreStack}: ${problems.join("; ")}`);
  return core;
}

/** Arguments of {@link RegisterShardStack}. */
export interface RegisterShardStackArgs {
  /** Validated settings with `coreStack` and `firstShard` set. */
  readonly settings: Settings;
  /** The core stack's interface, read and checked by {@link readCore}. */
  readonly core: ShardInterface;
}

/** One register-shard stack: see the module comment. */
export class RegisterShardStack extends pulumi.ComponentResource {
  /** The shard stack's own key vault, one key per register. */
  readonly keys: KeyCustody;
  /** Its storage-account shards, from `firstShard` on. */
  readonly shards: readonly StorageShard[];
  /** Every register's container and encryption scope. */
  readonly registerContainers: Readonly<Record<string, RegisterContainer>>;
  /** Private endpoint per data service: ARM id. */
  readonly privateEndpoints: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * What an auditor asks for first, as the core's `auditEvidence` gives it for the core: per
   * control, this stack's resources that satisfy it (locks, the key vault's and blob services' logs).
   */
  readonly evidence: pulumi.Output<Record<string, string[]>>;
  /** What stays manual after `pulumi up`: confirm the key-expiry subscription and rotate each key once. */
  readonly manualSteps: pulumi.Output<string[]>;

  constructor(name: string, args: RegisterShardStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:RegisterShardStack", name, {}, opts);
    const { settings, core } = args;
    const first = settings.firstShard;
    if (settings.coreStack === undefined || first === undefined) throw new Error("RegisterShardStack needs settings with coreStack and firstShard");
    const client = authorization.getClientConfigOutput({ parent: this });
    const parts = { prefix: settings.namePrefix, environment: settings.environment };
    // The phase tag tells the policy pack the lifecycle state; in a core stack its resource group carries it.
    const tags = { ...embassyTags(settings), [phaseTag]: settings.phase };
    const context = (shard: number): EmbassyContext => ({
      resourceGroupName: core.resourceGroupName,
      resourceGroupId: core.resourceGroupId,
      location: settings.hostRegion,
      namer: new ShardNamer(parts, core.nameSuffix, shard),
      tags,
      protect: settings.protectResources,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
    });
    const child = { parent: this };

    // No backup key: its accounts are backed up in the core's vault, under the core's backup key.
    // The standby identity lives where the core's standby site is (none against a core from before it was exported).
    this.keys = new KeyCustody(`${name}-keys`, { ...keyCustodyArgs(settings, context(first)), backupKey: false, standbyRegion: core.standby?.region }, child);
    const governed: Governed[] = [this.keys.governed];
    const shards: StorageShard[] = [];
    registersByShard(settings).forEach((registers, i) => {
      const index = first + i;
      const storage = new SovereignStorage(`${name}-storage-shard${index}`, storageArgs(settings, context(index), this.keys, undefined, registers), child);
      // Shard stacks are refused on a host without a geo-pair (settings/crossKeyRules.ts shardRules), so every account here is backed up in the core's vault.
      const backedUp = protectStorageAccount(
        `${name}-backup-shard${index}`,
        backupOf(core, settings),
        { id: storage.accountId, name: storage.accountName },
        registers.map((r) => ({ name: r.name, id: storage.registers[r.name].containerId, legalHold: r.legalHold })),
        { context: context(index), roleAssignmentPropagationWait: settings.roleAssignmentPropagationWait, parent: this },
      );
      shards.push({
        index,
        storage,
        registers: registers.map((r) => r.name),
        backupInstanceId: backedUp.instanceId,
        excludedContainers: backedUp.excludedContainers,
      });
      governed.push(shardGoverned(storage.governed, index));
    });
    this.shards = shards;
    this.registerContainers = allRegisterContainers(shards);
    const all = allGoverned(...governed);

    // Reached privately only, in the core's endpoint subnet and DNS zones; a read-access secondary
    // from the core's standby site in the pair, as the core's own (StandbySite).
    const placement = {
      context: context(first),
      subnetId: core.privateEndpointSubnetId,
      zoneId: (zone: string) => zoneOf(core, zone),
      resourcePrefix: `${name}-network`,
    };
    const standby = core.standby;
    const standbyPlacement =
      standby === undefined
        ? placement
        : { ...placement, context: { ...placement.context, location: standby.region }, subnetId: standby.privateEndpointSubnetId };
    this.privateEndpoints = Object.fromEntries(
      all.privateLinks.map(({ service, resourceId, groupId }) => [
        `${service}-${groupId}`,
        createPrivateLink(service, { resourceId, groupId }, groupId === "blob_secondary" ? standbyPlacement : placement, child).id,
      ]),
    );
    // Locked and logged like the core's own (EmbassyGovernance uses the same guards).
    const proof: Record<string, pulumi.Output<string>[]> = { "delete-locks": [], "kv-audit-logs": [], "blob-logging": [], "keys-rotation": [] };
    for (const target of all.locks) proof["delete-locks"].push(deleteLock(`${name}-governance`, target, settings.protectResources, this).id);
    for (const target of all.diagnostics) {
      for (const { setting, profile } of diagnosticSettings(`${name}-governance`, target, core.workspaceId, this)) {
        if (target.kind === "keyVault") proof["kv-audit-logs"].push(setting.id);
        if (profile.subResource === "/blobServices/default") proof["blob-logging"].push(setting.id);
      }
    }
    // Key near-expiry and expiry reach the core's action group, as the core's own vault's do (keyExpiry.ts).
    const expiry = this.keyExpiry(name, settings, context(first), core);
    proof["keys-rotation"].push(...expiry.ids);
    this.manualSteps = expiry.manualSteps;
    this.evidence = pulumi.output(proof) as pulumi.Output<Record<string, string[]>>;
    this.grants(name, settings, context(first), core);

    this.registerOutputs({ privateEndpoints: this.privateEndpoints, vaultUri: this.keys.vaultUri, evidence: this.evidence, manualSteps: this.manualSteps });
  }

  /**
   * The key-expiry alerting of this stack's vault: the governance code the core uses for its own
   * (an Event Grid system topic in the vault's region and a subscription to the core's action
   * group). A core from before it exported its action group gets none, with a warning to update it.
   */
  private keyExpiry(
    name: string,
    settings: Settings,
    context: EmbassyContext,
    core: ShardInterface,
  ): { ids: readonly pulumi.Output<string>[]; manualSteps: pulumi.Output<string[]> } {
    if (core.actionGroupId === undefined) {
      const warning = `core stack ${settings.coreStack} exports no actionGroupId in shardInterface, so key near-expiry and expiry of this stack's key vault reach nobody: run pulumi up on the core, then on this stack again`;
      pulumi.log.warn(warning, this);
      return { ids: [], manualSteps: pulumi.output([warning]) };
    }
    const store = { kind: this.keys.keyManagement, id: this.keys.vaultId, name: this.keys.vaultName, location: context.location };
    return keyExpiryAlerts(`${name}-governance`, context, store, core.actionGroupId, { parent: this, keyOutputs: "storageKeyUri and registerKeyUris" });
  }

  /**
   * What the core's governance grants on its own resources, for this stack's: auditors read the key
   * vault (the resource group's Reader, from the core, covers the rest), and the ingest principals
   * write the registers open for ingest, through the core's write-only role.
   */
  private grants(name: string, settings: Settings, context: EmbassyContext, core: ShardInterface): void {
    for (const principalId of settings.auditors) {
      new authorization.RoleAssignment(
        `${name}-auditor-kv-reader-${principalId}`,
        {
          principalId,
          roleDefinitionId: roleDefinitionId(context.subscriptionId, builtInRoles.keyVaultReader),
          scope: this.keys.vaultId,
          description: "Data embassy auditor: Key Vault Reader",
        },
        { parent: this },
      );
    }
    // Recovery readers are eligible to read this stack's accounts as they are the core's (recoveryReaders.ts).
    recoveryReaderEligibility(
      `${name}-governance`,
      {
        subscriptionId: context.subscriptionId,
        readers: settings.recoveryReaders,
        scopes: Object.fromEntries(this.shards.map((s) => [`shard${s.index}`, s.storage.accountId])),
        eligibilityDays: settings.recoveryReaderEligibilityDays,
      },
      this,
    );
    const open = openForIngest(settings);
    if (open.length === 0 || settings.dataIngestPrincipals.length === 0) return;
    const writer = core.registerWriterRoleId;
    if (writer === undefined) {
      throw new Error(`core stack ${settings.coreStack} has no register writer role: open the core for ingest (phase sealed) before its shard stacks`);
    }
    for (const principalId of settings.dataIngestPrincipals) {
      for (const register of open) {
        new authorization.RoleAssignment(
          `${name}-ingest-${principalId}-${register.name}`,
          {
            principalId,
            roleDefinitionId: writer,
            scope: this.registerContainers[register.name].containerId,
            description: `Data embassy dataIngest: ${registerWriterRole.roleName}`,
          },
          { parent: this },
        );
      }
    }
  }
}

/** The core's vault, read from its outputs (a core planned or deployed before it exported one has none). */
function backupOf(core: ShardInterface, settings: Settings): NonNullable<ShardInterface["backup"]> {
  if (core.backup === undefined) throw new Error(`core stack ${settings.coreStack} exports no backup vault in shardInterface: run pulumi up on the core first`);
  return core.backup;
}

/** The core's private DNS zone of `zone`. */
function zoneOf(core: ShardInterface, zone: string): string {
  const id = core.privateDnsZoneIds[zone];
  if (id === undefined) throw new Error(`the core stack has no private DNS zone ${zone}`);
  return id;
}
