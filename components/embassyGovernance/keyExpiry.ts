import * as pulumi from "@pulumi/pulumi";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import type { KeyManagement } from "../keyCustody/keyCustody";
import type { EmbassyContext } from "../shared/context";

/** The key store, as the auditors' grants need it. */
export interface GovernedKeyStore {
  /** `keyVault`: auditors get Key Vault Reader on it. `managedHsm`: local RBAC, a manual step. */
  readonly kind: KeyManagement;
  /** ARM id of the vault or HSM. */
  readonly id: pulumi.Input<string>;
  /** Its name (for the manual steps). */
  readonly name: pulumi.Input<string>;
  /** Its region: an Event Grid system topic lives in its source's region. */
  readonly location: string;
  /** Names this store's resources, empty for the host's (e.g. `replica` for a replica site's store). */
  readonly label?: string;
}

/**
 * Key Vault events that mean a key version is about to expire or has expired ("Azure Key Vault as
 * Event Grid source", MicrosoftDocs/azure-docs articles/event-grid/event-schema-key-vault.md):
 * KeyNearExpiry is what the rotation policy's `notify` action raises (`timeBeforeExpiry`, config key
 * `keyNotifyBeforeExpiryDays`); KeyExpired follows if nobody acted.
 */
export const keyExpiryEventTypes = ["Microsoft.KeyVault.KeyNearExpiry", "Microsoft.KeyVault.KeyExpired"] as const;

/** Name of the Event Grid subscription that turns key-expiry events into alerts. */
export const keyExpirySubscriptionName = "embassy-key-expiry";

/** What {@link keyExpiryAlerts} made: the resources that prove the control, and what stays manual. */
export interface KeyExpiryAlerts {
  /** ARM ids of the system topic and its subscription (evidence of `keys-rotation`); none for a Managed HSM. */
  readonly ids: readonly pulumi.Output<string>[];
  /** What a key custodian must do by hand. */
  readonly manualSteps: pulumi.Output<string[]>;
}

/** Where {@link keyExpiryAlerts} puts its resources and how its manual step names the keys. */
export interface KeyExpiryOptions {
  /** The component that owns the resources. */
  readonly parent: pulumi.Resource;
  /** The stack outputs whose values end in the key names, for the manual step, e.g. `storageKeyUri and registerKeyUris`. */
  readonly keyOutputs: string;
}

/**
 * Key near-expiry and expiry reach people (audit F16): the rotation policy's `notify` action only
 * raises an Event Grid event ("a KeyRotationPolicyAction that will trigger event grid events",
 * Azure SDK `KeyRotationPolicyAction.Notify`), so an Event Grid system topic on the vault
 * (`Microsoft.KeyVault.vaults`, in the vault's region: "system topic is created in the same
 * location as the Azure event source") delivers KeyNearExpiry and KeyExpired as Azure Monitor
 * alerts to the embassy's action group. "Azure Monitor alerts as a destination in Event Grid event
 * subscriptions is currently available only for Azure Key Vault system events", and "Cloud Events
 * Schema v1.0 … [is] the only schema type that's supported for Azure Monitor alerts destination"
 * (articles/event-grid/handler-azure-monitor-alerts.md, handle-key-vault-events-using-azure-monitor-alerts.md);
 * the provider says the severity "must be provided". Sev1, as the key-operations log alert: with
 * rotation before expiry (keyRotationDays < keyExpiryDays) a near-expiry event means rotation failed.
 *
 * Neither resource holds data, so neither is locked or protected: Pulumi recreates them. A system
 * topic is its own resource in the group, not a child of the vault, so the vault's lock does not
 * block changing them. Key Vault raises these events only for key versions created after the
 * subscription exists ("you must first subscribe to the event on your key vault",
 * articles/key-vault/general/event-grid-overview.md), and KeyCustody creates the keys in the same
 * `pulumi up`, in parallel: the manual step returned says to rotate each key once afterwards.
 *
 * Managed HSM: "Managed HSM does not support Event Grid Notifications"
 * (articles/key-vault/managed-hsm/key-rotation.md), and Event Grid has no topic type for it. No
 * resource is created; the key-operations log alert (ScheduledQueryRule) still catches disable,
 * delete and purge in the HSM's audit log, and expiry becomes a documented monthly check by a key
 * custodian, returned as a manual step.
 *
 * Used by EmbassyGovernance for the host's and a replica site's key store, and by a register-shard
 * stack for its own vault (shardStack.ts), each alerting the core's action group. Resource names:
 * `<prefix>-key-events[-<label>]` and `<prefix>-key-expiry[-<label>]`, under `options.parent`.
 */
export function keyExpiryAlerts(
  prefix: string,
  context: EmbassyContext,
  keyStore: GovernedKeyStore,
  actionGroupId: pulumi.Input<string>,
  options: KeyExpiryOptions,
): KeyExpiryAlerts {
  if (keyStore.kind === "managedHsm") {
    const manualSteps = pulumi
      .output(keyStore.name)
      .apply((hsm) => [
        `Managed HSM ${hsm} raises no Event Grid events ("Managed HSM does not support Event Grid Notifications"), so key near-expiry reaches nobody by itself. Monthly, a key custodian checks every key's expiry and rotation policy and rotates a key that is within keyNotifyBeforeExpiryDays of expiry: az keyvault key show --hsm-name ${hsm} --name <key> --query attributes.expires; az keyvault key rotation-policy show --hsm-name ${hsm} --name <key>; az keyvault key rotate --hsm-name ${hsm} --name <key>. File the output with the access review (docs/key-ceremony.md).`,
      ]);
    return { ids: [], manualSteps };
  }
  const suffix = keyStore.label === undefined ? "" : `-${keyStore.label}`;
  const topic = new eventgrid.SystemTopic(
    `${prefix}-key-events${suffix}`,
    {
      systemTopicName: pulumi.interpolate`egst-${keyStore.name}`,
      resourceGroupName: context.resourceGroupName,
      // A system topic lives in its source's region (the replica site's vault: the replica's region).
      location: keyStore.location,
      source: keyStore.id,
      topicType: "Microsoft.KeyVault.vaults",
      tags: context.tags,
    },
    { parent: options.parent },
  );
  const subscription = new eventgrid.SystemTopicEventSubscription(
    `${prefix}-key-expiry${suffix}`,
    {
      eventSubscriptionName: keyExpirySubscriptionName,
      resourceGroupName: context.resourceGroupName,
      systemTopicName: topic.name,
      eventDeliverySchema: "CloudEventSchemaV1_0",
      filter: { includedEventTypes: [...keyExpiryEventTypes] },
      destination: {
        endpointType: "MonitorAlert",
        severity: "Sev1",
        actionGroups: [actionGroupId],
        description:
          "Data embassy: a key is near expiry or expired, so its automatic rotation did not happen. Key custodians: rotate it now (docs/key-ceremony.md).",
      },
    },
    { parent: options.parent },
  );
  const manualSteps = pulumi
    .all([keyStore.name, topic.name, context.resourceGroupName])
    .apply(([vault, topicName, group]) => [
      `Key Vault raises key-expiry events only for key versions created after the Event Grid subscription ${keyExpirySubscriptionName} exists, and the first pulumi up creates the keys alongside it. After the first pulumi up, a key custodian confirms the subscription (az eventgrid system-topic show -g ${group} -n ${topicName}; portal: ${vault} > Events) and rotates every key once so that its current version is covered: az keyvault key rotate --vault-name ${vault} --name <key> (each key's name ends the stack outputs ${options.keyOutputs}).`,
    ]);
  return { ids: [topic.id, subscription.id], manualSteps };
}
