// Mutation testing of the action's input reading and artifact naming. Run it
// with `pnpm mutation` at the repository root (see packages/core/stryker.config.mjs).
import { createRequire } from 'node:module'
import process from 'node:process'

const require = createRequire(import.meta.url)
const reports = process.env.MUTATION_REPORT_DIR ?? 'reports/mutation/all'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
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
  mutate: ['src/inputs.ts', 'src/name-template.ts'],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/mutation.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  // Sandboxes of other runs (--tempDirName) are never copied into a new sandbox:
  // runs side by side would copy each other's sandboxes, which come and go mid-copy.
  ignorePatterns: ['/.stryker-tmp*'],
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: 85 },
}
