import type { JobRecord, MetadataStore } from '../storage/metadata-store.js'
import { INTERRUPTED_ASSEMBLY_MESSAGE } from './fail-interrupted-assemblies.js'
import { jobErrorFor } from './job-error-for.js'

/** The error of a job whose work a stop or crash cut short, when nothing more precise is known. */
const INTERRUPTED_JOB_ERROR = {
  detail: 'The server stopped before this job finished; start the operation again.',
  title: 'CF-UnknownError',
  code: 10001,
} as const

/** How an unfinished job ends, judged from what its work left behind. */
async function outcomeOf(
  job: JobRecord,
  metadata: MetadataStore,
): Promise<Pick<JobRecord, 'state' | 'errors'>> {
  const target = job.resourceGuid === null ? undefined : await metadata.getPackage(job.resourceGuid)
  if (job.operation === 'package.upload') {
    if (target?.state === 'READY') return { state: 'COMPLETE', errors: [] }
    return {
      state: 'FAILED',
      errors: [jobErrorFor(target?.error ?? INTERRUPTED_ASSEMBLY_MESSAGE)],
    }
  }
  if (job.operation === 'package.delete' && target === undefined) {
    return { state: 'COMPLETE', errors: [] }
  }
  return { state: 'FAILED', errors: [INTERRUPTED_JOB_ERROR] }
}

/**
 * Run at startup, after interrupted assemblies are FAILED: a job still
 * PROCESSING belonged to a server that stopped, and nothing will finish it.
 * An upload job ends as its package did (COMPLETE when READY, else FAILED
 * with the package's reason); a delete job is COMPLETE when the package is
 * gone; anything else is FAILED. Answers how many jobs were settled.
 */
export async function settleInterruptedJobs(
  metadata: MetadataStore,
  timestamp: () => string,
): Promise<number> {
  const jobs = await metadata.listUnfinishedJobs()
  for (const job of jobs) {
    const outcome = await outcomeOf(job, metadata)
    await metadata.updateJob(job.guid, { ...outcome, updatedAt: timestamp() })
  }
  return jobs.length
}
