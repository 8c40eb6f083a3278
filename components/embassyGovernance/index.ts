export { EmbassyGovernance } from "./embassyGovernance";
export type { EmbassyGovernanceArgs, FlowLogsArgs, GovernedKeyStore, PolicyBaselineArgs } from "./embassyGovernance";
export type { GovernancePrincipals } from "./access";
export type { Enforcement } from "./policyBaseline";
export type { DefenderPlanSettings } from "./defenderPlans";
