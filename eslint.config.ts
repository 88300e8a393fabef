import js from '@eslint/js'
import type { Linter } from 'eslint'
import prettier from 'eslint-config-prettier'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import { LAYERS, type Layer } from './scripts/layers.ts'

const ROOT = import.meta.dirname
/** Folders outside src/ that no source file may import from. */
const NOT_SOURCE = ['test', 'bench', 'scripts', 'build', 'resources']

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`)

/**
 * What one folder may not import, as `import-x/no-restricted-paths` zones. The rule resolves each
 * specifier to a file first, so `../../engines`, `../engines/index.ts` and a dynamic `import()`
 * are the same path to it; packages are zones of node_modules with the allowed ones excepted.
 */
function zones(layer: Layer) {
  const message = `(${layer.folder}: ${layer.why}; see docs/development.md)`
  const others = LAYERS.map((l) => l.folder).filter((f) => f !== layer.folder)
  return [
    ...others
      .filter((f) => !layer.mayReach.some((r) => within(f, r)))
      .map((from) => ({
        target: layer.folder,
        from,
        // A reachable file inside an unreachable folder (the preload's contract).
        except: layer.mayReach
          .filter((r) => within(r, from))
          .map((r) => `.${r.slice(from.length)}`),
        message,
      })),
    ...NOT_SOURCE.map((from) => ({ target: layer.folder, from, message })),
    {
      target: layer.folder,
      from: 'node_modules',
      except: layer.packages.map((p) => `./${p}`),
      message,
    },
  ]
}

const layerRules: Linter.Config[] = LAYERS.map((layer) => ({
  files: [`${layer.folder}/**/*.{ts,mts,mjs,vue}`],
  rules: {
    'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: zones(layer) }],
    ...(layer.node ? {} : { 'import-x/no-nodejs-modules': 'error' }),
  },
}))

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'scratch/**',
      'test/golden/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  { languageOptions: { globals: { ...globals.node } } },
  {
    files: ['src/renderer/**', 'src/preview/**', 'test/dom/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The layering: every import of src/ resolves (so no zone is skipped for want of a file),
    // names Node's built-ins as node:*, and stays within what its folder may reach.
    files: ['src/**/*.{ts,mts,mjs,vue}'],
    plugins: { 'import-x': importX as unknown as NonNullable<Linter.Config['plugins']>[string] },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.mts', '.mjs', '.js', '.vue', '.json'] }),
      ],
    },
    rules: {
      // electron-vite's `?modulePath` import names a bundle, not a file.
      'import-x/no-unresolved': ['error', { ignore: ['\\?modulePath$'] }],
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules
            .filter((name) => !name.startsWith('node:'))
            .map((name) => ({ name, message: `name it node:${name}` })),
        },
      ],
    },
  },
  ...layerRules,
  {
    // A function a reader can hold in view: longer ones become named parts (STYLE: small functions).
    files: ['src/**/*.{ts,mts,mjs,vue}'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    files: ['src/engines/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: "engines draw from the run's seeded Prng" },
        {
          object: 'Date',
          property: 'now',
          message: 'engines run on simulated ticks, never the clock',
        },
        {
          object: 'performance',
          property: 'now',
          message: 'engines run on simulated ticks, never the clock',
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'window', 'document', 'process'].map(
          (name) => ({
            name,
            message: 'engines are pure and synchronous: no timers, DOM or process',
          }),
        ),
      ],
    },
  },
  prettier,
)
