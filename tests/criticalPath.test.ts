import type { Capture, CapturedResource } from "../tools/engine/capture";
import { criticalPath } from "../tools/analysis/criticalPath";
import { defaultMinutes, provisioningMinutes } from "../catalog/resourceTypes";

function resource(name: string, type: string, dependencies: string[] = [], parent?: string, custom = true): CapturedResource {
  return {
    urn: `urn:${name}`,
    type,
    name,
    custom,
    parent,
    dependencies: dependencies.map((d) => `urn:${d}`),
    inputs: {},
    options: { protect: false, retainOnDelete: false, ignoreChanges: [], replaceOnChanges: [] },
  };
}

const capture = (resources: CapturedResource[]): Capture => ({ project: "p", stack: "s", resources, outputs: {}, diagnostics: [] });
const vault = "azure-native:keyvault:Vault";
const key = "azure-native:keyvault:Key";
const rg = "azure-native:resources:ResourceGroup";

describe("critical path", () => {
  it("follows the longest weighted chain, not the longest by count", () => {
    const path = criticalPath(
      capture([
        resource("rg", rg),
        resource("vault", vault, ["rg"]),
        resource("key", key, ["vault"]),
        resource("hsm", "azure-native:keyvault:ManagedHsm", ["rg"]),
      ]),
    );
    expect(path.chain.map((r) => r.name)).toEqual(["rg", "hsm"]);
    expect(path.minutes).toBe(provisioningMinutes[rg] + provisioningMinutes["azure-native:keyvault:ManagedHsm"]);
  });

  it("expands a dependency on a component to everything inside it", () => {
    const path = criticalPath(
      capture([
        resource("rg", rg),
        resource("keys", "dataembassy:index:KeyCustody", [], undefined, false),
        resource("vault", vault, ["rg"], "urn:keys"),
        resource("key", key, ["vault"], "urn:keys"),
        resource("account", "azure-native:storage:StorageAccount", ["keys"]),
      ]),
    );
    expect(path.chain.map((r) => r.name)).toEqual(["rg", "vault", "key", "account"]);
  });

  it("reports types it had to time with the default", () => {
    const path = criticalPath(capture([resource("x", "azure-native:foo:Bar")]));
    expect(path.untimedTypes).toEqual(["azure-native:foo:Bar"]);
    expect(path.minutes).toBeGreaterThan(0);
  });

  describe("a time:Sleep", () => {
    const sleep = "time:index/sleep:Sleep";
    const grant = "azure-native:authorization:RoleAssignment";
    const waitingChain = (createDuration: unknown) => {
      const wait = resource("wait", sleep, ["grant"]);
      wait.inputs = createDuration === undefined ? {} : { createDuration };
      return capture([resource("rg", rg), resource("grant", grant, ["rg"]), wait, resource("account", "azure-native:storage:StorageAccount", ["wait"])]);
    };
    const around = provisioningMinutes[rg] + provisioningMinutes[grant] + provisioningMinutes["azure-native:storage:StorageAccount"];

    it.each([
      ["10m", 10],
      ["90s", 1.5],
      ["1h", 60],
      ["1h30m", 90],
      ["2.5m", 2.5],
      ["0", 0],
    ])("counts its createDuration %s as %d minutes, so the RTO estimate includes the wait", (duration, minutes) => {
      const path = criticalPath(waitingChain(duration));
      expect(path.chain.map((r) => r.name)).toEqual(["rg", "grant", "wait", "account"]);
      expect(path.minutes).toBe(Math.round((around + minutes) * 10) / 10);
      expect(path.untimedTypes).toEqual([]);
    });

    it("takes no time without a createDuration", () => {
      expect(criticalPath(waitingChain(undefined)).minutes).toBe(Math.round(around * 10) / 10);
    });

    it("is timed with the default, and reported, when its duration cannot be read (a secret, an unknown)", () => {
      const path = criticalPath(waitingChain("[secret]"));
      expect(path.untimedTypes).toEqual([sleep]);
      expect(path.minutes).toBe(Math.round((around + defaultMinutes) * 10) / 10);
    });

    it("puts a long wait on the critical path even when a parallel branch has more resources", () => {
      const path = criticalPath(
        capture([
          resource("rg", rg),
          resource("grant", grant, ["rg"]),
          Object.assign(resource("wait", sleep, ["grant"]), { inputs: { createDuration: "10m" } }),
          resource("vault", vault, ["rg"]),
          resource("key", key, ["vault"]),
          resource("key2", key, ["key"]),
        ]),
      );
      expect(path.chain.map((r) => r.name)).toEqual(["rg", "grant", "wait"]);
    });
  });

  it("is empty for a capture without custom resources", () => {
    expect(criticalPath(capture([]))).toEqual({ chain: [], minutes: 0, untimedTypes: [] });
  });
});
