import { plan, registered, single } from "./helpers";

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
    expect(registered(capture).length).toBeGreaterThan(2);
  });
});
