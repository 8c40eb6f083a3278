import * as pulumi from "@pulumi/pulumi";

/**
 * Resource names: Cloud Adoption Framework abbreviations + a short org prefix + the stack's
 * environment + a stable random suffix (from `@pulumi/random`, kept in stack state), so that a
 * DR stack's globally unique names never collide with the primary's.
 */

/** Azure's naming rule for one kind of resource. */
export interface NamingRule {
  /** CAF abbreviation used as the first part of the name. */
  readonly abbreviation: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Full-match pattern for a valid name. */
  readonly pattern: RegExp;
  /** Join parts with hyphens (false where Azure allows no separator). */
  readonly hyphenated: boolean;
  /** Human description used in error messages. */
  readonly rule: string;
}

const hyphenName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const hyphen = (abbreviation: string, maxLength: number, minLength = 3): NamingRule => ({
  abbreviation,
  minLength,
  maxLength,
  pattern: hyphenName,
  hyphenated: true,
  rule: `${minLength}–${maxLength} lower-case letters, digits and single hyphens, starting with a letter`,
});

/** Naming rules per kind of resource the embassy creates (Azure's documented limits). */
export const namingRules = {
  resourceGroup: hyphen("rg", 90, 1),
  storageAccount: {
    abbreviation: "st",
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    hyphenated: false,
    rule: "3–24 lower-case letters and digits, globally unique",
  },
  keyVault: hyphen("kv", 24),
  managedHsm: hyphen("hsm", 24),
  userAssignedIdentity: hyphen("id", 128),
  backupVault: hyphen("bvault", 50, 2),
  resourceGuard: hyphen("rguard", 50, 2),
  virtualNetwork: hyphen("vnet", 64, 2),
  subnet: hyphen("snet", 80),
  networkSecurityGroup: hyphen("nsg", 80),
  privateEndpoint: hyphen("pep", 64),
  networkInterface: hyphen("nic", 80),
  virtualNetworkPeering: hyphen("peer", 80),
  privateDnsZoneLink: hyphen("vnetlink", 80),
  logAnalyticsWorkspace: hyphen("log", 63, 4),
  actionGroup: hyphen("ag", 260),
  // Cloud Adoption Framework abbreviation "ampls"; names of 1-255 characters.
  monitorPrivateLinkScope: hyphen("ampls", 255),
} as const satisfies Record<string, NamingRule>;

/** A kind of resource that has a naming rule. */
export type NameKind = keyof typeof namingRules;

/** Site name of the second site's resources (the replica site of a host without a geo-pair, the standby site of a paired one), see {@link NameParts.site}. */
export const secondSite = "r";

/** Length of the random per-stack suffix. */
export const suffixLength = 5;

/** What goes into every name besides the abbreviation and the suffix. */
export interface NameParts {
  /** Short org code, e.g. `ee`. */
  readonly prefix: string;
  /** Stack kind, e.g. `dev`. */
  readonly environment: string;
  /**
   * Second site of the same stack (e.g. `r` for the replica region of a host without a geo-pair),
   * so its resources get names of their own next to the host's.
   */
  readonly site?: string;
}

/** Builds the name of `kind` for the given parts and suffix, without checking it. */
export function composeName(kind: NameKind, parts: NameParts, suffix: string, qualifier?: string): string {
  const rule = namingRules[kind];
  const pieces = [rule.abbreviation, parts.prefix, "emb", parts.environment, parts.site, qualifier, suffix].filter(
    (p): p is string => p !== undefined && p !== "",
  );
  return pieces.join(rule.hyphenated ? "-" : "");
}

/** Why `name` breaks `kind`'s rule, or undefined if it is valid. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = namingRules[kind];
  if (name.length < rule.minLength || name.length > rule.maxLength || !rule.pattern.test(name)) {
    return `${kind} name "${name}" (${name.length} characters) breaks Azure's rule: ${rule.rule}`;
  }
  return undefined;
}

/**
 * Checks every name the embassy would generate, using a representative suffix of the real length,
 * so a bad prefix is reported before anything is registered.
 */
export function nameProblems(parts: NameParts): string[] {
  const sample = "x".repeat(suffixLength);
  return (Object.keys(namingRules) as NameKind[])
    .map((kind) => nameProblem(kind, composeName(kind, parts, sample)))
    .filter((p): p is string => p !== undefined);
}

/** Produces the embassy's resource names from the validated parts and the stack's random suffix. */
export class Namer {
  constructor(
    private readonly parts: NameParts,
    private readonly suffix: pulumi.Input<string>,
  ) {}

  /** The same names for a second site of the stack (see {@link NameParts.site}). */
  forSite(site: string): Namer {
    return new Namer({ ...this.parts, site }, this.suffix);
  }

  /** Name for `kind`; `qualifier` distinguishes several of a kind (e.g. subnet purpose). */
  name(kind: NameKind, qualifier?: string): pulumi.Output<string> {
    return pulumi.output(this.suffix).apply((suffix) => {
      const name = composeName(kind, this.parts, suffix, qualifier);
      const problem = nameProblem(kind, name);
      if (problem !== undefined) {
        throw new Error(problem);
      }
      return name;
    });
  }

  /** Name without the random suffix, for resources that are unique only within their parent. */
  localName(kind: NameKind, qualifier?: string): string {
    const name = composeName(kind, this.parts, "", qualifier);
    const problem = nameProblem(kind, name);
    if (problem !== undefined) {
      throw new Error(problem);
    }
    return name;
  }
}
