export { DataEmbassy, embassyTags } from "./dataEmbassy";
export { nextSteps, openForIngest, sealIntended } from "./phasePlan";
export type { DataEmbassyArgs } from "./dataEmbassy";
