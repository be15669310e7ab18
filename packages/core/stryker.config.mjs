// Mutation testing of @packwright/core. Run it with `pnpm mutation` at the
// repository root, which scopes it to folders or to what changed since a ref
// and names the report folder (MUTATION_REPORT_DIR) after the scope.
import { createRequire } from 'node:module'
import process from 'node:process'

const require = createRequire(import.meta.url)
const reports = process.env.MUTATION_REPORT_DIR ?? 'reports/mutation/all'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // Absolute paths: under pnpm, Stryker cannot find its plugins next to itself.
  plugins: [
    require.resolve('@stryker-mutator/vitest-runner'),
    require.resolve('@stryker-mutator/typescript-checker'),
  ],
  packageManager: 'pnpm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/**/*.ts', '!src/**/*.test.ts'],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // The machine may be shared: two workers by default (--concurrency to change it).
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  // Sandboxes of other runs (--tempDirName) are never copied into a new sandbox:
  // runs side by side would copy each other's sandboxes, which come and go mid-copy.
  ignorePatterns: ['/.stryker-tmp*'],
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: 85 },
}
