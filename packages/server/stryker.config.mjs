// Mutation testing of the CodeNOW request checks and the annotation rules.
// Run it with `npx stryker run` in this folder (see packages/core/stryker.config.mjs).
import { createRequire } from 'node:module'
import process from 'node:process'

const require = createRequire(import.meta.url)
const reports = process.env.MUTATION_REPORT_DIR ?? 'reports/mutation/all'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  plugins: [require.resolve('@stryker-mutator/vitest-runner')],
  packageManager: 'pnpm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/codenow/validate-application-package-create.ts',
    'src/codenow/parse-package-list-query.ts',
    'src/codenow/key-rate-limiter.ts',
    'src/validation/annotation-problems.ts',
    'src/annotations/packwright-annotations.ts',
  ],
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `${reports}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  concurrency: 1,
  timeoutMS: 20000,
}
