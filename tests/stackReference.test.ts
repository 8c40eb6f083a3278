import type * as pulumiType from "@pulumi/pulumi";
import type { Capture } from "../tools/engine/capture";
import { runStack } from "../tools/engine/engine";
import { EmbassyMocks, offlineSubscriptionId, stackReferenceType } from "../tools/engine/mocks";
import { plan } from "./helpers";

/**
 * The offline engine resolves `pulumi.StackReference` from the referenced stack's plan outputs, so
 * a stack that reads another stack's outputs plans offline: plan the referenced stack first, then
 * give its outputs (`npm run plan -- --stack-reference <name>=<plan.json>`).
 */

/**
 * A program that reads `keys` of stack `name` through a StackReference, with the engine's SDK. It
 * awaits them (requireOutputValue), so a failed read fails the program rather than its outputs.
 */
const reader =
  (name: string, keys: readonly string[]) =>
  async (load: NodeRequire): Promise<Record<string, unknown>> => {
    const pulumi = load("@pulumi/pulumi") as typeof pulumiType;
    const reference = new pulumi.StackReference(name);
    return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, (await reference.requireOutputValue(key)) as unknown])));
  };

describe("StackReference offline", () => {
  let core: Capture;
  beforeAll(async () => {
    core = await plan();
  }, 120_000);

  it("reads the referenced stack's plan outputs", async () => {
    const run = await runStack({
      stack: "dev",
      bare: reader("acme/data-embassy/dev", ["resourceGroupName", "backupVaultId", "registers"]),
      stackReferences: { "acme/data-embassy/dev": core.outputs },
    });
    expect(run.error).toBeUndefined();
    expect(run.outputs).toEqual({
      resourceGroupName: core.outputs.resourceGroupName,
      backupVaultId: core.outputs.backupVaultId,
      registers: core.outputs.registers,
    });
    expect(run.outputs.resourceGroupName).toBe("rg-ee-emb-dev");
  }, 60_000);

  it("refuses, naming the stack and how to give it, a reference to a stack whose outputs were not given", () => {
    const mocks = new EmbassyMocks("dev", offlineSubscriptionId, [], { "acme/data-embassy/dev": core.outputs });
    const read = (name: string) => mocks.newResource({ type: stackReferenceType, name, inputs: { name }, custom: true, id: name });
    expect(read("acme/data-embassy/dev").state).toEqual({ name: "acme/data-embassy/dev", outputs: core.outputs, secretOutputNames: [] });
    expect(() => read("acme/data-embassy/prod")).toThrow(
      'offline engine: StackReference "acme/data-embassy/prod": no outputs of that stack were given; plan it first and pass its plan (npm run plan -- --stack-reference acme/data-embassy/prod=<plan.json>)',
    );
  });
});
