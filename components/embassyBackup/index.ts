export { EmbassyBackup } from "./embassyBackup";
export type { BackupContainer, BackupEncryption, BackupRetention, EmbassyBackupArgs } from "./embassyBackup";
