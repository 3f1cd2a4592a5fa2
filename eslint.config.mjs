// ESLint (flat config) for every workspace's TypeScript, type-aware: `npm run lint` (CI runs it
// after the type check). Only rules that guard what review kept finding by hand; see
// docs/lint.md for why each exists and for the few justified exceptions.
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/*.d.ts', 'proto/gen/**', '**/*.js', '**/*.mjs', '**/*.cjs', '.hub/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: ['./tsconfig.eslint.json'], tsconfigRootDir: import.meta.dirname },
    },
    // Directives in the code name rules of editors' and earlier configs too; they are not ours to police.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['./tsconfig.eslint.json'] })],
    },
    rules: {
      // A promise nobody awaits loses its rejection (and with it an outcome that must be recorded).
      '@typescript-eslint/no-floating-promises': 'error',
      // Enumerations kept in one place: a switch over a union must name every member (or end in a never check).
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
      // Each package parses its environment once, in its env.ts (zod, units in names).
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read the environment in this package\'s env.ts and pass the parsed value in.' }],
      // Dependencies point one way, inside a package too.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The console (React + Vite) is its own TypeScript program.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: { parserOptions: { project: ['./tsconfig.eslint.console.json'], tsconfigRootDir: import.meta.dirname } },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['./tsconfig.eslint.console.json'] })] },
    plugins: { 'react-hooks': reactHooks },
    // Hooks called conditionally or with stale dependencies are bugs a test rarely shows.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // env.ts parses the environment. Tests (*.test.ts) build the environment of the child
    // processes they start and set or restore a variable around a case: they configure, they
    // do not read configuration, and no production code runs from them. Build-tool configs
    // (vite.config.ts) are read by the tool on a developer's machine, not by the product.
    files: ['**/env.ts', '**/*.test.ts', '**/*.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
