import { PolicyPack } from "@pulumi/policy";
import { packName } from "../catalog/controls";
import { policies } from "./policies";

// Constructing the pack starts its analyzer server and prints the port: keep this file to that.
new PolicyPack(packName, { policies, enforcementLevel: "mandatory" });
