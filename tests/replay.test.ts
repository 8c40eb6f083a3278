import type { Capture, CapturedResource } from "../tools/engine/capture";
import { resourceClass, runReplay } from "../bench/replay";
import { plan } from "./helpers";

/**
 * The bench's floor (bench/replay.ts) registers exactly the plan's resources: same type tokens,
 * names, parents, dependencies, inputs and options, through the same engine and mocks.
 */

const shape = (r: CapturedResource) => ({
  type: r.type,
  parent: r.parent,
  dependencies: [...r.dependencies].sort(),
  inputs: r.inputs,
  options: r.options,
});
const byUrn = (capture: Capture) => new Map(capture.resources.map((r) => [r.urn, shape(r)]));

describe("the SDK-only replay of a plan", () => {
  // The plans first: a replay runs the engine in this worker, the plans run in the plan server.
  const plans: Record<string, Capture> = {};
  beforeAll(async () => {
    [plans.dev, plans.shards] = await Promise.all([plan(), plan({ config: { registersPerShard: 5 } })]);
  }, 120_000);

  it.each([
    ["the dev stack", "dev"],
    ["two storage shards", "shards"],
  ])(
    "registers exactly the resources of %s",
    async (_, which) => {
      const replayed = await runReplay(plans[which]);
      expect(replayed.error).toBeUndefined();
      expect(byUrn(replayed)).toEqual(byUrn(plans[which]));
    },
    60_000,
  );

  it("finds each resource's class by its type token, and refuses a token no package defines", () => {
    expect(resourceClass("azure-native:storage:StorageAccount", require).name).toBe("StorageAccount");
    expect(resourceClass("time:index/sleep:Sleep", require).name).toBe("Sleep");
    expect(() => resourceClass("azure-native:storage:NoSuchThing", require)).toThrow("replay: @pulumi/azure-native has no class NoSuchThing");
    expect(() => resourceClass("other:index:Thing", require)).toThrow("replay: no package for other:index:Thing");
  });
});
