import * as pulumi from "@pulumi/pulumi";
import * as security from "@pulumi/azure-native/security";

/**
 * Microsoft Defender for Cloud plans for what the embassy keeps: Defender for Storage (activity
 * anomalies, on-upload malware scanning) and Defender for Key Vault (unusual access to keys).
 * Microsoft cloud security benchmark LT-1; built-ins 640d2586 and 0e6763cc audit them.
 *
 * A plan is a setting of the whole subscription (`Microsoft.Security/pricings/<plan>` at
 * `/subscriptions/<id>`): a data embassy normally owns its subscription, so the stack sets it; where
 * a platform team already manages the plans, the stack's keys turn them off here. Removing a plan
 * from the stack leaves the subscription's setting as it is (retainOnDelete), so that a refactoring
 * never silently downgrades protection.
 *
 * Defender for Storage's REST shape ("Enable and configure Microsoft Defender for Storage with REST
 * API", https://learn.microsoft.com/azure/defender-for-cloud/tutorial-enable-storage-plan):
 * `pricingTier: Standard`, `subPlan: DefenderForStorageV2`, extension `OnUploadMalwareScanning`
 * with `CapGBPerMonthPerStorageAccount` ("sets a cap on the maximum data that can be scanned for
 * malware each month", 5000 in Microsoft's example) and extension `SensitiveDataDiscovery`.
 * Malware scanning on upload creates an Event Grid system topic on each account, with Microsoft's
 * `StorageAntimalwareSubscription`, in the account's group: catalog/resourceTypes.ts lists those
 * types as implied by a plan, so the allowed-resource-types assignment never blocks them.
 *
 * Sensitive data discovery stays off: it samples register contents to classify them, the register
 * owners classify their registers already (`registers[].classification`), and where that sampling is
 * processed is not stated in the Microsoft documentation the embassy relies on. docs/auditor-guide.md
 * records the decision.
 */

/** Which plans to switch on. */
export interface DefenderPlanSettings {
  /** Defender for Storage (DefenderForStorageV2) with on-upload malware scanning. */
  readonly storage: boolean;
  /** Defender for Key Vault. */
  readonly keyVault: boolean;
}

/** Monthly malware-scanning cap per storage account, in GB (Microsoft's example value). */
export const malwareScanCapGbPerMonth = 5000;

/** Creates the plans asked for at subscription scope; returns their ARM ids. */
export function defenderPlans(
  prefix: string,
  subscriptionId: pulumi.Input<string>,
  plans: DefenderPlanSettings,
  parent: pulumi.Resource,
): pulumi.Output<string>[] {
  const scopeId = pulumi.interpolate`/subscriptions/${subscriptionId}`;
  const opts = { parent, retainOnDelete: true };
  const ids: pulumi.Output<string>[] = [];
  if (plans.storage) {
    const storage = new security.Pricing(
      `${prefix}-defender-storage`,
      {
        scopeId,
        pricingName: "StorageAccounts",
        pricingTier: "Standard",
        subPlan: "DefenderForStorageV2",
        extensions: [
          {
            name: "OnUploadMalwareScanning",
            isEnabled: "True",
            additionalExtensionProperties: { CapGBPerMonthPerStorageAccount: String(malwareScanCapGbPerMonth) },
          },
          { name: "SensitiveDataDiscovery", isEnabled: "False" },
        ],
      },
      opts,
    );
    ids.push(storage.id);
  }
  if (plans.keyVault) {
    const keyVault = new security.Pricing(`${prefix}-defender-key-vault`, { scopeId, pricingName: "KeyVaults", pricingTier: "Standard" }, opts);
    ids.push(keyVault.id);
  }
  return ids;
}
