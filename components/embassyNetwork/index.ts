export { EmbassyNetwork } from "./embassyNetwork";
export type { EmbassyNetworkArgs, PrivateDnsArgs } from "./embassyNetwork";
export { createPrivateLink } from "./privateEndpoint";
export type { PrivateLink, PrivateLinkPlacement, PrivateLinkTarget } from "./privateEndpoint";
