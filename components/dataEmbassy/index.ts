export { DataEmbassy, embassyTags } from "./dataEmbassy";
export { nextSteps, openForIngest, sealIntended } from "./phasePlan";
export type { DataEmbassyArgs } from "./dataEmbassy";
export { readCore, RegisterShardStack, shardInterface } from "./shardStack";
export type { RegisterShardStackArgs, ShardInterface } from "./shardStack";
export type { StorageShard } from "./shards";
