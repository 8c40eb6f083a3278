import * as pulumi from "@pulumi/pulumi";

/**
 * The benchmark's yardstick: the least a Pulumi program under mocks can do — Node, `@pulumi/pulumi`
 * and one `@pulumi/azure-native` resource. Run the same way as the plan CLI, so a ratio to it
 * measures what the offline engine and the stack program add.
 */
async function main(): Promise<void> {
  // Mocks must be set before azure-native is loaded and the resource registered.
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "baseline",
    "dev",
    false,
  );
  const resources = await import("@pulumi/azure-native/resources");
  const group = new resources.ResourceGroup("baseline-rg", { location: "westeurope" });
  await new Promise<void>((resolve) => group.urn.apply(() => resolve()));
  await pulumi.runtime.disconnect();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
