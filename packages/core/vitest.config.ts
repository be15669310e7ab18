import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ts from 'typescript'
import { defineConfig } from 'vitest/config'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Worker threads run plain JavaScript, but tests run the writer from its
 * TypeScript sources: compile the worker module (which imports only Node's
 * own modules) once, and point the job runner at the compiled copy.
 */
const workerSource = join(here, 'src/zip/write/entry-job-processor.ts')
const compiledWorker = join(here, 'node_modules/.cache/packwright-test/entry-job-processor.mjs')

export default defineConfig({
  plugins: [
    {
      name: 'packwright-entry-job-worker',
      // Before the TypeScript transform, on the source as written.
      enforce: 'pre',
      configResolved() {
        const { outputText } = ts.transpileModule(readFileSync(workerSource, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
          fileName: workerSource,
        })
        mkdirSync(dirname(compiledWorker), { recursive: true })
        // Renamed into place: another test run may be starting workers from it right now.
        const temporary = `${compiledWorker}.${process.pid}.tmp`
        writeFileSync(temporary, outputText)
        renameSync(temporary, compiledWorker)
      },
      transform(code, id) {
        if (!id.endsWith('/src/zip/write/create-entry-job-runner.ts')) return undefined
        // The worker's relative URL, also when mutation testing has wrapped the
        // literal in its own code: an absolute URL makes the base irrelevant.
        const reference = /'\.\/entry-job-processor\.js'(?=\)?,\s*import\.meta\.url\))/
        if (!reference.test(code)) {
          throw new Error(
            `${id} no longer builds new URL('./entry-job-processor.js', import.meta.url)`,
          )
        }
        return code.replace(reference, JSON.stringify(pathToFileURL(compiledWorker).href))
      },
    },
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    clearMocks: true,
    restoreMocks: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
