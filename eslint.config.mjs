// ESLint flat config: typescript-eslint's recommended rules; formatting is Prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const nodeGlobals = {
  console: "readonly",
  process: "readonly",
  require: "readonly",
  module: "writable",
  __dirname: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
};

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "dist-plugin/",
      "coverage/",
      "node_modules/",
      "examples/*/node_modules/",
      ".tmp/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // CommonJS scripts, the language host among them (an extensionless node script).
    files: ["**/*.cjs", "scripts/pulumi-plugins/pulumi-language-nodejs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
