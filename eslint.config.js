// typescript-eslint over Biome: the three things this linter is for (unused code, runs of blank
// lines, `void _x` leftovers) are each one core or typescript-eslint rule here, with no formatter
// to adopt over the whole tree. Not type-aware, so `npm run lint` stays a couple of seconds.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const voidLeftover = { selector: "ExpressionStatement > UnaryExpression[operator='void'] > Identifier", message: 'a `void x;` leftover: remove the unused name, or prefix a parameter with _' };
// In src/, arrays may hold one entry per URL or request: a spread into arguments puts each on
// the stack, and some 125,000 of them overflow it. Tests and the bench spread small arrays.
const argumentSpread = {
  selector: "CallExpression[callee.property.name=/^(push|unshift|splice|max|min|fromCharCode|apply)$/] > SpreadElement",
  message: 'a spread into arguments overflows the stack on a big array: loop, use concat, or maxOf/minOf from core/stats',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-output/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly', TextDecoder: 'readonly',
        TextEncoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Stripping control characters from what servers send is the point of those expressions.
      'no-control-regex': 'off',
      'no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0, maxBOF: 0 }],
      'no-restricted-syntax': ['error', voidLeftover],
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', voidLeftover, argumentSpread] } },
);
