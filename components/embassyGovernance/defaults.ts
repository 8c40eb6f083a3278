/** EmbassyGovernance's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const embassyGovernanceDefaults = {
  /** CIS asks for at least a year of logs. */
  logRetentionDays: 365,
  enforcement: "Deny",
  keyRotationDays: 365,
} as const;
