import * as fs from "fs";
import * as path from "path";
import { findRegion, geoSecondary, regions } from "../catalog/regions";
import { embassyWarnings } from "../components/dataEmbassy/args";
import { validateSettings } from "../settings";
import { copyPlacements } from "../settings/crossKeyRules";
import {
  drSettings,
  measureRegions,
  refusalReasons,
  RegionRow,
  renderTable,
  replicationRegionFor,
  tableFile,
  withWorkflowRegions,
  workflowFile,
  workflowRegions,
} from "../tools/generators/generateDrRegions";
import { failedPlan, plan, register, registered } from "./helpers";

/**
 * DR rules that follow the copies (issue 16 item 4): a DR host is refused where it or any copy it
 * creates lands in the lost primary or its pair; restricted regions are warned about, not refused;
 * and docs/dr-regions.md measures the dr stack in every EU region (item 6).
 */

const repoRoot = path.resolve(__dirname, "..");

/** A DR embassy for Estonia after Germany West Central is lost (everything else defaulted). */
const dr = {
  environment: "dr",
  homeCountry: "EE",
  namePrefix: "ee",
  drPrimaryRegion: "germanywestcentral",
  keyCustodians: ["3f2b8c1e-6d4a-4b7e-9a21-5c8d0e7f1a24"],
  alertEmails: ["soc@example.ee"],
  registers: [register("population")],
};

const problems = (overrides: Record<string, unknown>) => validateSettings({ ...dr, ...overrides }).problems;

describe("where a host puts its copies", () => {
  it("follows the storage's redundancy choice: a paired host's geo-secondary and backup cross-region restore, an unpaired host's replica and its geo-secondary", () => {
    expect(copyPlacements("westeurope")).toEqual([
      { copy: "geo-secondary", region: "northeurope", key: "hostRegion" },
      { copy: "backup cross-region restore", region: "northeurope", key: "hostRegion" },
    ]);
    // A paired host ignores objectReplicationRegion (SovereignStorage replicates only without a pair).
    expect(copyPlacements("westeurope", "francecentral")).toEqual(copyPlacements("westeurope"));
    expect(copyPlacements("italynorth", "westeurope")).toEqual([
      { copy: "object replica", region: "westeurope", key: "objectReplicationRegion" },
      { copy: "geo-secondary of the object replica", region: "northeurope", key: "objectReplicationRegion" },
      { copy: "replica's backup cross-region restore", region: "northeurope", key: "objectReplicationRegion" },
    ]);
    expect(copyPlacements("italynorth", "austriaeast")).toEqual([{ copy: "object replica", region: "austriaeast", key: "objectReplicationRegion" }]);
    expect(copyPlacements("italynorth")).toEqual([]);
  });
});

describe("DR rules", () => {
  it("refuse the lost primary's pair as host, and its geo-copy in the lost primary, both on hostRegion", () => {
    expect(problems({ hostRegion: "germanynorth" })).toEqual([
      {
        key: "hostRegion",
        message: expect.stringMatching(
          /^germanynorth is the geo-pair of the lost primary germanywestcentral: .*one region of every pair first .*regions-paired.*co-victim/,
        ),
      },
      {
        key: "hostRegion",
        message: expect.stringMatching(
          /^the geo-secondary and the backup cross-region restore of germanynorth would land in germanywestcentral, the lost primary/,
        ),
      },
    ]);
  });

  it("refuse the lost primary itself", () => {
    expect(problems({ hostRegion: "germanywestcentral" })).toContainEqual({
      key: "hostRegion",
      message: "germanywestcentral is the lost primary (drPrimaryRegion): a DR embassy must be re-provisioned in another region",
    });
  });

  it("refuse an object replica, or the replica's own geo-secondary, in the lost primary or its pair, on objectReplicationRegion", () => {
    const unpaired = { hostRegion: "italynorth" };
    expect(problems({ ...unpaired, objectReplicationRegion: "germanywestcentral" })).toEqual([
      {
        key: "objectReplicationRegion",
        message: expect.stringMatching(
          /^the object replica of italynorth \(objectReplicationRegion germanywestcentral\) would land in germanywestcentral, the lost primary/,
        ),
      },
      {
        key: "objectReplicationRegion",
        message: expect.stringMatching(
          /^the geo-secondary of the object replica and the replica's backup cross-region restore of italynorth .* would land in germanynorth, the geo-pair of the lost primary/,
        ),
      },
    ]);
    expect(problems({ ...unpaired, objectReplicationRegion: "germanynorth" }).map((p) => p.message)).toEqual([
      expect.stringMatching(/object replica of italynorth .* would land in germanynorth, the geo-pair of the lost primary/),
      expect.stringMatching(
        /geo-secondary of the object replica and the replica's backup cross-region restore of italynorth .* would land in germanywestcentral, the lost primary/,
      ),
    ]);
    expect(problems({ ...unpaired, objectReplicationRegion: "westeurope" })).toEqual([]);
  });

  it("accept any other far-enough region, restricted ones included (they get a warning)", () => {
    for (const hostRegion of ["francecentral", "francesouth", "westeurope", "northeurope"])
      expect([hostRegion, problems({ hostRegion })]).toEqual([hostRegion, []]);
  });

  it("report every problem at once, with the other rules' problems", () => {
    expect(problems({ hostRegion: "germanynorth", minDistanceKm: 1500, approvedRegions: ["germanynorth"] }).map((p) => p.key)).toEqual([
      "approvedRegions", // germanywestcentral, the geo-secondary, is not approved
      "hostRegion", // 1208 km < 1500
      "hostRegion", // the pair of the lost primary
      "hostRegion", // its geo-copy in the lost primary
    ]);
  });

  it("apply only to a stack that names a lost primary", () => {
    expect(validateSettings({ ...dr, environment: "prod", drPrimaryRegion: undefined, hostRegion: "germanynorth" }).problems).toEqual([]);
  });

  it("stop the program with every problem, the key named and no stack trace, before anything is registered", async () => {
    const { message, capture } = await failedPlan({ stack: "dr", config: { hostRegion: "germanynorth", "azure-native:location": "germanynorth" } });
    expect(message).toMatch(/^Invalid configuration for stack "dr": 2 problems/);
    expect(message).toMatch(/data-embassy:hostRegion: germanynorth is the geo-pair of the lost primary germanywestcentral/);
    expect(message).toMatch(/data-embassy:hostRegion: the geo-secondary and the backup cross-region restore of germanynorth would land in germanywestcentral/);
    expect(message).not.toMatch(/\s+at \S+ \(/);
    expect(registered(capture)).toEqual([]);
  });
});

describe("restricted regions", () => {
  const settingsOf = (overrides: Record<string, unknown>) => {
    const { settings, problems: found } = validateSettings({ ...dr, ...overrides });
    expect(found).toEqual([]);
    return settings!;
  };
  const accessWarnings = (overrides: Record<string, unknown>) =>
    embassyWarnings(settingsOf(overrides)).filter((w) => /restricted Azure region/.test(w.message));

  it("warn where the stack deploys into one (the host, or an unpaired host's replica), saying how to request access, with Microsoft's page", () => {
    const [host] = accessWarnings({ hostRegion: "francesouth" });
    expect(host.about).toBe("embassy");
    expect(host.message).toMatch(/^hostRegion francesouth is a restricted Azure region \(deploy on request\)/);
    expect(host.message).toMatch(
      /Issue type "Service and subscription limits \(quotas\)", Quota type "Other Requests", description "Request access for the Azure France South region/,
    );
    expect(host.message).toMatch(/https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/general\/region-access-request-process#reserved-access-regions/);
    const [replica] = accessWarnings({ hostRegion: "italynorth", objectReplicationRegion: "francesouth" });
    expect(replica).toMatchObject({ about: "storage", message: expect.stringMatching(/^objectReplicationRegion francesouth is a restricted Azure region/) });
  });

  it("do not warn about open regions; warn about a restricted geo-pair, where the standby site is deployed", () => {
    // A paired host ignores objectReplicationRegion: no replica is deployed there; its pair northeurope is open.
    expect(accessWarnings({ hostRegion: "westeurope", objectReplicationRegion: "francesouth" })).toEqual([]);
    expect(accessWarnings({ hostRegion: "francecentral" })).toEqual([
      { about: "storage", message: expect.stringMatching(/^The standby site's region \(hostRegion's geo-pair\) francesouth is a restricted Azure region/) },
    ]);
  });

  it("reach the plan as a warning, and the plan still succeeds", async () => {
    const capture = await plan({ stack: "dr", config: { hostRegion: "francesouth", "azure-native:location": "francesouth" } });
    expect(capture.diagnostics.filter((d) => d.severity === "warning" && /^hostRegion francesouth is a restricted Azure region/.test(d.message))).toHaveLength(
      1,
    );
  });
});

describe("docs/dr-regions.md", () => {
  let rows: RegionRow[];
  beforeAll(async () => {
    rows = await measureRegions(repoRoot);
  }, 180000);
  const row = (name: string) => rows.find((r) => r.region.name === name) as RegionRow;
  /** The short refusal reasons of a region (none when it is not refused). */
  const reasonsOf = (name: string) => {
    const verdict = row(name).verdict;
    return verdict.kind === "refused" ? refusalReasons(verdict.problems) : [];
  };

  it("is current, and so is dr.yml's region list (run `npm run gen:dr-regions`)", () => {
    expect(fs.readFileSync(path.join(repoRoot, tableFile), "utf8")).toBe(renderTable(rows, drSettings(repoRoot)));
    const workflow = fs.readFileSync(path.join(repoRoot, workflowFile), "utf8");
    expect(withWorkflowRegions(workflow, workflowRegions(repoRoot))).toBe(workflow);
  });

  it("measures every EU region of the catalog, and no other", () => {
    expect(rows.map((r) => r.region.name)).toEqual([...regions.values()].filter((r) => r.eu).map((r) => r.name));
  });

  it("refuses the lost primary, its pair, regions closer than minDistanceKm, with the reason; passes the paired rest", () => {
    expect(reasonsOf("germanywestcentral")).toContain("lost primary");
    expect(reasonsOf("germanynorth")).toEqual(["pair of the lost primary", "copy in the lost primary"]);
    for (const name of ["swedencentral", "swedensouth", "polandcentral"]) {
      expect([name, reasonsOf(name)]).toEqual([name, [expect.stringMatching(/^distance \(\d+ km < 1000\)$/)]]);
    }
    for (const name of ["westeurope", "northeurope", "francecentral", "francesouth"]) expect([name, row(name).verdict.kind]).toEqual([name, "passes"]);
    expect(row("francesouth").verdict).toMatchObject({ restricted: true });
  });

  it("reports unpaired hosts as they are: passing, with their replica site (issue 16 item 1)", () => {
    const unpaired = rows.filter((x) => geoSecondary(x.region.name) === undefined && x.verdict.kind !== "refused");
    expect(unpaired.map((r) => r.region.name)).toEqual(["italynorth", "spaincentral", "austriaeast", "belgiumcentral"]);
    for (const r of unpaired) expect([r.region.name, r.verdict.kind]).toEqual([r.region.name, "passes"]);
    expect(rows.filter((x) => x.verdict.kind === "fails").map((r) => r.region.name)).toEqual([]);
  });

  it("never lets a passing region keep a copy in the lost primary or its pair", () => {
    const lost = drSettings(repoRoot).drPrimaryRegion as string;
    const avoid = [lost, geoSecondary(lost)?.name];
    for (const r of rows.filter((x) => x.verdict.kind !== "refused")) {
      expect([r.region.name, [r.region.name, ...r.copies.map((c) => c.region)].filter((c) => avoid.includes(c))]).toEqual([r.region.name, []]);
    }
  });

  it("chooses an unpaired host's replication region by the documented rule: nearest qualifying region abroad, open, outside the lost primary and its pair", () => {
    const settings = drSettings(repoRoot);
    for (const host of [...regions.values()].filter((r) => r.eu && r.pair === undefined)) {
      const replica = replicationRegionFor(host, settings);
      expect(replica).toBeDefined();
      expect(replica).toMatchObject({ eu: true, restricted: false });
      expect([replica?.country]).not.toContain(host.country);
      expect(["germanywestcentral", "germanynorth"]).not.toContain(replica?.name);
      expect(row(host.name).overrides.objectReplicationRegion).toBe(replica?.name);
    }
    expect(replicationRegionFor(findRegion("belgiumcentral")!, settings)?.name).toBe("westeurope");
    expect(replicationRegionFor(findRegion("westeurope")!, settings)).toBeUndefined();
  });

  it("loses every region each plan touches (the host and each copy's region), and none for a refused one (issue 16 item 7)", () => {
    for (const r of rows) {
      const touched = r.verdict.kind === "refused" ? undefined : [...new Set([r.region.name, ...r.copies.map((c) => c.region)])].sort();
      expect([r.region.name, r.loss?.map((l) => l.region).sort()]).toEqual([r.region.name, touched]);
    }
    for (const r of rows.filter((x) => x.loss !== undefined)) expect(r.loss?.every((l) => l.registers === drSettings(repoRoot).registers.length)).toBe(true);
  });

  it("offers in dr.yml only regions that pass in the table", () => {
    for (const r of rows.filter((x) => x.workflowProblems.length === 0)) expect([r.region.name, r.verdict.kind]).toEqual([r.region.name, "passes"]);
  });
});
