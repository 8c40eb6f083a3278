import * as pulumi from "@pulumi/pulumi";
import { keyCustodyProblems } from "../components/keyCustody/keyCustody";
import { problem, rejectArguments } from "../components/shared/argumentProblems";

/** Component argument checks: every problem at once, by property path, as Pulumi's InputPropertiesError. */
describe("component argument problems", () => {
  it("throws every problem as an InputPropertiesError with the property paths, and nothing when there are none", () => {
    expect(() => rejectArguments("KeyCustody", "keys", [])).not.toThrow();
    let thrown: unknown;
    try {
      rejectArguments("EmbassyBackup", "bk", [problem("retention.dailyDays", "must be at least 7"), problem("containers", "must hold a container")]);
    } catch (err) {
      thrown = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
    const error = thrown as pulumi.InputPropertiesError;
    expect(error.errors).toEqual([
      { propertyPath: "retention.dailyDays", reason: "must be at least 7" },
      { propertyPath: "containers", reason: "must hold a container" },
    ]);
    expect(error.message).toBe("EmbassyBackup bk: retention.dailyDays must be at least 7; containers must hold a container");
  });

  it("names each weak key-custody argument by its path", () => {
    const context = {} as Parameters<typeof keyCustodyProblems>[0]["context"];
    const paths = keyCustodyProblems({
      context,
      keyCustodians: [],
      registers: ["a", "a"],
      keySize: 2048,
      keyExpiryDays: 20,
      keyManagement: "managedHsm",
      managedHsmAdmins: ["x"],
    }).map((p) => p.propertyPath);
    expect(paths).toEqual(["keySize", "keyExpiryDays", "keyRotationDays", "keyNotifyBeforeExpiryDays", "registers", "managedHsmAdmins"]);
  });
});
