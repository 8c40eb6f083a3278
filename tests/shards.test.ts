import fc from "fast-check";
import { validateSettings } from "../settings/loadSettings";
import { assignShards } from "../settings/shards";
import { comparePlans } from "../tools/analysis/compare";
import type { Capture } from "../tools/engine/capture";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { failedPlan, ofType, plan, register, registered, registers, unpairedHostConfig, exceptFlowLogs, minimalSettings } from "./helpers";
import { stackAnalyzeOptions } from "./policyHarness";

/**
 * Storage-account shards (settings/shards.ts, components/dataEmbassy/shards.ts): registers beyond
 * an account's share go to further accounts, each with its own backup instance, and appending a
 * register never moves an existing one.
 */

const accountType = "azure-native:storage:StorageAccount";
const instanceType = "azure-native:dataprotection:BackupInstance";
const containerType = "azure-native:storage:BlobContainer";

const containersOf = (capture: Capture) =>
  ofType(capture, instanceType).map(
    (i) =>
      (i.inputs.properties as { policyInfo: { policyParameters: { backupDatasourceParametersList: { containersList: string[] }[] } } }).policyInfo
        .policyParameters.backupDatasourceParametersList[0].containersList,
  );

describe("shard assignment", () => {
  it("fills shards in declaration order, each up to the limit", () => {
    const { shardOf, shards, problems } = assignShards(
      Array.from({ length: 7 }, (_, i) => ({ name: `r${i}` })),
      3,
    );
    expect(shardOf).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(shards).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(problems).toEqual([]);
  });

  it("puts a pinned register in its shard, and unpinned ones in the first shard with room", () => {
    const { shardOf, problems } = assignShards([{ name: "a" }, { name: "b", shard: 2 }, { name: "c" }, { name: "d" }, { name: "e" }], 2);
    expect(shardOf).toEqual([0, 2, 0, 1, 1]);
    expect(problems).toEqual([]);
  });

  it("never moves a register when one is appended, pinned or not", () => {
    const registerList = fc.array(fc.record({ shard: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }), { maxLength: 40 });
    fc.assert(
      fc.property(registerList, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), fc.integer({ min: 1, max: 5 }), (list, pin, perShard) => {
        const named = list.map((r, i) => ({ name: `r${i}`, shard: r.shard ?? undefined }));
        const before = assignShards(named, perShard);
        const after = assignShards([...named, { name: "appended", shard: pin ?? undefined }], perShard);
        expect(after.shardOf.slice(0, named.length)).toEqual(before.shardOf);
      }),
    );
  });

  it("refuses a pin into a full shard, naming the register's key", () => {
    const { problems } = assignShards([{ name: "a" }, { name: "b" }, { name: "c", shard: 0 }], 2);
    expect(problems).toEqual([
      { key: "registers[2].shard", message: expect.stringMatching(/shard 0 already holds 2 registers, the most registersPerShard \(2\)/) },
    ]);
  });

  it("refuses an empty shard 0", () => {
    expect(assignShards([{ name: "a", shard: 1 }]).problems.map((p) => p.key)).toEqual(["registers"]);
  });
});

describe("shard settings", () => {
  const base = minimalSettings;
  const problems = (overrides: Record<string, unknown>) => validateSettings({ ...base, registers: [register("population")], ...overrides }).problems;

  it("accepts 150 registers (no longer refused: they go to a second account) and defaults registersPerShard to Azure's 100", () => {
    const { settings, problems: found } = validateSettings({ ...base, registers: registers(150) });
    expect(found).toEqual([]);
    expect(settings?.registersPerShard).toBe(100);
  });

  it("bounds registersPerShard by Azure's 100 containers per backup instance, and shard by 100 accounts", () => {
    expect(problems({ registersPerShard: 101 })).toEqual([{ key: "registersPerShard", message: "must be at most 100 (registers)" }]);
    expect(problems({ registersPerShard: 0 }).map((p) => p.key)).toEqual(["registersPerShard"]);
    expect(problems({ registers: [register("population"), register("land", { shard: 100 })] }).map((p) => p.key)).toEqual(["registers[1].shard"]);
  });

  // The embassy's keys only: azure-native:location belongs to the provider.
  const unpaired = Object.fromEntries(Object.entries(unpairedHostConfig).filter(([key]) => !key.includes(":")));

  it("refuses a shard whose every register is under legal hold (its backup instance would protect nothing; every host backs up)", () => {
    const found = problems({ registers: [register("population"), register("land", { shard: 1, legalHold: true })] });
    expect(found).toEqual([{ key: "registers[1].legalHold", message: expect.stringMatching(/every register of shard 1 \(land\) is under legal hold/) }]);
  });

  it("keeps a host without a geo-pair to one shard: a further shard's replica would be under the host's keys (audit F8)", () => {
    expect(validateSettings({ ...base, ...unpaired, registers: registers(5), registersPerShard: 4 }).problems).toEqual([
      {
        key: "registers",
        message: expect.stringMatching(
          /^polandcentral has no geo-pair, .*replica site .*own keys \(audit F8\); 5 registers in shards of 4 would need a replica site per account/,
        ),
      },
    ]);
    expect(validateSettings({ ...base, ...unpaired, registers: [register("population"), register("land", { shard: 1 })] }).problems.map((p) => p.key)).toEqual([
      "registers",
    ]);
    expect(validateSettings({ ...base, ...unpaired, registers: registers(4), registersPerShard: 4 }).problems).toEqual([]);
  });

  it("reports a pin into a full shard with every other problem, by key", async () => {
    const { message, capture } = await failedPlan({
      config: { registersPerShard: 2, registers: [register("a-reg"), register("b-reg"), register("c-reg", { shard: 0 })] },
    });
    expect(message).toMatch(/data-embassy:registers\[2\]\.shard: shard 0 already holds 2 registers/);
    expect(registered(capture)).toEqual([]);
  });
});

describe("an embassy of more than 100 registers", () => {
  let runner: PolicyRunner;
  let hundred: Capture;
  let appended: Capture;
  let large: Capture;
  beforeAll(async () => {
    runner = await PolicyRunner.start();
    [hundred, appended, large] = await Promise.all([
      plan({ config: { registers: registers(100) } }),
      plan({ config: { registers: registers(101) } }),
      plan({ config: { registers: registers(150) } }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await runner?.close();
  });

  it("plans 150 registers with no violation, across two accounts, every backup instance within 100 containers", async () => {
    expect(ofType(exceptFlowLogs(large), accountType).map((a) => a.name)).toEqual(["embassy-storage-account", "embassy-storage-shard1-account"]);
    expect(
      containersOf(large)
        .map((c) => c.length)
        .sort(),
    ).toEqual([100, 50]);
    expect(new Set(containersOf(large).flat()).size).toBe(150);
    expect(ofType(large, containerType)).toHaveLength(150);
    const report = await runner.analyze(large, stackAnalyzeOptions({ registers: registers(150) }));
    expect(report.violations).toEqual([]);
  }, 120_000);

  it("gives the second account its own scopes, endpoints, lock, diagnostics, backup grant and distinct names", () => {
    const names = large.resources.map((r) => r.name);
    for (const name of [
      "embassy-storage-shard1-scope-reg-150",
      "embassy-storage-shard1-container-reg-101",
      "embassy-storage-shard1-blob-service",
      "embassy-network-registers-shard1-blob-pep",
      "embassy-standby-network-registers-shard1-blob-secondary-pep",
      "embassy-governance-lock-storage-shard1",
      "embassy-governance-diag-storage-shard1",
      "embassy-governance-diag-storage-shard1-blob",
      "embassy-backup-shard1-storage-grant",
      "embassy-backup-shard1-storage-grant-effective",
      "embassy-backup-shard1-instance",
    ]) {
      expect(names).toContain(name);
    }
    const accounts = ofType(exceptFlowLogs(large), accountType).map((a) => a.inputs.accountName as string);
    expect(new Set(accounts).size).toBe(2);
    expect(accounts[1]).toMatch(/^steeembdevs1[a-z0-9]{5}$/);
    expect(large.outputs.storageShards).toEqual([
      { shard: 0, accountName: accounts[0], registers: registers(100).map((r) => r.name) },
      {
        shard: 1,
        accountName: accounts[1],
        registers: registers(150)
          .slice(100)
          .map((r) => r.name),
      },
    ]);
    expect(large.outputs.backupInstanceIds).toHaveLength(2);
  });

  it("appending register 101 to a 100-register stack adds a shard and changes no existing resource's inputs or options", () => {
    const diff = comparePlans(hundred, appended);
    const added = diff.resources.filter((c) => c.kind === "added").map((c) => c.name);
    expect(added).toEqual(
      expect.arrayContaining(["embassy-storage-shard1-account", "embassy-storage-shard1-container-reg-101", "embassy-backup-shard1-instance"]),
    );
    expect(added.every((name) => /shard1|reg-101/.test(name))).toBe(true);
    expect(diff.resources.filter((c) => c.kind === "removed")).toEqual([]);
    // What else differs: dependency lists (Pulumi updates no resource for that), and the wait after
    // the storage identity's key grants, which gains the new register's grant as a trigger, so the
    // new register's scope waits for its grant (components/shared/propagation.ts): a time:Sleep, no Azure resource.
    const changed = diff.resources.filter((c) => c.kind === "changed");
    const beyondDependencies = changed.map((c) => ({ name: c.name, paths: c.paths.filter((p) => p !== "dependencies") })).filter((c) => c.paths.length > 0);
    expect(beyondDependencies).toEqual([
      { name: "embassy-keys-grants-effective-storage", paths: ["inputs.triggers.cmk-reg-reg-101", "inputs.triggers.standby-cmk-reg-reg-101"] },
    ]);
  });
});
