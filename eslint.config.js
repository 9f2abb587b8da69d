import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/**', '.data/**', 'node_modules/**', 'db/migrations/**', 'tests/e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Routes stay thin: they call domain modules, never the database directly (DESIGN.md §9).
    files: ['app/routes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['#db/*', 'drizzle-orm', 'drizzle-orm/*'], message: 'Routes call modules in app/modules; they never touch the database.' }] },
      ],
    },
  },
  {
    files: ['app/modules/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['~/routes/*', '../routes/*'], message: 'Modules never import routes.' }] }],
    },
  },
);
