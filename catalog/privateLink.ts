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
  // An Azure Monitor Private Link Scope (Microsoft.Insights/privateLinkScopes): its first zone here,
  // the others in privateLinkMoreZones.
  azuremonitor: "privatelink.monitor.azure.com",
} as const;

/** A Private Link group id the embassy supports. */
export type PrivateLinkGroup = keyof typeof privateLinkZones;

/**
 * Further zones a group's endpoint publishes records in. An Azure Monitor Private Link Scope's
 * endpoint (group `azuremonitor`) serves the global and workspace-specific endpoints of Azure
 * Monitor: "privatelink.monitor.azure.com, privatelink.oms.opinsights.azure.com,
 * privatelink.ods.opinsights.azure.com, privatelink.agentsvc.azure-automation.net,
 * privatelink.blob.core.windows.net" (Microsoft, "Azure Private Endpoint private DNS zone values",
 * https://learn.microsoft.com/azure/private-link/private-endpoint-dns#management-and-governance).
 */
export const privateLinkMoreZones: Readonly<Partial<Record<PrivateLinkGroup, readonly string[]>>> = {
  azuremonitor: [
    "privatelink.oms.opinsights.azure.com",
    "privatelink.ods.opinsights.azure.com",
    "privatelink.agentsvc.azure-automation.net",
    privateLinkZones.blob,
  ],
};

/** Every zone an endpoint of `group` publishes records in, its own first. */
export function privateLinkZonesOf(group: PrivateLinkGroup): readonly string[] {
  return [privateLinkZones[group], ...(privateLinkMoreZones[group] ?? [])];
}

/** The private DNS zones the embassy needs, one per distinct zone name. */
export const privateDnsZoneNames: readonly string[] = [...new Set((Object.keys(privateLinkZones) as PrivateLinkGroup[]).flatMap(privateLinkZonesOf))];

/** Matches the ARM id of a private DNS zone named `zone` (any subscription and resource group). */
export function privateDnsZoneIdPattern(zone: string): RegExp {
  return new RegExp(`/providers/Microsoft\\.Network/privateDnsZones/${zone.replace(/\./g, "\\.")}$`, "i");
}
