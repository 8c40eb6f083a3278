import type { ResourceOptions } from "@pulumi/pulumi";
import type { Capture, CapturedResource } from "../tools/capture";
import { armTypes as mockArmShapes } from "../tools/armIds";
import { resourceGroupArmTypes } from "../catalog/resourceTypes";
import { azurePolicies } from "../catalog/azurePolicies";
import { ResourceTypeRecorder } from "../components/embassyGovernance/allowedResourceTypes";
import { managedHsmConfig, ofType, plan, unpairedHostConfig } from "./helpers";

const allowedTypesGuid = azurePolicies.allowedResourceTypes.guid;

function allowedTypesAssignments(capture: Capture): CapturedResource[] {
  return ofType(capture, "azure-native:authorization:PolicyAssignment").filter((a) => String(a.inputs.policyDefinitionId).endsWith(`/${allowedTypesGuid}`));
}

/**
 * The ARM type of a resource as the offline engine's mocks name it (tools/armIds.ts: the id Azure
 * would give it), independent of catalog/resourceTypes.ts; undefined for a resource at subscription
 * scope, or for a path that is an action rather than a resource (a container's legalHold).
 */
function armTypeFromMockId(resource: CapturedResource): string | undefined {
  const shape = mockArmShapes[resource.type];
  if (shape === undefined) return undefined;
  const scope = shape.id.startsWith("{scope}") ? String(resource.inputs.scope) : shape.id.startsWith("{resourceUri}") ? "/resourceGroups/" : shape.id;
  if (!/\/resourceGroups\//i.test(scope) || !shape.id.includes("/providers/")) return undefined;
  const path = shape.id.split("/providers/").at(-1) ?? "";
  const [namespace, ...segments] = path.split("/");
  if (segments.length % 2 !== 0) return undefined;
  return [namespace, ...segments.filter((_, i) => i % 2 === 0)].join("/");
}

/** Every ARM type a plan creates in a resource group, from the mocks' ids, plus each private endpoint's network interface. */
function createdArmTypes(capture: Capture): string[] {
  const created = new Set<string>();
  for (const r of capture.resources.filter((x) => x.custom)) {
    const type = armTypeFromMockId(r);
    if (type !== undefined) created.add(type);
    // Azure creates the endpoint's network interface in the endpoint's group (customNetworkInterfaceName).
    if (r.type === "azure-native:network:PrivateEndpoint") created.add("Microsoft.Network/networkInterfaces");
  }
  return [...created].sort();
}

const scenarios: [string, () => Promise<Capture>][] = [
  ["dev", () => plan()],
  ["prod", () => plan({ stack: "prod" })],
  ["dr", () => plan({ stack: "dr" })],
  ["managed HSM", () => plan({ config: managedHsmConfig })],
  ["unpaired host (object replication, no backup vault)", () => plan({ config: unpairedHostConfig })],
];

describe("allowed resource types (a08ec900)", () => {
  test.each(scenarios)("%s: one assignment on the resource group listing exactly the ARM types the plan creates there", async (_name, run) => {
    const capture = await run();
    const [assignment, ...more] = allowedTypesAssignments(capture);
    expect(more).toHaveLength(0);
    const group = ofType(capture, "azure-native:resources:ResourceGroup")[0];
    expect(String(assignment.inputs.scope)).toMatch(new RegExp(`/resourceGroups/${String(group.inputs.resourceGroupName)}$`));
    const listed = (assignment.inputs.parameters as { listOfResourceTypesAllowed: { value: string[] } }).listOfResourceTypesAllowed.value;
    // Never blocks the embassy: everything it creates in the group is allowed; and nothing else is.
    expect(listed).toEqual(createdArmTypes(capture));
    expect(resourceGroupArmTypes(capture.resources.map((r) => r.type)).unknown).toEqual([]);
  });

  test("the catalog's ARM type of every token agrees with the id the mocks give it", async () => {
    const capture = await plan({ stack: "prod" });
    for (const r of capture.resources.filter((x) => x.custom)) {
      const fromMock = armTypeFromMockId(r);
      if (fromMock === undefined) continue;
      expect([r.type, resourceGroupArmTypes([r.type]).armTypes.filter((t) => t !== "Microsoft.Network/networkInterfaces")]).toEqual([r.type, [fromMock]]);
    }
  });

  test("enforced in prod, report-only when policyEnforcement is Audit (the definition's effect is a fixed deny)", async () => {
    const [prod] = allowedTypesAssignments(await plan({ stack: "prod" }));
    expect(prod.inputs.enforcementMode).toBe("Default");
    const [audited] = allowedTypesAssignments(await plan({ config: { policyEnforcement: "Audit" } }));
    expect(audited.inputs.enforcementMode).toBe("DoNotEnforce");
    expect(audited.inputs.parameters).toEqual(allowedTypesAssignments(await plan()).map((a) => a.inputs.parameters)[0]);
  });

  test("the recorder refuses a resource registered after the list was fixed", () => {
    const recorder = new ResourceTypeRecorder();
    const [transformation] = recorder.watch<ResourceOptions>({}).transformations ?? [];
    recorder.finish();
    expect(() => transformation({ type: "azure-native:compute:VirtualMachine", name: "late", props: {}, opts: {}, resource: undefined as never })).toThrow(
      /registered after the allowed resource types were fixed/,
    );
  });
});
