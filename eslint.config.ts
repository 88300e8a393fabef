import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import vue from 'eslint-plugin-vue'
import globals from 'globals'
import { builtinModules } from 'node:module'
import tseslint from 'typescript-eslint'
import { LAYERS } from './scripts/layers.ts'

const OTHER_LAYERS = ['main', 'preload', 'renderer', 'cli', 'host', 'services', 'engines', 'shared']
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** no-restricted-imports for one layer of scripts/layers.ts (the build enforces the same rules). */
const layerRules = LAYERS.map((layer) => {
  const own = layer.mayReach.map((f) => f.replace(/^src\//, ''))
  // A layer that may read the design and era files (data) reaches engines/<engine>/designs, eras only.
  const designs = own.filter((f) => /^engines\/\w+\/(designs|eras)$/.test(f))
  const unreachable = OTHER_LAYERS.filter((l) => !own.includes(l)).map((l) =>
    l === 'engines' && designs.length > 0
      ? `engines(?!/(${designs.map((f) => escapeRe(f.slice('engines/'.length))).join('|')})(/|$))`
      : l,
  )
  const allowed = layer.packages.map((p) => `${escapeRe(p)}(/|$)`).join('|')
  return {
    files: [`${layer.folder}/**/*.{ts,vue}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: layer.why })),
          patterns: [
            { regex: '^node:', message: layer.why },
            { regex: allowed ? `^(?!\\.|${allowed})` : '^(?!\\.)', message: layer.why },
            { regex: `^\\.\\.?/(\\.\\./)*(${unreachable.join('|')})(/|$)`, message: layer.why },
          ],
        },
      ],
    },
  }
})

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
    files: ['src/renderer/**', 'test/dom/**'],
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
  ...layerRules,
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
