export { EmbassyGovernance } from "./embassyGovernance";
export type { DiagnosticTarget, EmbassyGovernanceArgs, GovernedKeyStore, LockTarget, PolicyBaselineArgs } from "./embassyGovernance";
export type { GovernancePrincipals } from "./access";
export type { Enforcement } from "./policyBaseline";
