import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ERROR_CODES, PackwrightError } from '../src/errors.js'
import { validateZip } from '../src/zip/read/validate-zip.js'
import { type ZipValidationReport } from '../src/zip/read/validate-zip-report.js'
import { arbitraryZipMutationPlan } from './helpers/arbitrary-zip-mutation-plan.js'
import { findUnzipDisagreements } from './helpers/find-unzip-disagreements.js'
import { buildSeedZips } from './helpers/fuzz-seed-zips.js'
import { mutateZip } from './helpers/mutate-zip.js'
import { type StreamingZipLister, startStreamingZipLister } from './helpers/streaming-zip-lister.js'
import { askUnzip } from './helpers/unzip-oracle.js'
import { type ZipModel, parseZipModel, serializeZipModel } from './helpers/zip-model.js'

// Longer local runs: PACKWRIGHT_FUZZ_RUNS=5000 PACKWRIGHT_FUZZ_SEED=7 npx vitest run test/zip-validator-fuzz.test.ts
const RUNS = Number(process.env.PACKWRIGHT_FUZZ_RUNS ?? 150)
const SEED = Number(process.env.PACKWRIGHT_FUZZ_SEED ?? 20261201)
/** Generous: these zips are a few kilobytes and validate in milliseconds. */
const VALIDATION_TIME_LIMIT_MS = 2000
const KNOWN_CODES = new Set<string>(ERROR_CODES)

let dir: string
let seeds: { label: string; model: ZipModel; bytes: Buffer }[]
let streaming: StreamingZipLister
let written = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-fuzz-'))
  seeds = (await buildSeedZips(dir)).map((seed) => ({ ...seed, model: parseZipModel(seed.bytes) }))
  streaming = await startStreamingZipLister(dir)
})
afterAll(async () => {
  await streaming.close()
  await rm(dir, { recursive: true, force: true })
})

/**
 * Everything Info-ZIP unzip and a streaming reader (which walks local headers
 * from byte 0) do differently from what a valid report promises. The
 * streaming reader must meet exactly our entries, no fewer (bytes the central
 * directory does not account for stop it) and no others (a local entry the
 * central directory hides). When it gives up with an error, only the names it
 * met before are judged: Java's reader refuses some valid layouts, such as
 * stored entries with data descriptors.
 */
async function findPeerDisagreements(path: string, report: ZipValidationReport): Promise<string[]> {
  const disagreements = findUnzipDisagreements(report, await askUnzip(path, dir))
  const streamed = await streaming.list(path)
  const ours = report.entries.map((entry) => entry.path)
  const hidden = streamed.names.filter((name) => !ours.includes(name))
  const complete = [...streamed.names].sort().join('\n') === [...ours].sort().join('\n')
  if (hidden.length > 0 || (streamed.error === undefined && !complete)) {
    disagreements.push(
      `a streaming reader meets ${JSON.stringify(streamed.names)}${streamed.error === undefined ? '' : ` before failing (${streamed.error})`}, we list ${JSON.stringify(ours)}`,
    )
  }
  return disagreements
}

async function writeZip(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `mutant-${written++}.zip`)
  await writeFile(path, bytes)
  return path
}

/**
 * Validates within the time limit and checks that nothing but a
 * PackwrightError with a known code comes out, thrown or reported.
 * Returns the report, or undefined when validation threw (acceptably).
 */
async function validateChecked(
  path: string,
  context: string,
): Promise<ZipValidationReport | undefined> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), VALIDATION_TIME_LIMIT_MS)
  })
  const outcome = await Promise.race([
    validateZip(path).then(
      (report) => ({ report }),
      (error: unknown) => ({ error }),
    ),
    timedOut,
  ]).finally(() => clearTimeout(timer))
  const elapsed = performance.now() - started
  expect(
    outcome,
    `validateZip did not answer within ${VALIDATION_TIME_LIMIT_MS} ms; ${context}`,
  ).not.toBe('timed out')
  expect(elapsed, `validateZip took ${elapsed.toFixed(0)} ms; ${context}`).toBeLessThan(
    VALIDATION_TIME_LIMIT_MS,
  )
  if (outcome === 'timed out') return undefined
  if ('error' in outcome) {
    const { error } = outcome
    expect(
      error,
      `validateZip threw something else than a PackwrightError; ${context}`,
    ).toBeInstanceOf(PackwrightError)
    if (error instanceof PackwrightError)
      expect(KNOWN_CODES.has(error.code), `unknown code ${error.code}; ${context}`).toBe(true)
    return undefined
  }
  for (const problem of outcome.report.problems) {
    expect(KNOWN_CODES.has(problem.code), `unknown code ${problem.code}; ${context}`).toBe(true)
    expect(problem.message, `empty message for ${problem.code}; ${context}`).not.toBe('')
  }
  expect(outcome.report.valid).toBe(outcome.report.problems.length === 0)
  return outcome.report
}

describe('validateZip on mutated zips, checked against Info-ZIP unzip and a streaming reader', () => {
  it('finds every seed zip valid, and unzip and a streaming reader read each exactly as listed', async () => {
    expect(seeds.map((seed) => seed.label)).toHaveLength(5)
    for (const seed of seeds) {
      const path = await writeZip(seed.bytes)
      const report = await validateChecked(path, seed.label)
      expect(report?.problems, seed.label).toEqual([])
      if (report === undefined) continue
      expect(await findPeerDisagreements(path, report), seed.label).toEqual([])
      // The model writes the seed back byte for byte, so layout mutations start from the real thing.
      expect(serializeZipModel(seed.model).bytes.equals(seed.bytes), seed.label).toBe(true)
    }
  })

  it(
    'answers in time with known codes only, and calls valid only zips that unzip and a streaming reader read exactly as listed',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(), arbitraryZipMutationPlan(), async (seedIndex, plan) => {
          const seed = seeds[seedIndex % seeds.length]
          if (seed === undefined) return
          const mutant = mutateZip(seed.model, plan)
          const context = `${seed.label}: ${mutant.steps.join('; ')}`
          const path = await writeZip(mutant.bytes)
          const report = await validateChecked(path, context)
          // Asking the peers is the slow part: ask them only about zips we call valid.
          if (report?.valid !== true) return
          const disagreements = await findPeerDisagreements(path, report)
          expect(disagreements, `validateZip calls this zip valid; ${context}`).toEqual([])
        }),
        { numRuns: RUNS, seed: SEED },
      )
    },
    120_000 + RUNS * 200,
  )
})
