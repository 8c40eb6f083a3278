import * as fs from "fs";
import * as path from "path";
import { findCountry } from "../../catalog/countries";
import { findRegion, geoSecondary, greatCircleKm, Region, regions } from "../../catalog/regions";
import { rawSettings, Settings, SettingsProblem, validateSettings } from "../../settings";
import { copyPlacements, CopyPlacement } from "../../settings/crossKeyRules";
import { checkableScript } from "../scriptHelp";
import { criticalPath } from "../analysis/criticalPath";
import { runStack } from "../engine/engine";
import { PolicyConfigError } from "../gate/policyConfig";
import { PolicyRunner } from "../gate/policyRunner";
import { dutiesOf, regionLossReport, regionsToLose } from "../analysis/regionLoss";
import { restoreMinutes } from "../analysis/restoreEstimate";
import { ProjectSettingsError, readProjectSettings } from "../engine/projectSettings";
import { readStackConfig, StackFileError } from "../engine/stackConfig";
import { packConfigFor } from "../gate/stackPackConfig";

/**
 * `npm run gen:dr-regions [-- --check]`: the `dr` stack re-provisioned into every EU region of the
 * catalog, measured — docs/dr-regions.md — and the region list that .github/workflows/dr.yml
 * offers, generated from the same catalog and settings.
 *
 * The measured configuration of a region is Pulumi.dr.yaml with
 * - `hostRegion` and `azure-native:location` set to the region (what dr.yml overrides);
 * - for a host without a geo-pair, `objectReplicationRegion` chosen by {@link replicationRegionFor};
 * - `approvedRegions` extended by the host and the regions its copies land in: approving a region
 *   is a sovereignty decision made in Pulumi.dr.yaml by a reviewed change, so the table shows what
 *   every other rule says once that decision is made, and the "dr.yml" column what the stack file
 *   as committed accepts.
 * Each configuration runs through the real offline engine (`runStack`, the program under Pulumi's
 * mocks) and, when the program accepts its settings, through the real policy pack with the pack
 * config made from those settings — as `npm run plan -- --stack dr --config …` does.
 */

const repoRoot = path.resolve(__dirname, "..", "..");
/** The stack the table measures. */
export const drStack = "dr";
/** The generated table (repository-relative). */
export const tableFile = path.join("docs", "dr-regions.md");
/** The DR workflow whose region list is generated (repository-relative). */
export const workflowFile = path.join(".github", "workflows", "dr.yml");

/** The dr stack's validated settings as committed. */
export function drSettings(projectDir = repoRoot): Settings {
  const read = readProjectSettings(projectDir, drStack);
  if (read.kind !== "embassy") throw new ProjectSettingsError(`Pulumi.${drStack}.yaml is not a stack of the embassy`);
  return read.settings;
}

/** The problems the settings of the dr stack with `overrides` have (none: the program accepts them). */
export function drProblems(overrides: Record<string, unknown>, projectDir = repoRoot): SettingsProblem[] {
  return validateSettings(rawSettings(readStackConfig(projectDir, drStack, overrides).values)).problems;
}

/** The overrides dr.yml applies for a region. */
export function workflowOverrides(region: string): Record<string, unknown> {
  return { hostRegion: region, "azure-native:location": region };
}

/**
 * The regions dr.yml offers: every catalogued region the dr stack's settings accept as its host
 * with only `hostRegion` and `azure-native:location` overridden (EU, approved, abroad, far enough,
 * neither the lost primary nor its pair, no copy in them), in catalog order.
 */
export function workflowRegions(projectDir = repoRoot): string[] {
  return [...regions.keys()].filter((name) => drProblems(workflowOverrides(name), projectDir).length === 0);
}

/**
 * The documented rule for `objectReplicationRegion` of a host without a geo-pair: the region
 * nearest to the host (great circle; ties by name) among the catalog's EU regions that
 * - is in another country than the host and than home, and at least `minDistanceKm` from home;
 * - is not restricted (the replica account must be deployable without an access request);
 * - is neither the lost primary nor its pair, and neither is its own geo-secondary (the replica
 *   account is geo-redundant where its region has a pair).
 * Undefined for a paired host, or when no region qualifies.
 */
export function replicationRegionFor(host: Region, settings: Settings): Region | undefined {
  if (geoSecondary(host.name) !== undefined) return undefined;
  const home = findCountry(settings.homeCountry);
  const lost = settings.drPrimaryRegion === undefined ? undefined : findRegion(settings.drPrimaryRegion);
  const avoid = new Set([lost?.name, lost === undefined ? undefined : geoSecondary(lost.name)?.name].filter((n): n is string => n !== undefined));
  return [...regions.values()]
    .filter(
      (r) =>
        r.eu &&
        !r.restricted &&
        r.name !== host.name &&
        r.country !== host.country &&
        r.country !== home?.code &&
        (home === undefined || Math.round(greatCircleKm(home, r)) >= settings.minDistanceKm) &&
        !avoid.has(r.name) &&
        !avoid.has(geoSecondary(r.name)?.name ?? ""),
    )
    .sort((a, b) => greatCircleKm(host, a) - greatCircleKm(host, b) || a.name.localeCompare(b.name))[0];
}

/** The configuration a region is measured with (see the file comment). */
export function measuredOverrides(host: Region, settings: Settings): Record<string, unknown> {
  const replica = replicationRegionFor(host, settings);
  const copies = copyPlacements(host.name, replica?.name).map((c) => c.region);
  const approved = [...new Set([...settings.approvedRegions, host.name, ...(replica === undefined ? [] : [replica.name]), ...copies])];
  return { ...workflowOverrides(host.name), approvedRegions: approved, ...(replica === undefined ? {} : { objectReplicationRegion: replica.name }) };
}

/** What re-provisioning the dr stack in a region gives. */
export type Verdict =
  | { readonly kind: "passes"; readonly restricted: boolean; readonly resources: number; readonly criticalPathMinutes: number }
  | { readonly kind: "fails"; readonly controls: readonly string[]; readonly violations: number }
  | { readonly kind: "refused"; readonly problems: readonly SettingsProblem[]; readonly message: string };

/** One measured region. */
export interface RegionRow {
  readonly region: Region;
  /** Great-circle km from the home capital, rounded as the settings round it. */
  readonly distanceKm: number;
  readonly overrides: Record<string, unknown>;
  /** Where the registers' copies land with the measured configuration. */
  readonly copies: readonly CopyPlacement[];
  /** Regions added to Pulumi.dr.yaml's approvedRegions for the measurement. */
  readonly approvalsAdded: readonly string[];
  /** Problems with only dr.yml's overrides: none means dr.yml offers the region. */
  readonly workflowProblems: readonly SettingsProblem[];
  readonly verdict: Verdict;
  /** Each region the plan touches, lost (tools/analysis/regionLoss.ts): registers lost of all; absent when the program refused the settings. */
  readonly loss?: readonly { readonly region: string; readonly lost: number; readonly registers: number }[];
}

/** Measures every EU region of the catalog (see the file comment), one after another. */
export async function measureRegions(projectDir = repoRoot, onRegion: (name: string) => void = () => undefined): Promise<RegionRow[]> {
  const settings = drSettings(projectDir);
  const home = findCountry(settings.homeCountry);
  const rows: RegionRow[] = [];
  let runner: PolicyRunner | undefined;
  try {
    for (const region of [...regions.values()].filter((r) => r.eu)) {
      onRegion(region.name);
      const overrides = measuredOverrides(region, settings);
      const problems = drProblems(overrides, projectDir);
      const capture = await runStack({ projectDir, stack: drStack, config: overrides });
      let verdict: Verdict;
      let loss: RegionRow["loss"];
      if (capture.error !== undefined) {
        verdict = { kind: "refused", problems, message: capture.error.message };
      } else {
        runner ??= await PolicyRunner.start();
        const report = await runner.analyze(capture, {
          stackConfig: readStackConfig(projectDir, drStack, overrides).values,
          packConfig: packConfigFor(projectDir, drStack, overrides).config,
        });
        const measured = readProjectSettings(projectDir, drStack, overrides);
        const lossInput =
          measured.kind === "embassy"
            ? { capture, registers: measured.settings.registers.map((r) => r.name), duties: dutiesOf(measured.settings) }
            : { capture };
        loss = regionLossReport(lossInput, regionsToLose(capture)).map((v) => ({
          region: v.region,
          lost: v.registers.filter((r) => !r.survives).length,
          registers: v.registers.length,
        }));
        const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
        verdict =
          mandatory.length > 0
            ? { kind: "fails", controls: [...new Set(mandatory.map((v) => v.policyName))], violations: mandatory.length }
            : {
                kind: "passes",
                restricted: region.restricted,
                resources: capture.resources.filter((r) => r.custom).length,
                criticalPathMinutes: criticalPath(capture).minutes,
              };
      }
      rows.push({
        region,
        distanceKm: home === undefined ? 0 : Math.round(greatCircleKm(home, region)),
        overrides,
        copies: copyPlacements(region.name, overrides.objectReplicationRegion as string | undefined),
        approvalsAdded: (overrides.approvedRegions as string[]).filter((r) => !settings.approvedRegions.includes(r)),
        workflowProblems: drProblems(workflowOverrides(region.name), projectDir),
        verdict,
        loss,
      });
    }
  } finally {
    await runner?.close();
  }
  return rows;
}

/** Short reasons for a refusal, from the problems the settings report (unknown ones verbatim). */
export function refusalReasons(problems: readonly SettingsProblem[]): string[] {
  const reasons = problems.map((p) => {
    if (/the home country/.test(p.message)) return "home country";
    const distance = /is (\d+) km from .*less than minDistanceKm \((\d+)\)/.exec(p.message);
    if (distance !== null) return `distance (${distance[1]} km < ${distance[2]})`;
    if (/is the lost primary \(drPrimaryRegion\)/.test(p.message)) return "lost primary";
    if (/^\S+ is the geo-pair of the lost primary/.test(p.message)) return "pair of the lost primary";
    if (/would land in \S+, the lost primary/.test(p.message)) return "copy in the lost primary";
    if (/would land in \S+, the geo-pair of the lost primary/.test(p.message)) return "copy in the lost primary's pair";
    if (/is not in approvedRegions|must be approved too/.test(p.message)) return "not in approvedRegions";
    if (/has no geo-pair.*set objectReplicationRegion/.test(p.message)) return "no objectReplicationRegion (unpaired)";
    return `${p.key}: ${p.message}`;
  });
  return [...new Set(reasons)];
}

const copyNames: Record<CopyPlacement["copy"], string> = {
  "geo-secondary": "geo",
  "backup cross-region restore": "backup CRR",
  "object replica": "replica",
  "geo-secondary of the object replica": "replica's geo",
  "replica's backup cross-region restore": "replica's backup CRR",
};

function copiesCell(copies: readonly CopyPlacement[]): string {
  const byRegion = new Map<string, string[]>();
  for (const c of copies) byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), copyNames[c.copy]]);
  return byRegion.size === 0 ? "—" : [...byRegion].map(([region, kinds]) => `${kinds.join(" + ")}: ${region}`).join("; ");
}

function verdictCell(v: Verdict): string {
  switch (v.kind) {
    case "passes":
      return `**passes${v.restricted ? " after an access request** (restricted region)" : "**"}: 0 mandatory violations, ${v.resources} resources, critical path ≈ ${v.criticalPathMinutes} min`;
    case "fails":
      return `**fails: ${v.controls.join(", ")}** (${v.violations} mandatory violation${v.violations === 1 ? "" : "s"})`;
    case "refused":
      return `**refused**: ${(v.problems.length > 0 ? refusalReasons(v.problems) : [v.message.split("\n")[0]]).join("; ")}`;
  }
}

function lossCell(row: RegionRow): string {
  if (row.loss === undefined) return "—";
  return row.loss.map((l) => (l.lost === 0 ? `${l.region} ✅` : `${l.region} ❌ ${l.lost} of ${l.registers} lost`)).join("; ");
}

/** Minutes to restore one TiB into the region's account at its ingress target (catalog/limits.ts). */
function restoreCell(row: RegionRow): string {
  return row.verdict.kind === "refused" ? "—" : `≥ ${restoreMinutes(1024, row.region.name)} min/TiB`;
}

function workflowCell(row: RegionRow): string {
  return row.workflowProblems.length === 0 ? "offered" : `no: ${refusalReasons(row.workflowProblems).join("; ")}`;
}

/** docs/dr-regions.md for the measured rows. */
export function renderTable(rows: readonly RegionRow[], settings: Settings): string {
  const home = findCountry(settings.homeCountry);
  const lost = settings.drPrimaryRegion ?? "(none)";
  const lostPair = settings.drPrimaryRegion === undefined ? undefined : geoSecondary(settings.drPrimaryRegion)?.name;
  const count = (pick: (r: RegionRow) => boolean) => rows.filter(pick).length;
  const passes = count((r) => r.verdict.kind === "passes");
  const fails = rows.filter((r) => r.verdict.kind === "fails");
  const refused = rows.filter((r) => r.verdict.kind === "refused");
  const reasonCounts = new Map<string, string[]>();
  for (const row of refused) {
    for (const reason of refusalReasons((row.verdict as Extract<Verdict, { kind: "refused" }>).problems)) {
      const kind = reason.replace(/ \((\d+) km < (\d+)\)/, " < $2 km");
      reasonCounts.set(kind, [...(reasonCounts.get(kind) ?? []), row.region.name]);
    }
  }
  const offered = rows.filter((r) => r.workflowProblems.length === 0).map((r) => r.region.name);
  const lines = [
    "# The dr stack in every EU region",
    "",
    "<!-- Generated by `npm run gen:dr-regions` (tools/generators/generateDrRegions.ts); do not edit. tests/dr-regions.test.ts fails when it is stale. -->",
    "",
    `What re-provisioning the \`${drStack}\` stack (Pulumi.${drStack}.yaml: home ${home?.name ?? settings.homeCountry}, minDistanceKm ${settings.minDistanceKm}, ` +
      `lost primary ${lost}${lostPair === undefined ? "" : ` and its pair ${lostPair}`}) into each EU region of the catalog (catalog/regions.ts) gives, measured offline ` +
      "with the real program (`runStack`, under Pulumi's mocks) and, when the program accepts the settings, the real policy pack with the pack config made from " +
      "those settings — what `npm run plan -- --stack dr --config …` runs. See [the DR runbook](dr-runbook.md) for what to do with it.",
    "",
    `**Summary** (${rows.length} EU regions):`,
    "",
    `- **pass** (0 mandatory violations): ${passes}${
      passes === 0
        ? ""
        : ` — ${rows
            .filter((r) => r.verdict.kind === "passes")
            .map((r) => `${r.region.name}${r.region.restricted ? " (restricted: after an access request)" : ""}`)
            .join(", ")}`
    }`,
    `- **fail the policy pack**: ${fails.length}${fails.length === 0 ? "" : ` — ${fails.map((r) => r.region.name).join(", ")}`}`,
    `- **refused**: ${refused.length}${reasonCounts.size === 0 ? "" : ` — ${[...reasonCounts].map(([reason, names]) => `${reason}: ${names.join(", ")}`).join("; ")}`}`,
    `- **offered by dr.yml** (Pulumi.dr.yaml as committed): ${offered.length === 0 ? "none" : offered.join(", ")}`,
    `- **survive the loss of every region they touch** (every register, \`npm run plan -- --lose all\`): ${
      rows
        .filter((r) => r.loss !== undefined && r.loss.every((l) => l.lost === 0))
        .map((r) => r.region.name)
        .join(", ") || "none"
    }`,
    "",
    "## How each region is measured",
    "",
    "- `hostRegion` and `azure-native:location` are the region, as the `dr.yml` workflow sets them.",
    "- `approvedRegions` is Pulumi.dr.yaml's list plus the host and the regions its copies land in. Approving a region is a sovereignty " +
      "decision, made in Pulumi.dr.yaml by a reviewed change, not by the workflow: the **Result** column shows what every other rule says once it " +
      "is made; the **dr.yml** column what the stack file as committed accepts (the workflow offers exactly those regions, generated by the same " +
      "command and checked by tests/workflows.test.ts).",
    "- A host without a geo-pair gets `objectReplicationRegion` = the EU region nearest to the host that is in another country than the host and " +
      "than home, at least minDistanceKm from home, not restricted (the replica account must be deployable without an access request), and " +
      "neither the lost primary nor its pair, nor paired with either.",
    "- **Copies**: where the registers are copied outside the host — `geo` the account's geo-secondary (RA-GZRS/RA-GRS), `backup CRR` the backup " +
      "vault's cross-region restore region, `replica` the object-replication account, `replica's geo` that account's own geo-secondary, " +
      "`replica's backup CRR` the cross-region restore region of the replica's own backup vault.",
    "- A host without a geo-pair builds a second site in `objectReplicationRegion` (components/dataEmbassy/replicaSite.ts): the WORM object " +
      "replica under keys of that region's own vault, its own VNet and private endpoints, and its own backup vault; the host's backup vault is " +
      "zone-redundant (a region without a pair has no geo-copy), and backup-survives-region checks that the replica's backup outlives the host. " +
      "A host with a pair builds its second site in the pair instead (components/dataEmbassy/standbySite.ts): a VNet holding the " +
      "`blob_secondary` endpoints of the read-access geo-secondaries, and a standby storage identity of that region allowed the same keys; a " +
      "restricted pair needs the access request before the first `pulumi up`.",
    "- **Refused**: the program stops with the settings' problems (exit 1, every problem at once, no stack trace); a DR host is refused in the " +
      "home country, closer than minDistanceKm, in the lost primary or its pair, or when a copy would land in either " +
      "(settings/crossKeyRules.ts). **Restricted** regions are not refused: the plan warns how to request access.",
    "- **Fails**: the program accepts the settings but the policy pack reports mandatory violations (shown, never hidden).",
    "- Critical path: the provisioning-time estimate of the plan (typical Azure times plus the configured role-propagation waits), not the data restore.",
    "- **Losing a region**: each region the plan touches (resources and geo-copies) taken away by tools/analysis/regionLoss.ts, as `npm run plan -- --lose all` " +
      "does: ✅ every register keeps a copy with a surviving key, a private path and a duty's role to read or restore it; ❌ how many do not " +
      "(the reasons: `npm run plan -- --stack dr --config hostRegion=<region> … --lose <region>`, or the plan's Markdown report). " +
      "See [the DR runbook](dr-runbook.md#lose-a-region-offline).",
    "- **Data restore**: the lower bound for writing one TiB of register data into an account of the region at its default ingress target " +
      "(Microsoft: 60 Gbps in France Central, Germany West Central, North Europe, Norway East, Sweden Central, UK South, West Europe; 25 Gbps elsewhere; " +
      "catalog/limits.ts). With `sizeGiB` on the registers the plan adds the total to its RTO; an account failover instead typically completes within 60 minutes.",
    "",
    `| Region | Country | km from ${home?.name ?? "home"} | Copies | Added to approvedRegions | dr.yml | Result | Losing a region | Data restore |`,
    "| --- | --- | ---: | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| \`${r.region.name}\`${r.region.restricted ? " (restricted)" : ""} | ${r.region.country} | ${r.distanceKm} | ${copiesCell(r.copies)} | ` +
        `${r.approvalsAdded.length === 0 ? "—" : r.approvalsAdded.join(", ")} | ${workflowCell(r)} | ${verdictCell(r.verdict)} | ${lossCell(r)} | ${restoreCell(r)} |`,
    ),
    "",
    "## What the plan says for each refused region",
    "",
    ...refused.flatMap((r) => [`### ${r.region.name}`, "", "```", (r.verdict as Extract<Verdict, { kind: "refused" }>).message, "```", ""]),
    "Regenerate after changing the catalog, Pulumi.dr.yaml, the settings rules or the policy pack: `npm run gen:dr-regions` (also rewrites dr.yml's region list).",
    "",
  ];
  return lines.join("\n");
}

/**
 * dr.yml with its `region` input's options replaced by `regions` (the lines after `options:` that
 * are list items, at their indentation); everything else untouched.
 */
export function withWorkflowRegions(text: string, regionNames: readonly string[]): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^\s+options:\s*$/.test(l));
  if (start < 0) throw new Error(`${workflowFile} has no options: list for its region input`);
  let end = start + 1;
  while (end < lines.length && /^\s+- \S+\s*$/.test(lines[end])) end += 1;
  const indent = `${/^(\s*)/.exec(lines[start])?.[1] ?? ""}  `;
  return [...lines.slice(0, start + 1), ...regionNames.map((r) => `${indent}- ${r}`), ...lines.slice(end)].join("\n");
}

/** The two generated texts: the table and dr.yml. */
export async function generated(projectDir = repoRoot, onRegion?: (name: string) => void): Promise<{ file: string; text: string }[]> {
  const rows = await measureRegions(projectDir, onRegion);
  const workflow = fs.readFileSync(path.join(projectDir, workflowFile), "utf8");
  return [
    { file: tableFile, text: renderTable(rows, drSettings(projectDir)) },
    { file: workflowFile, text: withWorkflowRegions(workflow, workflowRegions(projectDir)) },
  ];
}

async function main(argv: string[]): Promise<number> {
  const { exit, check } = checkableScript(
    "gen:dr-regions",
    `Measures the ${drStack} stack re-provisioned into every EU region of the catalog (offline program + policy pack) and writes ${tableFile};\n` +
      `rewrites the region list of ${workflowFile} to exactly the regions Pulumi.${drStack}.yaml accepts.`,
    "write nothing; exit 1 if either file is stale",
    argv,
    "0 done (or current); 1 a file is stale (--check) or Pulumi.dr.yaml is invalid; 2 wrong arguments.",
  );
  if (exit !== undefined) return exit;
  let files: { file: string; text: string }[];
  try {
    files = await generated(repoRoot, (name) => process.stderr.write(`measuring ${name}\n`));
  } catch (err) {
    if (err instanceof ProjectSettingsError || err instanceof StackFileError || err instanceof PolicyConfigError) {
      process.stderr.write(`gen:dr-regions: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const read = (file: string) => (fs.existsSync(path.join(repoRoot, file)) ? fs.readFileSync(path.join(repoRoot, file), "utf8") : undefined);
  const changed = files.filter((f) => read(f.file) !== f.text);
  if (check) {
    for (const f of changed) process.stderr.write(`${f.file} is ${read(f.file) === undefined ? "missing" : "stale"}\n`);
    if (changed.length > 0) process.stderr.write("run `npm run gen:dr-regions` and commit the result\n");
    return changed.length > 0 ? 1 : 0;
  }
  for (const f of changed) fs.writeFileSync(path.join(repoRoot, f.file), f.text);
  process.stdout.write(`${files.map((f) => f.file).join(", ")}: ${changed.length} written\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 70;
    },
  );
}
