import { embassyBackupDefaults } from "../components/embassyBackup/defaults";
import { embassyGovernanceDefaults } from "../components/embassyGovernance/defaults";
import { keyCustodyDefaults } from "../components/keyCustody/defaults";
import { defaultRoleAssignmentPropagationWait } from "../components/shared/propagation";
import { sovereignStorageDefaults } from "../components/sovereignStorage/defaults";
import { settingsSchema } from "../settings";

/**
 * One owner per default: each component exports its defaults and the settings schema reads them,
 * so a stack that leaves a key out gets exactly what a caller of the component alone gets.
 */
describe("defaults", () => {
  const defaulted = (key: string) => {
    const field = settingsSchema.shape[key as keyof typeof settingsSchema.shape];
    return (field as unknown as { parse: (v: undefined) => unknown }).parse(undefined);
  };

  it("the settings schema's defaults are the components' defaults", () => {
    const pairs: [string, unknown][] = [
      ["keyManagement", keyCustodyDefaults.keyManagement],
      ["keySize", keyCustodyDefaults.keySize],
      ["keyExpiryDays", keyCustodyDefaults.keyExpiryDays],
      ["keyRotationDays", keyCustodyDefaults.keyRotationDays],
      ["keyNotifyBeforeExpiryDays", keyCustodyDefaults.keyNotifyBeforeExpiryDays],
      ["recoverSoftDeletedVault", keyCustodyDefaults.recoverSoftDeletedVault],
      ["blobSoftDeleteDays", sovereignStorageDefaults.blobSoftDeleteDays],
      ["containerSoftDeleteDays", sovereignStorageDefaults.containerSoftDeleteDays],
      ["changeFeedRetentionDays", sovereignStorageDefaults.changeFeedRetentionDays],
      ["wormState", sovereignStorageDefaults.worm.state],
      ["wormRetentionDays", sovereignStorageDefaults.worm.retentionDays],
      ["backupSoftDeleteDays", embassyBackupDefaults.softDeleteDays],
      ["backupImmutability", embassyBackupDefaults.immutability],
      ["backupDailyRetentionDays", embassyBackupDefaults.retention.dailyDays],
      ["backupWeeklyRetentionWeeks", embassyBackupDefaults.retention.weeklyWeeks],
      ["backupMonthlyRetentionMonths", embassyBackupDefaults.retention.monthlyMonths],
      ["backupYearlyRetentionYears", embassyBackupDefaults.retention.yearlyYears],
      ["logRetentionDays", embassyGovernanceDefaults.logRetentionDays],
      ["policyEnforcement", embassyGovernanceDefaults.enforcement],
      ["roleAssignmentPropagationWait", defaultRoleAssignmentPropagationWait],
    ];
    for (const [key, componentDefault] of pairs) expect({ key, value: defaulted(key) }).toEqual({ key, value: componentDefault });
  });
});
