/** SovereignStorage's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const sovereignStorageDefaults = {
  blobSoftDeleteDays: 90,
  containerSoftDeleteDays: 90,
  changeFeedRetentionDays: 365,
  /** Account-level version-level WORM: created Unlocked (ARM accepts no other state at creation). */
  worm: { state: "Unlocked", retentionDays: 365 },
} as const;
