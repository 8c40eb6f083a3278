import { loadStateSettings } from "./settings";
import { StateBackend } from "./stateBackend";

// The state backend of the data embassy stacks. Config -> validated settings -> the backend;
// loadStateSettings throws one error listing every problem before anything is registered.
const settings = loadStateSettings();
const backend = new StateBackend("state", { settings });

export const backendUrl = backend.backendUrl;
export const secretsProvider = backend.secretsProvider;
export const resourceGroupName = backend.resourceGroupName;
export const storageAccountName = backend.storageAccountName;
export const keyVaultName = backend.keyVaultName;
export const storageSku = settings.storageSku;
export const geoSecondaryRegion = settings.geoSecondaryRegion;
