import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings";
import type { Register } from "../../settings/registers";
import { assignShards, shardQualifier } from "../../settings/shards";
import type { EmbassyBackup } from "../embassyBackup";
import type { KeyCustody } from "../keyCustody";
import { allGoverned, EmbassyContext, Governed } from "../shared";
import { NameKind, Namer, namingRules } from "../shared/naming";
import { RegisterContainer, SovereignStorage } from "../sovereignStorage";
import { storageArgs } from "./args";

/**
 * Storage-account shards of one embassy stack (settings/shards.ts decides who goes where): shard 0
 * is `DataEmbassy.storage`, built as before sharding existed, with its names and URNs; every further
 * shard is a whole SovereignStorage of its own (account, encryption scopes, containers, WORM,
 * private endpoints, lock, diagnostics) plus its own backup instance in the embassy's vault. Only a
 * paired host has further shards (settings/crossKeyRules.ts shardRules): an unpaired host's one
 * account is replicated to its replica site. Azure's vaulted blob backup protects
 * one storage account per backup instance and at most 100 of its containers
 * (https://learn.microsoft.com/azure/backup/blob-backup-support-matrix), so this is how an embassy
 * keeps more than 100 registers, every one of them backed up.
 */

/** One storage-account shard. */
export interface StorageShard {
  /** 0 for the stack's first account. */
  readonly index: number;
  readonly storage: SovereignStorage;
  /** Registers whose containers it holds, in declaration order. */
  readonly registers: readonly string[];
  /** Its backup instance (undefined only in a register-shard stack whose core has no vault). */
  readonly backupInstanceId?: pulumi.Output<string>;
  /** Its registers left out of the backup instance (under legal hold: Azure cannot back them up). */
  readonly excludedContainers: readonly string[];
}

/** The registers of each shard, shard 0 first (settings are validated: the assignment has no problem). */
export function registersByShard(settings: Settings): Register[][] {
  const { shards } = assignShards(settings.registers, settings.registersPerShard);
  return shards.map((members) => members.map((i) => settings.registers[i]));
}

/**
 * Names shard `shard`'s resources: every name gets the shard's qualifier (`s1`, so the account is
 * `st<prefix>emb<env>s1<suffix>` and its replica `…s1r…`), so shards never collide.
 */
export class ShardNamer extends Namer {
  constructor(
    parts: { prefix: string; environment: string },
    suffix: pulumi.Input<string>,
    private readonly shard: number,
  ) {
    super(parts, suffix);
  }

  override name(kind: NameKind, qualifier?: string): pulumi.Output<string> {
    return super.name(kind, shardQualifier(this.shard, qualifier, namingRules[kind].hyphenated));
  }

  override localName(kind: NameKind, qualifier?: string): string {
    return super.localName(kind, shardQualifier(this.shard, qualifier, namingRules[kind].hyphenated));
  }
}

/** A shard's governed targets, relabelled so that its lock, diagnostics and endpoints are its own. */
export function shardGoverned(governed: Governed, shard: number): Governed {
  const label = (name: string) => `${name}-shard${shard}`;
  return {
    locks: governed.locks.map((l) => ({ ...l, name: label(l.name) })),
    diagnostics: governed.diagnostics.map((d) => ({ ...d, name: label(d.name) })),
    privateLinks: governed.privateLinks.map((p) => ({ ...p, service: label(p.service) })),
  };
}

/** What {@link buildShards} needs from the embassy. */
export interface ShardInputs {
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly settings: Settings;
  readonly context: EmbassyContext;
  /** The stack's random name suffix. */
  readonly suffix: pulumi.Input<string>;
  readonly keys: KeyCustody;
  /** Shard 0, already built. */
  readonly first: SovereignStorage;
  /** The embassy's vault. */
  readonly backup?: EmbassyBackup;
}

/** Builds shards 1… and returns every shard, shard 0 first, with what they need governed. */
export function buildShards(inputs: ShardInputs): { shards: StorageShard[]; governed: Governed } {
  const { name, parent, settings, context, suffix, keys, first, backup } = inputs;
  const groups = registersByShard(settings);
  const names = (registers: readonly Register[]) => registers.map((r) => r.name);
  const backupInstanceId = backup?.instanceIds.apply((ids) => ids[0]);
  const shards: StorageShard[] = [
    { index: 0, storage: first, registers: names(groups[0]), backupInstanceId, excludedContainers: backup?.excludedContainers ?? [] },
  ];
  const governed: Governed[] = [];
  groups.forEach((registers, index) => {
    // Shard 0 is DataEmbassy.storage; an unused shard number (a gap left by pins) builds nothing.
    if (index === 0 || registers.length === 0) return;
    const shardContext: EmbassyContext = {
      ...context,
      namer: new ShardNamer({ prefix: settings.namePrefix, environment: settings.environment }, suffix, index),
    };
    const storage = new SovereignStorage(`${name}-storage-shard${index}`, storageArgs(settings, shardContext, keys, undefined, registers), { parent });
    const instance = backup?.protectAccount(
      `shard${index}`,
      { id: storage.accountId, name: storage.accountName },
      registers.map((r) => ({ name: r.name, id: storage.registers[r.name].containerId, legalHold: r.legalHold })),
    );
    shards.push({
      index,
      storage,
      registers: names(registers),
      backupInstanceId: instance?.instanceId,
      excludedContainers: instance?.excludedContainers ?? [],
    });
    governed.push(shardGoverned(storage.governed, index));
  });
  return { shards, governed: allGoverned(...governed) };
}

/** Every register's container, across the shards. */
export function allRegisterContainers(shards: readonly StorageShard[]): Readonly<Record<string, RegisterContainer>> {
  return Object.assign({}, ...shards.map((s) => s.storage.registers)) as Record<string, RegisterContainer>;
}
