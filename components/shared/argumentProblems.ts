import * as pulumi from "@pulumi/pulumi";

/** One invalid component argument: where (a property path such as `retention.dailyDays`) and why. */
export interface ArgumentProblem {
  readonly propertyPath: string;
  readonly reason: string;
}

/** A problem with the argument at `propertyPath`; `reason` reads as its continuation ("must be …"). */
export const problem = (propertyPath: string, reason: string): ArgumentProblem => ({ propertyPath, reason });

/**
 * Throws every problem at once as Pulumi's `InputPropertiesError` (the engine prints each property
 * path, as pulumi-eks does), before the component registers a child. Nothing when there are none.
 */
export function rejectArguments(component: string, name: string, problems: readonly ArgumentProblem[]): void {
  if (problems.length === 0) return;
  throw new pulumi.InputPropertiesError({
    message: `${component} ${name}: ${problems.map((p) => `${p.propertyPath} ${p.reason}`).join("; ")}`,
    errors: problems.map((p) => ({ propertyPath: p.propertyPath, reason: p.reason })),
  });
}
