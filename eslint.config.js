import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Text is text: incident titles, addresses and feed names come from citizens
 * and outside systems, so the wall never hands a string to an HTML parser.
 */
const HTML_SINKS = [
  { property: 'innerHTML', message: 'innerHTML parses HTML: set textContent, or build DOM nodes.' },
  { property: 'outerHTML', message: 'outerHTML parses HTML: replace the element with DOM nodes (replaceWith) and set their textContent.' },
  { property: 'insertAdjacentHTML', message: 'insertAdjacentHTML parses HTML: use insertAdjacentText, or insert DOM nodes.' },
  { property: 'setHTML', message: 'setHTML (MapLibre Popup#setHTML, Element#setHTML) parses HTML: use Popup#setText or Popup#setDOMContent with DOM nodes whose textContent is set.' },
  { property: 'setHTMLUnsafe', message: 'setHTMLUnsafe parses HTML: set textContent, or build DOM nodes.' },
  { object: 'document', property: 'write', message: 'document.write parses HTML: build DOM nodes and set their textContent.' },
  { object: 'document', property: 'writeln', message: 'document.writeln parses HTML: build DOM nodes and set their textContent.' },
]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        project: ['./tsconfig.client.json', './tsconfig.server.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // A server full of timers and sockets: an unhandled promise is a silent failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'smart'],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: 'Use the @shared/, @server/ or @client/ alias.' }] }],
      'vue/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['client/**/*.ts', 'client/**/*.vue'],
    rules: {
      'no-restricted-properties': ['error', ...HTML_SINKS],
      // The same sinks in template expressions (@click="$refs.x.innerHTML = …"), which the rule above does not see.
      'vue/no-restricted-syntax': ['error', ...HTML_SINKS.filter(s => !s.object).map(s => ({ selector: `MemberExpression[property.name='${s.property}']`, message: s.message }))],
      // :innerHTML="…" sets the DOM property: v-html under another name.
      'vue/no-restricted-v-bind': ['error', { argument: '/^(inner|outer)-?html$/i', message: 'Binding innerHTML/outerHTML parses HTML like v-html: render the text with {{ }} or bind textContent.' }],
    },
  },
  {
    // Plain JavaScript outside the TypeScript projects: this file, what runs before TypeScript can (server/launch.mjs), public scripts.
    files: ['eslint.config.js', '**/*.mjs', 'public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
)
