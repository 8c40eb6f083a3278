/**
 * What a rule is: a pure function over resource inputs, matched by type token. Rules know nothing
 * of CrossGuard; policies.ts adapts them to `@pulumi/policy`, so they can be read, tested and
 * documented without starting a policy pack.
 */

/** A resource as the rules see it: its inputs (as sent to the provider) and what options the analyzer protocol carries. */
export interface ResourceView {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** Resource inputs. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Pulumi `protect` option. */
  readonly protect: boolean;
  /** Pulumi `ignoreChanges` option: input paths a later update leaves as they are in Azure. */
  readonly ignoreChanges: readonly string[];
  /** URNs this resource depends on (stack rules only; empty for resource rules). */
  readonly dependencies: readonly string[];
}

/** JSON schema of one policy config property, plus the value used when config sets none. */
export interface ConfigProperty {
  readonly schema: Readonly<Record<string, unknown>>;
  readonly default: unknown;
}

/** Policy config properties a rule reads (CrossGuard `configSchema`). */
export type ConfigSpec = Readonly<Record<string, ConfigProperty>>;

/** Policy config values, defaults applied. */
export type RuleConfig = Readonly<Record<string, unknown>>;

/** A rule that checks one resource at a time (CrossGuard `validateResource`). */
export interface ResourceRule {
  readonly kind: "resource";
  /** Type tokens the rule checks ({@link anyType} for all); other resources are not applicable. */
  readonly types: readonly string[];
  readonly config?: ConfigSpec;
  /** Violation messages for this resource (empty: compliant). */
  check(resource: ResourceView, config: RuleConfig): string[];
}

/** One violation found by a stack rule. */
export interface Finding {
  /** Resource that violates the rule. */
  readonly urn: string;
  readonly message: string;
}

/** A rule that needs the whole stack, e.g. "every storage account has a private endpoint" (CrossGuard `validateStack`). */
export interface StackRule {
  readonly kind: "stack";
  /** The rule is not applicable unless the stack has a resource of one of these types. */
  readonly appliesTo: readonly string[];
  readonly config?: ConfigSpec;
  check(resources: readonly ResourceView[], config: RuleConfig): Finding[];
}

/** Either kind of rule. */
export type Rule = ResourceRule | StackRule;

/** Stands for every type in {@link ResourceRule.types}. */
export const anyType = "*";

/** True if a resource rule checks resources of `type`. */
export function checksType(rule: ResourceRule, type: string): boolean {
  return rule.types.includes(anyType) || rule.types.includes(type);
}

/** Builds a resource rule. */
export function resourceRule(types: readonly string[], check: ResourceRule["check"], config?: ConfigSpec): ResourceRule {
  return { kind: "resource", types, check, config };
}

/** Builds a stack rule. */
export function stackRule(appliesTo: readonly string[], check: StackRule["check"], config?: ConfigSpec): StackRule {
  return { kind: "stack", appliesTo, check, config };
}

/** The config values a rule runs with: its defaults, overridden by the pack config. */
export function withDefaults(spec: ConfigSpec | undefined, configured: Readonly<Record<string, unknown>>): RuleConfig {
  const defaults = Object.fromEntries(Object.entries(spec ?? {}).map(([key, property]) => [key, property.default]));
  return { ...defaults, ...configured };
}
