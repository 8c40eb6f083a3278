import { dataRestoreFigures, storageIngressGbps } from "../../catalog/limits";

/**
 * The data part of the recovery time: how long getting the registers' bytes back into a storage
 * account takes at best, from the sizes the registers declare (`registers[].sizeGiB`) and the
 * figures Microsoft publishes (catalog/limits.ts dataRestoreFigures). The infrastructure part is
 * the critical path (tools/analysis/criticalPath.ts); the two add up to the plan's RTO estimate.
 */

/** Gigabits in one GiB (2^30 bytes × 8). */
const gigabitsPerGiB = 8.589934592;

/** A register as the estimate needs it. */
export interface SizedRegister {
  readonly name: string;
  readonly sizeGiB?: number;
}

/** The data-restore estimate of a set of registers restored into one account. */
export interface RestoreEstimate {
  /** Sum of the declared sizes. */
  readonly totalGiB: number;
  /** Registers that declare no size (not in the total). */
  readonly unsized: readonly string[];
  /** Region of the account restored into. */
  readonly region: string;
  /** That account's default ingress target (Gbps). */
  readonly ingressGbps: number;
  /** Lower bound, minutes: the total at the ingress target (one decimal, rounded up). */
  readonly minutes: number;
  /** Typical minutes of an account failover, the path that moves no data (size-independent). */
  readonly failoverMinutes: number;
}

/** Minutes to write `gib` GiB into an account in `region` at its ingress target (one decimal, rounded up). */
export function restoreMinutes(gib: number, region: string): number {
  return Math.ceil(((gib * gigabitsPerGiB) / storageIngressGbps(region) / 60) * 10) / 10;
}

/**
 * The estimate for restoring `registers` into an account in `region`; undefined when no register
 * declares a size (the plan then shows no data-restore estimate rather than a made-up one).
 */
export function restoreEstimate(registers: readonly SizedRegister[], region: string): RestoreEstimate | undefined {
  const sized = registers.filter((r) => r.sizeGiB !== undefined);
  if (sized.length === 0) return undefined;
  const totalGiB = sized.reduce((sum, r) => sum + (r.sizeGiB ?? 0), 0);
  return {
    totalGiB,
    unsized: registers.filter((r) => r.sizeGiB === undefined).map((r) => r.name),
    region,
    ingressGbps: storageIngressGbps(region),
    minutes: restoreMinutes(totalGiB, region),
    failoverMinutes: dataRestoreFigures.accountFailoverMinutes,
  };
}

/** One line for the plan summary and reports: "data restore ≥ 2.9 min (1,250 GiB at 60 Gbps into francecentral)". */
export function restoreEstimateText(e: RestoreEstimate): string {
  const unsized = e.unsized.length === 0 ? "" : `; no size declared: ${e.unsized.join(", ")}`;
  return `data restore ≥ ${e.minutes} min (${e.totalGiB.toLocaleString("en-US")} GiB at the ${e.ingressGbps} Gbps ingress target of an account in ${e.region}${unsized})`;
}
