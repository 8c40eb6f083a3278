import { armTypes } from "../engine/armIds";
import type { CapturedResource } from "../engine/capture";

/**
 * Whether a change to a resource's inputs makes `pulumi up` replace it (delete and create) instead
 * of updating it in place. The offline engine has no provider schema, so it decides only from what
 * is certain, and says "may replace" where the rule comes from Azure's API conventions:
 *
 * - `replaceOnChanges` in the program (the captured option): the Pulumi engine replaces on a change
 *   of those inputs (https://www.pulumi.com/docs/iac/concepts/options/replaceonchanges/);
 * - an input that is a parameter of the resource's ARM URL (its name, resource group, parent's name,
 *   scope; tools/engine/armIds.ts holds each type's URL): azure-native replaces the resource, as the URL is
 *   its identity (pulumi/pulumi-azure-native#77, "any property from the path of a resource URL must
 *   cause replacement on update");
 * - `location`: ARM resources cannot change region, the API specs mark `location` create-only
 *   (`x-ms-mutability: [read, create]`, ARM linter rule LocationMustHaveXmsMutability, RPC-Put-V1-14),
 *   and azure-native replaces on a change of a property marked so (pulumi/pulumi-azure-native#71,
 *   #137). Not every spec carries the mark (Azure/azure-rest-api-specs#11083), so: "may replace" —
 *   where the provider updates instead, ARM refuses the update.
 */

/** How sure the replacement is, and why. */
export interface Replacement {
  /** `replaces`: the engine or provider replaces for certain; `may replace`: by Azure's conventions. */
  readonly certainty: "replaces" | "may replace";
  /** The input (path under `inputs`) that causes it. */
  readonly input: string;
  /** One short sentence. */
  readonly because: string;
}

/** The inputs of a type that are parameters of its ARM URL (its name, parent names, resource group, scope). */
export function urlParameters(type: string): string[] {
  const arm = armTypes[type];
  if (arm === undefined) return [];
  const placeholders = [...arm.id.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((p) => !["sub", "name"].includes(p));
  return [...new Set([arm.nameInput, ...placeholders])];
}

const topInput = (inputPath: string) => inputPath.split(/[.[]/)[0];

/** Does `replaceOnChanges` entry `pattern` (Pulumi property path, `*` wildcards) cover input `inputPath`? */
function covers(pattern: string, inputPath: string): boolean {
  if (pattern === "*") return true;
  const want = pattern.split(/\.|\[(?:\*|\d+)\]/).filter(Boolean);
  const have = inputPath.split(/\.|\[\d+\]/).filter(Boolean);
  return want.every((part, i) => part === "*" || part === have[i]);
}

/**
 * The replacement that changing `paths` (capture paths such as `inputs.location`,
 * `options.protect`) of `resource` causes, the most certain first; undefined for an in-place update.
 */
export function replacementOf(resource: Pick<CapturedResource, "type" | "options">, paths: readonly string[]): Replacement | undefined {
  const inputs = paths.filter((p) => p.startsWith("inputs.")).map((p) => p.slice("inputs.".length));
  for (const input of inputs) {
    const pattern = resource.options.replaceOnChanges.find((p) => covers(p, input));
    if (pattern !== undefined) return { certainty: "replaces", input, because: `the program sets replaceOnChanges: ${pattern}` };
  }
  const url = urlParameters(resource.type);
  for (const input of inputs) {
    if (url.includes(topInput(input))) {
      return { certainty: "replaces", input, because: `${topInput(input)} is part of the resource's ARM id: azure-native replaces it` };
    }
  }
  const location = inputs.find((i) => topInput(i) === "location");
  if (location !== undefined) return { certainty: "may replace", input: location, because: "an Azure resource cannot move to another region in place" };
  return undefined;
}
