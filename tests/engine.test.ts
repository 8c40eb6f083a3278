import * as fs from "fs";
import * as path from "path";
import { secretMarker } from "../tools/engine/capture";
import { runStack } from "../tools/engine/engine";
import { EmbassyMocks, offlineSubscriptionId } from "../tools/engine/mocks";
import { ProjectLoader } from "../tools/engine/moduleLoader";
import { plan, registered, single } from "./helpers";

const fixture = path.join(__dirname, "fixtures", "engine-project");

describe("offline engine", () => {
  it("runs the dev stack under a root Stack with URNs like the CLI's", async () => {
    const capture = await plan();
    expect(capture.project).toBe("data-embassy");
    expect(capture.stack).toBe("dev");
    const root = single(capture, "pulumi:pulumi:Stack");
    expect(root.urn).toBe("urn:pulumi:dev::data-embassy::pulumi:pulumi:Stack::data-embassy-dev");
    const embassy = single(capture, "dataembassy:index:DataEmbassy");
    expect(embassy.parent).toBe(root.urn);
    const group = single(capture, "azure-native:resources:ResourceGroup");
    expect(group.parent).toBe(embassy.urn);
    expect(group.urn).toBe("urn:pulumi:dev::data-embassy::dataembassy:index:DataEmbassy$azure-native:resources:ResourceGroup::embassy-rg");
    expect(group.source).toBe(path.join("components", "dataEmbassy", "dataEmbassy.ts"));
    expect(registered(capture).length).toBeGreaterThan(2);
  });

  describe("on a fixture project", () => {
    let capture: Awaited<ReturnType<typeof runStack>>;
    beforeAll(async () => {
      capture = await runStack({ projectDir: fixture, stack: "test" });
    });

    it("applies Pulumi.yaml defaults under the stack file's values", () => {
      expect(capture.error).toBeUndefined();
      expect(capture.outputs).toMatchObject({
        greeting: "hello",
        count: 3,
        flags: ["a", "b"],
        plain: "fallback",
        nested: { deep: [1, 2] },
        location: "westeurope",
      });
    });

    it("turns secure: values into masked placeholder secrets with a warning", () => {
      expect(capture.outputs.password).toBe(secretMarker);
      expect(JSON.stringify(capture)).not.toContain("offline-placeholder-secret");
      expect(capture.diagnostics).toContainEqual({ severity: "warning", message: expect.stringMatching(/engine-fixture:password is an encrypted/) });
    });

    it("captures parent, dependencies and options with inherited values", () => {
      const holder = single(capture, "fixture:index:Holder");
      const [first, second, outside] = ["first", "second", "outside"].map((name) => capture.resources.find((r) => r.name === name)!);
      expect(first.parent).toBe(holder.urn);
      // protect is inherited by the SDK, retainOnDelete by the engine (which the capture stands in for).
      expect(first.options).toMatchObject({ protect: true, retainOnDelete: true });
      expect(second.options).toMatchObject({
        protect: true,
        retainOnDelete: false,
        deletedWith: first.urn,
        ignoreChanges: ["tags"],
        replaceOnChanges: ["location"],
        customTimeouts: { create: "30m" },
      });
      expect(second.dependencies).toContain(first.urn);
      expect(outside.dependencies).toEqual([second.urn]);
      expect(outside.options).toMatchObject({ protect: false, retainOnDelete: false });
    });

    it("records pulumi.log messages as diagnostics with their resource", () => {
      const holder = single(capture, "fixture:index:Holder");
      expect(capture.diagnostics).toContainEqual({ severity: "warning", message: "fixture warning", urn: holder.urn });
      expect(capture.diagnostics).toContainEqual({ severity: "info", message: "fixture note" });
    });

    it("returns realistic ARM ids and names from the mocks", () => {
      expect(capture.outputs.outsideId).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/outside[0-9a-f]{8}$/);
    });

    it("is deterministic across runs", async () => {
      const again = await runStack({ projectDir: fixture, stack: "test" });
      expect(again).toEqual(capture);
    });
  });

  it("reports a stack value of the wrong declared type the way the CLI does", async () => {
    const capture = await runStack({ projectDir: fixture, stack: "badtype" });
    expect(capture.error?.message).toBe("Stack 'badtype' with configuration key 'engine-fixture:count' must be of type 'integer'");
    expect(capture.resources).toEqual([]);
  });

  it("reuses compiled project files across runs, but compiles a changed source again", () => {
    const dir = fs.mkdtempSync(path.join(fixture, ".loader-"));
    const file = path.join(dir, "value.ts");
    const valueOf = () => (new ProjectLoader(fixture).load(file)[0] as { value: number }).value;
    try {
      fs.writeFileSync(file, "export const value: number = 1;\n");
      expect(valueOf()).toBe(1);
      fs.writeFileSync(file, "export const value: number = 2;\n");
      expect(valueOf()).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a missing stack file", async () => {
    const capture = await runStack({ projectDir: fixture, stack: "nope" });
    expect(capture.error?.message).toMatch(/Pulumi\.nope\.yaml not found/);
  });

  it("serialises concurrent runs (Pulumi's runtime state is global)", async () => {
    const [a, b] = await Promise.all([runStack({ projectDir: fixture, stack: "test" }), runStack({ projectDir: fixture, stack: "test" })]);
    expect(a.error).toBeUndefined();
    expect(b).toEqual(a);
  });

  it("derives random values from the stack, so two stacks get different name suffixes", () => {
    const suffix = (stack: string) =>
      new EmbassyMocks(stack, offlineSubscriptionId, []).newResource({
        type: "random:index/randomString:RandomString",
        name: "embassy-name-suffix",
        inputs: { length: 5, lower: true, upper: false, numeric: true, special: false },
        custom: true,
      }).state.result;
    expect(suffix("prod")).toMatch(/^[a-z0-9]{5}$/);
    expect(suffix("prod")).toBe(suffix("prod"));
    expect(suffix("prod")).not.toBe(suffix("dr"));
  });
});
