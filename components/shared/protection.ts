import * as pulumi from "@pulumi/pulumi";

/**
 * Resource options for stateful resources (vaults, keys, storage, backup vault, workspace).
 * `protect` makes Pulumi refuse to delete them; `retainOnDelete` keeps the Azure resource even if
 * it is removed from state. Only a throw-away dev stack may switch both off (protectResources).
 */
export function statefulOptions(protect: boolean, opts: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  return { ...opts, protect, retainOnDelete: protect };
}
