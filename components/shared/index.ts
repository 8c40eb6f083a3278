export type { EmbassyContext } from "./context";
export { allGoverned, nothingGoverned } from "./governed";
export type { DiagnosticKind, DiagnosticTarget, Governed, LockTarget, PrivateLinkRequest } from "./governed";
export { Namer } from "./naming";
export { statefulOptions } from "./protection";
export { roleDefinitionId } from "./roles";
