export { DataEmbassy, embassyTags } from "./dataEmbassy";
export type { DataEmbassyArgs } from "./dataEmbassy";
