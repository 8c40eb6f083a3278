/** Tests run transpile-only (SWC); type checking is the separate `npm run typecheck` step. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Plans are CPU-bound: use every core (jest's default leaves one idle for itself).
  maxWorkers: "100%",
  globalSetup: "<rootDir>/tests/setup/planCacheSetup.ts",
  globalTeardown: "<rootDir>/tests/setup/planCacheTeardown.ts",
  testTimeout: 60000,
};
