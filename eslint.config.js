// One lint config for every runtime; the folder tells the runtime and what it may import.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronAndDom = [
  { name: 'electron', message: 'src/ is plain Node: Electron belongs in electron/.' },
  { name: 'react', message: 'src/ is plain Node: React belongs in renderer/.' },
  { name: 'react-dom', message: 'src/ is plain Node: React belongs in renderer/.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (style.md).' },
      ],
    },
  },
  {
    // Tool configuration files are read by their tools through a default export.
    files: ['*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { paths: electronAndDom }],
    },
  },
  {
    // The central runs on PostgreSQL or PGlite; the terminal's SQLite stays on the terminal.
    files: ['src/central/**/*.ts'],
    ignores: ['src/central/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronAndDom, { name: 'better-sqlite3', message: 'The central has no SQLite: use its CentralDb.' }],
          patterns: [{ group: ['../terminal/*', '../store/open-database.js', '../store/ledger.js'], message: 'The central does not use the terminal store.' }],
        },
      ],
    },
  },
  {
    // The domain is pure: no I/O, no clock, no randomness, no storage.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...electronAndDom,
            { name: 'better-sqlite3', message: 'The domain is pure: storage belongs in src/store.' },
            { name: 'pino', message: 'The domain is pure: it does not log.' },
          ],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process'], message: 'The domain is pure: no Node I/O.' },
            { group: ['../store/*', '../terminal/*', '../cli/*', '../api/*'], message: 'The domain depends on nothing else in src/.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The domain reads no clock: time comes in as an argument.' },
        { object: 'Math', property: 'random', message: 'The domain has no randomness: ids come in as arguments.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
