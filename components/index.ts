/** The data-embassy component library: settings, catalogs, naming and the embassy components. */
export * from "./countries";
export * from "./regions";
export * from "./registers";
export * from "./naming";
export * from "./cidr";
export * from "./settingsSchema";
export * from "./settings";
export * from "./protection";
export * from "./dataEmbassy";
export * from "./roles";
export * from "./context";
