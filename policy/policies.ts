import type { Policies, PolicyConfigSchema, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Control, controls } from "../catalog/controls";
import { rules } from "./rules";
import { checksType, ConfigSpec, ResourceView, Rule, withDefaults } from "./rules/rule";

/**
 * The catalog's controls as CrossGuard policies: name = control id, texts and severity from the
 * catalog, check from the rule. Every policy is mandatory unless the pack config says otherwise
 * (`--policy-pack-config`, or the plan's `--policy-config`).
 */

function configSchema(spec: ConfigSpec | undefined): PolicyConfigSchema | undefined {
  if (spec === undefined) return undefined;
  return { properties: Object.fromEntries(Object.entries(spec).map(([key, p]) => [key, { ...p.schema, default: p.default }])) } as PolicyConfigSchema;
}

function view(r: Pick<PolicyResource, "type" | "urn" | "name" | "props" | "opts">, dependencies: readonly string[]): ResourceView {
  return { type: r.type, urn: r.urn, name: r.name, props: r.props, protect: r.opts.protect, ignoreChanges: r.opts.ignoreChanges ?? [], dependencies };
}

function metadata(control: Control) {
  const cisV6 = control.cis.v6[0];
  return {
    name: control.id,
    displayName: control.title,
    description: control.title,
    severity: control.severity,
    enforcementLevel: "mandatory" as const,
    remediationSteps: control.remediation,
    tags: [
      control.area,
      ...control.cis.v3.map((id) => `cis-v3:${id}`),
      ...control.cis.v6.map((id) => `cis-v6:${id}`),
      ...control.azurePolicy.map((p) => `azure-policy:${p.guid}`),
    ],
    ...(cisV6 === undefined
      ? {}
      : { framework: { name: "CIS Microsoft Azure Foundations Benchmark", version: "6.0.0", reference: cisV6, specification: control.title } }),
  };
}

function toPolicy(control: Control, rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
  const base = { ...metadata(control), configSchema: configSchema(rule.config) };
  if (rule.kind === "resource") {
    return {
      ...base,
      validateResource: (args: ResourceValidationArgs, report) => {
        if (!checksType(rule, args.type)) args.notApplicable(`checks ${rule.types.join(", ")}`);
        const config = withDefaults(rule.config, args.getConfig<Record<string, unknown>>());
        for (const message of rule.check(view(args, []), config)) report(message);
      },
    };
  }
  return {
    ...base,
    validateStack: (args, report) => {
      if (!args.resources.some((r) => rule.appliesTo.includes(r.type))) args.notApplicable(`applies when the stack has ${rule.appliesTo.join(", ")}`);
      const config = withDefaults(rule.config, args.getConfig<Record<string, unknown>>());
      const resources = args.resources.map((r) =>
        view(
          r,
          r.dependencies.map((d) => d.urn),
        ),
      );
      for (const finding of rule.check(resources, config)) report(finding.message, finding.urn);
    },
  };
}

/** The pack's policies, in catalog order. */
export const policies: Policies = controls.map((control) => toPolicy(control, rules[control.id as keyof typeof rules]));
