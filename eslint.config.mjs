import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import packageBoundaries from './eslint/packageBoundaries.mjs';

// Code that must stay free of the editor API: the engine, the CLI, the shared protocol and the webview.
const vscodeFree = ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/protocol/**/*.ts', 'media/**/*.ts'];

// Editor calls that would let untrusted text reach the window unescaped (see the src/vscode block below).
const untrustedTextSyntax = [
  {
    selector:
      "MemberExpression[object.property.name='window'][property.name=/^(showErrorMessage|showWarningMessage|showInformationMessage|showQuickPick|showInputBox|createQuickPick|createInputBox)$/]",
    message:
      'Show messages, picks and inputs through Prompts (src/vscode/prompts.ts), which makes untrusted text safe.',
  },
  {
    selector: "NewExpression[callee.property.name='MarkdownString']",
    message:
      'Make markdown with safeMarkdown() (src/vscode/safeMarkdown.ts) and put untrusted text in with untrustedCode/untrustedMarkdown.',
  },
];

// A command registered on the side would skip the shared error handler and the manifest check.
const registerCommandSyntax = {
  selector:
    "MemberExpression[object.property.name='commands'][property.name=/^(registerCommand|registerTextEditorCommand)$/]",
  message:
    'Add the command to COMMAND_IDS (src/vscode/commandIds.ts) and commandTable.ts; registerCommands.ts registers it with the shared error handler.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.cache/**',
      '.vscode-test/**',
      'test-results/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Untrusted text reaches the window's messages, modals, picks and inputs only through prompts.ts, and
    // markdown only through safeMarkdown.ts: both pass it through src/core/untrustedText.ts (DESIGN habit 15).
    // Commands are registered only by registerCommands.ts, from the one typed table, with the shared error handler.
    files: ['src/vscode/**/*.ts'],
    ignores: ['src/vscode/prompts.ts', 'src/vscode/safeMarkdown.ts', 'src/vscode/registerCommands.ts'],
    rules: { 'no-restricted-syntax': ['error', ...untrustedTextSyntax, registerCommandSyntax] },
  },
  {
    files: ['src/vscode/registerCommands.ts'],
    rules: { 'no-restricted-syntax': ['error', ...untrustedTextSyntax] },
  },
  {
    files: ['src/vscode/prompts.ts', 'src/vscode/safeMarkdown.ts'],
    rules: { 'no-restricted-syntax': ['error', registerCommandSyntax] },
  },
  {
    files: vscodeFree,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'src/core, src/cli, src/protocol and media/ must not depend on the editor API.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
          message: 'src/core, src/cli, src/protocol and media/ must not depend on the editor API.',
        },
        {
          // Node's recursive mkdir never returns under /proc and the like; makeFolders fails fast, naming the folder.
          selector:
            "CallExpression[callee.name='mkdir'] Property[key.name='recursive'][value.value=true], CallExpression[callee.property.name='mkdir'] Property[key.name='recursive'][value.value=true]",
          message: 'Create folders with makeFolders (src/core/content/makeFolders.ts), not mkdir({ recursive: true }).',
        },
      ],
    },
  },
  {
    // The engine's packages: one-way imports through each package's index.ts (eslint/packageBoundaries.mjs).
    files: ['src/**/*.ts', 'media/**/*.ts'],
    plugins: { stowage: packageBoundaries },
    rules: { 'stowage/package-boundaries': 'error' },
  },
);
