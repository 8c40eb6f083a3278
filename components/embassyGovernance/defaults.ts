/** EmbassyGovernance's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const embassyGovernanceDefaults = {
  /** CIS asks for at least a year of logs. */
  logRetentionDays: 365,
  enforcement: "Deny",
  keyRotationDays: 365,
  /** VNet flow logs: a year, as the logs (0 keeps them forever). */
  flowLogRetentionDays: 365,
  /** Where Azure enables each region's Network Watcher automatically (network-watcher-create). */
  networkWatcherResourceGroup: "NetworkWatcherRG",
} as const;
