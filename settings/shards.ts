import { storageAccountLimits, vaultedBlobLimits } from "../catalog/limits";

/**
 * Storage-account shards: the registers spread over several storage accounts, because a vaulted
 * blob backup instance protects one account and at most 100 of its containers (catalog/limits.ts
 * cites Microsoft's support matrix). Each shard is a whole SovereignStorage (account, scopes,
 * containers, private endpoints, lock, diagnostics) with its own backup instance.
 *
 * The assignment is stable under appending: a register's shard depends only on the registers
 * declared before it. A register with `shard` set goes there; one without goes to the lowest shard
 * that still has room when it is reached in declaration order. So adding a register at the end of
 * the list never moves an existing one; removing or reordering registers can, so pin (`shard`) the
 * registers after the change first (docs/scale.md). A move would replace a protected container, and
 * Pulumi refuses to delete a protected resource, so it cannot happen unnoticed.
 */

/** The most registers a shard may hold: Azure's vaulted blob backup limit per account. */
export const maxRegistersPerShard = vaultedBlobLimits.containers;

/** What the assignment needs of a register. */
export interface ShardableRegister {
  readonly name: string;
  /** Explicit shard; undefined: the first with room. */
  readonly shard?: number;
}

/** A problem with the assignment, on the config key that decides it. */
export interface ShardProblem {
  readonly key: string;
  readonly message: string;
}

/** The registers' shards, in declaration order, and what makes the assignment impossible. */
export interface ShardAssignment {
  /** `shardOf[i]`: the shard of `registers[i]`. */
  readonly shardOf: readonly number[];
  /** Register indexes per shard, shard 0 first; a shard no register uses is an empty list. */
  readonly shards: readonly (readonly number[])[];
  readonly problems: readonly ShardProblem[];
}

/**
 * Assigns every register a shard of at most `perShard` registers. Every register counts, legal hold
 * or not: a hold can be lifted, and the register must then fit in its shard's backup instance.
 */
export function assignShards(registers: readonly ShardableRegister[], perShard: number = maxRegistersPerShard): ShardAssignment {
  const counts: number[] = [];
  const shardOf: number[] = [];
  const problems: ShardProblem[] = [];
  const count = (shard: number) => counts[shard] ?? 0;
  registers.forEach((register, i) => {
    let shard = register.shard;
    if (shard === undefined) {
      shard = 0;
      while (count(shard) >= perShard) shard++;
    } else if (count(shard) >= perShard) {
      problems.push({
        key: `registers[${i}].shard`,
        message: `shard ${shard} already holds ${count(shard)} registers, the most registersPerShard (${perShard}) allows: pin "${register.name}" to another shard or leave shard unset`,
      });
    }
    counts[shard] = count(shard) + 1;
    shardOf.push(shard);
  });
  const used = Math.max(-1, ...shardOf) + 1;
  const shards = Array.from({ length: used }, (_, s) => shardOf.flatMap((of, i) => (of === s ? [i] : [])));
  if (used > storageAccountLimits.maxShards) {
    problems.push({
      key: "registers",
      message: `${registers.length} registers need ${used} shards of at most ${perShard}; the embassy builds at most ${storageAccountLimits.maxShards} storage-account shards per stack (Azure allows ${storageAccountLimits.perRegionPerSubscription} accounts per region and subscription): raise registersPerShard or split the embassy into shard stacks (docs/scale.md)`,
    });
  }
  if (registers.length > 0 && shards[0]?.length === 0) {
    problems.push({
      key: "registers",
      message: "no register is in shard 0: the first shard is the stack's main storage account and must hold a register; unpin one or pin it to shard 0",
    });
  }
  return { shardOf, shards, problems };
}

/**
 * The name qualifier of shard `shard`'s resources (`s1`, `s1r` for its replica account): shard 0
 * has none, so the first account keeps the name it had before sharding existed.
 */
export function shardQualifier(shard: number, qualifier?: string, hyphenated = false): string | undefined {
  if (shard === 0) return qualifier;
  const tag = `s${shard}`;
  if (qualifier === undefined || qualifier === "") return tag;
  return hyphenated ? `${tag}-${qualifier}` : `${tag}${qualifier}`;
}
