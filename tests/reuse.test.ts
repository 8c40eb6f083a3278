import * as path from "path";
import { ofType, plan, single } from "./helpers";

/** The component library is reusable: examples/keys-and-storage builds two components without DataEmbassy. */
describe("examples/keys-and-storage", () => {
  it("plans offline with key custody and storage alone, with the embassy's controls", async () => {
    const capture = await plan({ projectDir: path.join(__dirname, "..", "examples", "keys-and-storage"), stack: "example" });
    expect(ofType(capture, "dataembassy:index:DataEmbassy")).toEqual([]);
    expect(single(capture, "dataembassy:index:KeyCustody")).toBeDefined();
    const account = single(capture, "azure-native:storage:StorageAccount");
    expect(account.inputs).toMatchObject({
      location: "northeurope",
      sku: { name: "Standard_RAGZRS" },
      allowSharedKeyAccess: false,
      publicNetworkAccess: "Disabled",
      encryption: { keySource: "Microsoft.Keyvault", keyVaultProperties: { keyName: "cmk-storage" } },
    });
    expect(account.options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(single(capture, "azure-native:storage:EncryptionScope").inputs.keyVaultProperties).toEqual({
      keyUri: expect.stringMatching(/\/keys\/cmk-reg-archive$/),
    });
    expect(capture.outputs.redundancy).toBe("Standard_RAGZRS");
  });
});
