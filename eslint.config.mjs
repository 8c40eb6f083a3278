import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "policy/node_modules/**", "bench/work/**", "out/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The catalog is facts only: the program, the pack, the reports and the tests all read it, so
    // it imports no package at all (no Pulumi, no schema library) and nothing outside itself.
    files: ["catalog/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(?!\\./)", message: "catalog/ holds plain facts: import only sibling catalog files." }] }],
    },
  },
  {
    // The policy pack ships alone (`pulumi policy publish`): only its own files, the catalog and
    // its own dependencies.
    files: ["policy/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(\\.\\./)?(components|tools|bootstrap|tests|bench|examples|index)(/|$)",
              message: "The pack imports nothing from the program: move shared facts to catalog/.",
            },
            { regex: "^@pulumi/(?!policy$|pulumi($|/))", message: "The pack matches type tokens; it does not load provider SDKs." },
          ],
        },
      ],
    },
  },
);
