/** Stack configuration → validated settings: the schema, the cross-key rules and the loader. */
export { configNamespace, loadSettings, rawSettings, SettingsError, validateSettings } from "./loadSettings";
export type { SettingsProblem } from "./crossKeyRules";
export { registerSchema } from "./registers";
export type { Register } from "./registers";
export { settingsSchema } from "./schema";
export type { Settings, SettingsInput, SettingsKey } from "./schema";
