export { hardenedVault, KeyCustody, wrappingKeyProperties } from "./keyCustody";
export type { EncryptionIdentity, KeyCustodyArgs, KeyManagement, KeyReference, WrappingKeySpec } from "./keyCustody";
