/**
 * Private Link sub-resources (group ids) the embassy connects, with the private DNS zone each one's
 * records live in (Microsoft "Azure Private Endpoint private DNS zone values"). `blob_secondary` is
 * the read-access geo-secondary of an RA-GRS/RA-GZRS account; its records share the blob zone.
 * Backup vaults (Microsoft.DataProtection) are absent: Azure supports private endpoints only for
 * Recovery Services vaults ("Private endpoints for Azure Backup").
 */
export const privateLinkZones = {
  blob: "privatelink.blob.core.windows.net",
  blob_secondary: "privatelink.blob.core.windows.net",
  vault: "privatelink.vaultcore.azure.net",
  managedhsm: "privatelink.managedhsm.azure.net",
} as const;

/** A Private Link group id the embassy supports. */
export type PrivateLinkGroup = keyof typeof privateLinkZones;

/** The private DNS zones the embassy needs, one per distinct zone name. */
export const privateDnsZoneNames: readonly string[] = [...new Set(Object.values(privateLinkZones))];

/** Matches the ARM id of a private DNS zone named `zone` (any subscription and resource group). */
export function privateDnsZoneIdPattern(zone: string): RegExp {
  return new RegExp(`/providers/Microsoft\\.Network/privateDnsZones/${zone.replace(/\./g, "\\.")}$`, "i");
}
