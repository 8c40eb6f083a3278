import { DataEmbassy, loadSettings } from "./components";

// Config -> validated settings -> components. loadSettings throws one error listing every problem
// before any resource is registered.
const settings = loadSettings();
const embassy = new DataEmbassy("embassy", { settings });

export const resourceGroupName = embassy.resourceGroupName;
export const location = embassy.location;
export const registers = settings.registers.map((r) => r.name);
