import { InvalidArgumentError } from "commander";
import { euRegionNames, findRegion } from "../../catalog/regions";
import { types } from "../../catalog/resourceTypes";
import type { Settings } from "../../settings";
import type { Capture } from "../engine/capture";
import { criticalPath } from "./criticalPath";
import { RegionLossSection, rtoText } from "../reports/regionLoss";
import { dutiesOf, lossText, regionLossReport, regionsToLose } from "./regionLoss";
import { restoreEstimate } from "./restoreEstimate";

/**
 * `plan --lose <region>[,<region>…]` (repeatable; `all` = every region the plan touches): the
 * plan's glue to tools/analysis/regionLoss.ts. The report's section always covers every region the plan
 * touches; the regions `--lose` names are printed, and a register lost with any of them makes the
 * plan exit {@link regionLossExitCode}.
 */

/** Exit code of a plan in which a register would not survive the loss of a region `--lose` names. */
export const regionLossExitCode = 4;

/** Commander's collector for `--lose`: catalog regions (any spelling the catalog knows) or `all`; anything else is a usage error. */
export function collectLose(value: string, previous: string[]): string[] {
  const names = value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (names.length === 0) throw new InvalidArgumentError("give a region, a comma-separated list of regions, or all");
  const unknown = names.filter((n) => n !== "all" && findRegion(n) === undefined);
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown Azure region ${unknown.map((u) => `"${u}"`).join(", ")}; use all or one of ${euRegionNames.join(", ")}`);
  return [...new Set([...previous, ...names.map((n) => (n === "all" ? n : (findRegion(n)?.name ?? n)))])];
}

/** The regions `--lose` asks for, `all` expanded to the regions the plan touches. */
export function requestedRegions(capture: Capture, lose: readonly string[]): string[] {
  return [...new Set(lose.flatMap((r) => (r === "all" ? regionsToLose(capture) : [r])))];
}

/** The section for the report and the lines for the terminal, from one capture and the stack's settings. */
export interface RegionLossRun {
  readonly section: RegionLossSection;
  /** Terminal lines: each requested region's verdict, then the RTO estimate. */
  readonly lines: readonly string[];
  /** Requested regions whose loss loses a register. */
  readonly failing: readonly string[];
}

/**
 * Runs the analysis for every region the plan touches and every region `lose` names. Registers,
 * their sizes and the duties come from the embassy's settings; without them (another project) the
 * containers' `register` metadata names the registers and every principal counts as a duty.
 */
export function regionLossRun(capture: Capture, settings: Settings | undefined, lose: readonly string[]): RegionLossRun {
  const requested = requestedRegions(capture, lose);
  const regions = [...new Set([...regionsToLose(capture), ...requested])];
  const input = { capture, registers: settings?.registers.map((r) => r.name), duties: settings === undefined ? undefined : dutiesOf(settings) };
  const verdicts = regionLossReport(input, regions);
  // The data lands in the account that holds the registers: the host's.
  const account = capture.resources.find((r) => r.type === types.storageAccount);
  const hostRegion = settings?.hostRegion ?? (typeof account?.inputs.location === "string" ? account.inputs.location : undefined);
  const restore = settings === undefined || hostRegion === undefined ? undefined : restoreEstimate(settings.registers, hostRegion);
  const section: RegionLossSection = { verdicts, restore, criticalPathMinutes: criticalPath(capture).minutes };
  const asked = verdicts.filter((v) => requested.includes(v.region));
  const rto = rtoText(section);
  return {
    section,
    lines: [...asked.flatMap(lossText), ...(rto === undefined ? [] : [rto])],
    failing: asked.filter((v) => !v.survives).map((v) => v.region),
  };
}
