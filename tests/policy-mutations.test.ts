import { controls } from "../catalog/controls";
import type { Capture } from "../tools/engine/capture";
import { PolicyRunner } from "../tools/gate/policyRunner";
import { analyze, basePlan, BaseName, copy, failing, firstOf, stackAnalyzeOptions, stackConfigOf } from "./policyHarness";
import { plan } from "./helpers";
import { Mutation, mutations } from "./policyMutations";

/**
 * Mutation tests of the policy pack, run through the real pack over gRPC: for each control, a
 * compliant plan passes it, and flipping exactly the setting it guards makes it fail at mandatory
 * level — and makes no other control fail.
 */

let runner: PolicyRunner;
beforeAll(async () => {
  // Each mutation changes one resource: the pack is asked again only about what changed.
  runner = await PolicyRunner.start({ reuseAnswers: true });
}, 60000);
afterAll(async () => {
  await runner?.close();
});

const targetTypes = (m: Mutation) => (typeof m.target === "string" ? [m.target] : m.target);
const findTarget = (capture: Capture, m: Mutation) =>
  targetTypes(m)
    .map((t) => firstOf(capture, t, m.pick))
    .find((r) => r !== undefined);
const name = (m: Mutation) => `${m.control}: ${m.flip}${m.base ? ` (${m.base})` : ""}`;

// The unmutated plans' reports, by plan: each is analyzed once.
const baselines = new Map<Capture, ReturnType<typeof analyze>>();

/** Runs one mutation on `plan`; returns what failed before and after. */
async function mutate(m: Mutation, plan: Capture, base: BaseName) {
  if (!baselines.has(plan)) baselines.set(plan, analyze(runner, plan, base));
  const before = await (baselines.get(plan) as ReturnType<typeof analyze>);
  const mutated = copy(plan);
  const target = findTarget(mutated, m);
  if (target === undefined) throw new Error(`no ${targetTypes(m).join("/")} to mutate`);
  m.mutate(target, mutated);
  const after = await analyze(runner, mutated, base);
  return { before, after, target, survived: mutated.resources.some((r) => r.urn === target.urn) };
}

function expectCaught(m: Mutation, result: Awaited<ReturnType<typeof mutate>>) {
  const { before, after, target } = result;
  expect(failing(before)).not.toContain(m.control);
  const caught = after.violations.filter((v) => v.policyName === m.control);
  expect(caught.length).toBeGreaterThan(0);
  expect(caught.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
  // Exactly the guarded control: nothing else starts failing.
  const newlyFailing = failing(after).filter((c) => !failing(before).includes(c));
  expect(newlyFailing).toEqual([m.control]);
  // The violation names the mutated resource, unless the mutation removed it.
  if (result.survived && m.reportedElsewhere !== true) expect(caught.map((v) => v.urn)).toContain(target.urn);
}

describe("the mutation table", () => {
  it("has a mutation for every catalog control", () => {
    const tested = new Set(mutations.map((m) => m.control));
    expect(controls.filter((c) => !tested.has(c.id as never)).map((c) => c.id)).toEqual([]);
  });
});

describe("mutations of the real dev plan", () => {
  it("starts from a dev plan that passes every control (only the Managed HSM one and the lifecycle one, no register being tiered, have nothing to check)", async () => {
    const report = await analyze(runner, await basePlan("dev"));
    expect(report.violations).toEqual([]);
    expect(report.controls.filter((c) => c.status !== "pass").map((c) => `${c.controlId}: ${c.status}`)).toEqual([
      "managed-hsm-quorum: not-applicable",
      "no-archive-tier: not-applicable",
    ]);
  });

  it.each(mutations.map((m) => [name(m), m] as const))("%s", async (_, m) => {
    const base = m.base ?? "dev";
    const capture = await basePlan(base);
    // A control is never skipped: without a resource to mutate it fails.
    if (findTarget(capture, m) === undefined) {
      throw new Error(`control ${m.control} has no resource to mutate in the ${base} plan (needs ${targetTypes(m).join(" or ")})`);
    }
    expectCaught(m, await mutate(m, capture, base));
  });
});

describe("mutations through configuration", () => {
  it("a stack config that weakens a setting the pack guards is caught end to end", async () => {
    const weakening = { blobSoftDeleteDays: 3, keyRotationDays: 400 };
    const report = await runner.analyze(await plan({ config: weakening }), stackAnalyzeOptions(weakening));
    expect(failing(report, "mandatory")).toEqual(expect.arrayContaining(["blob-soft-delete", "keys-rotation"]));
  });

  it("approved regions come from the pack config: a geo-secondary outside them is caught", async () => {
    // The settings refuse such a stack (the geo-secondary must be approved), so the pack config narrows them.
    const capture = await basePlan("dev");
    const before = await analyze(runner, capture);
    const approved = JSON.parse(stackConfigOf()["data-embassy:approvedRegions"]) as string[];
    const narrowed = approved.filter((r) => r !== "northeurope");
    const report = await analyze(runner, capture, "dev", { "approved-locations": { approvedRegions: narrowed } });
    expect(failing(before)).not.toContain("approved-locations");
    const messages = report.violations.filter((v) => v.policyName === "approved-locations").map((v) => v.message);
    expect(messages).toContainEqual(expect.stringMatching(/geo-secondary .* northeurope is not an approved region/));
  });

  it("pack config can make a control advisory: its violations no longer fail the plan", async () => {
    const weakened = copy(await basePlan("dev"));
    const account = firstOf(weakened, "azure-native:storage:StorageAccount");
    if (account === undefined) throw new Error("the dev plan has no storage account");
    account.inputs.minimumTlsVersion = "TLS1_0";
    const report = await analyze(runner, weakened, "dev", { "storage-tls-minimum": "advisory" });
    const tls = report.violations.filter((v) => v.policyName === "storage-tls-minimum");
    expect(tls.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(report.controls.find((c) => c.controlId === "storage-tls-minimum")).toMatchObject({ status: "fail", enforcementLevel: "advisory" });
  });
});
