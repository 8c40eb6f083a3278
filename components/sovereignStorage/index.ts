export { hardenedAccount, SovereignStorage } from "./sovereignStorage";
export type {
  AccountWorm,
  HardenedAccountArgs,
  RegisterContainer,
  ReplicaSiteStorage,
  SovereignStorageArgs,
  StorageEncryption,
  StorageKey,
} from "./sovereignStorage";
export { chooseRedundancy } from "./redundancy";
export type { Redundancy } from "./redundancy";
