export type { EmbassyContext } from "./context";
export { Namer } from "./naming";
export { statefulOptions } from "./protection";
export { roleDefinitionId } from "./roles";
