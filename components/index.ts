/**
 * The data-embassy component library: the five embassy components, the `DataEmbassy` that
 * composes them, the building blocks a caller needs to use one alone (context, naming,
 * protection), and the settings loader. Each folder's index says what it offers; internals stay
 * inside their folder.
 */
export * from "./dataEmbassy";
export * from "./embassyBackup";
export * from "./embassyGovernance";
export * from "./embassyNetwork";
export * from "./keyCustody";
export * from "./shared";
export * from "./sovereignStorage";
export { configNamespace, loadSettings, registerSchema, SettingsError, settingsSchema, validateSettings } from "../settings";
export type { Register, Settings, SettingsInput } from "../settings";
