import { Environment, environments } from "../../catalog/environments";
import { Phase, phases, phaseTag } from "../../catalog/phases";
import { types } from "../../catalog/resourceTypes";
import type { ResourceView } from "./rule";
import { text } from "./values";

/**
 * Which kind of stack a resource belongs to. The embassy tags every resource with `environment`
 * (components/dataEmbassy.ts embassyTags); resources that cannot carry tags inherit the stack's
 * kind, read from the resource group. Anything unknown is held to production rules.
 */

export type { Environment };

/** The `environment` tag of a resource, if it is a known kind. */
export function taggedEnvironment(resource: ResourceView): Environment | undefined {
  const tag = text(resource.props, "tags.environment");
  return environments.find((e) => e === tag);
}

/** The stack's kind: the resource group's tag, else any resource's, else `prod` (the strictest). */
export function stackEnvironment(resources: readonly ResourceView[]): Environment {
  const groups = resources.filter((r) => r.type === types.resourceGroup);
  for (const r of [...groups, ...resources]) {
    const env = taggedEnvironment(r);
    if (env !== undefined) return env;
  }
  return "prod";
}

/** The kind a resource is judged as: its own tag, else the stack's. */
export function environmentOf(resource: ResourceView, stack: Environment): Environment {
  return taggedEnvironment(resource) ?? stack;
}

/** Kinds that hold real register copies and get production guards. */
export function isProduction(env: Environment): boolean {
  return env !== "dev";
}

/**
 * The stack's lifecycle phase, from the resource group's phase tag (components/dataEmbassy). A
 * stack without one (the state backend) has no lifecycle: it is judged as complete (`sealed`).
 */
export function stackPhase(resources: readonly ResourceView[]): Phase {
  // The embassy's resource group carries it; a register-shard stack, which has none, tags its own resources.
  const groups = resources.filter((r) => r.type === types.resourceGroup);
  const tagged = (groups.length > 0 ? groups : resources).map((r) => text(r.props, `tags.${phaseTag}`)).find((t) => t !== undefined);
  return phases.find((p) => p === tagged) ?? "sealed";
}
