/** Shapes of identifiers the embassy accepts in configuration and checks in plans. */

/** A GUID, e.g. an Entra object id, a tenant id or a built-in role / policy definition id. */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
