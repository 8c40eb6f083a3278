import { vaultedBlobLimits } from "../../catalog/limits";

/** EmbassyBackup's defaults: the component applies them to omitted arguments, the settings schema to omitted keys. */
export const embassyBackupDefaults = {
  /** Azure's longest backup soft delete. */
  softDeleteDays: vaultedBlobLimits.softDeleteDays.max,
  immutability: "Unlocked",
  retention: { dailyDays: 35, weeklyWeeks: 13, monthlyMonths: 12, yearlyYears: 10 },
} as const;
