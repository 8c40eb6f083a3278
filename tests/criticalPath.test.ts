import type { Capture, CapturedResource } from "../tools/capture";
import { criticalPath } from "../tools/criticalPath";
import { provisioningMinutes } from "../catalog/resourceTypes";

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

  it("is empty for a capture without custom resources", () => {
    expect(criticalPath(capture([]))).toEqual({ chain: [], minutes: 0, untimedTypes: [] });
  });
});
