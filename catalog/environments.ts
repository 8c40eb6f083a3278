/** Stack kinds: dev may be thrown away; prod and dr carry production guards. */
export const environments = ["dev", "prod", "dr"] as const;

/** A stack kind. */
export type Environment = (typeof environments)[number];
