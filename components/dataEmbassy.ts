import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as authorization from "@pulumi/azure-native/authorization";
import * as resources from "@pulumi/azure-native/resources";
import type { EmbassyContext } from "./context";
import { Namer, suffixLength } from "./naming";
import { statefulOptions } from "./protection";
import type { Settings } from "./settingsSchema";

/** Arguments of {@link DataEmbassy}. */
export interface DataEmbassyArgs {
  /** Validated stack settings (see `loadSettings`). */
  readonly settings: Settings;
}

/**
 * A government's virtual data embassy: the registers' copies in a foreign EU region, under keys the
 * state holds, reachable only privately, backed up immutably and auditable.
 */
export class DataEmbassy extends pulumi.ComponentResource {
  /** Resource group that holds the whole embassy. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** Azure region hosting the embassy. */
  readonly location: string;
  /** Stable random suffix that makes this stack's globally unique names its own. */
  readonly nameSuffix: pulumi.Output<string>;

  constructor(name: string, args: DataEmbassyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataembassy:index:DataEmbassy", name, {}, opts);
    const { settings } = args;
    this.location = settings.hostRegion;

    const suffix = new random.RandomString(
      `${name}-name-suffix`,
      { length: suffixLength, lower: true, upper: false, numeric: true, special: false },
      { parent: this },
    );
    this.nameSuffix = suffix.result;
    const namer = new Namer({ prefix: settings.namePrefix, environment: settings.environment }, suffix.result);
    const tags = embassyTags(settings);
    const client = authorization.getClientConfigOutput({ parent: this });

    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: namer.localName("resourceGroup"), location: settings.hostRegion, tags },
      statefulOptions(settings.protectResources, { parent: this }),
    );
    this.resourceGroupName = group.name;

    const context: EmbassyContext = {
      resourceGroupName: group.name,
      resourceGroupId: group.id,
      location: settings.hostRegion,
      namer,
      tags,
      protect: settings.protectResources,
      subscriptionId: client.subscriptionId,
      tenantId: client.tenantId,
    };
    void context; // consumed by the components wired in below

    this.registerOutputs({ resourceGroupName: this.resourceGroupName, location: this.location, nameSuffix: this.nameSuffix });
  }
}

/** Tags every embassy resource carries, so auditors can find and attribute it. */
export function embassyTags(settings: Settings): Record<string, string> {
  return {
    workload: "data-embassy",
    environment: settings.environment,
    homeCountry: settings.homeCountry,
    managedBy: "pulumi",
  };
}
