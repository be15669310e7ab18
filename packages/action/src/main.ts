import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { DefaultArtifactClient } from '@actions/artifact'
import { generatePackage, type GeneratedPackage, type Logger } from '@packwright/core'
import { ActionError } from './action-error.js'
import { createActionsLogger } from './actions-logger.js'
import { artifactUrl } from './artifact-url.js'
import { attachToRelease, type AttachedRelease } from './attach-to-release.js'
import { checkArtifactNameFree } from './check-artifact-name.js'
import { checksumFileText } from './checksum-file.js'
import { INPUTS } from './constants.js'
import { FileBody } from './file-body.js'
import { formatFailure } from './format-failure.js'
import { readInputs, type ActionInputs } from './inputs.js'
import { packageFileName, renderNameTemplate } from './name-template.js'
import {
  setArtifactOutputs,
  setPackageOutputs,
  setProvenanceOutput,
  setReleaseOutputs,
} from './outputs.js'
import { phraseForAction } from './phrase-for-action.js'
import { writeProvenanceFile, type ProvenanceFile } from './provenance-file.js'
import { createReleaseClient } from './release-client.js'
import { releaseTagOf } from './release-tag.js'
import { resolveSource } from './resolve-source.js'
import { readRunContext, type RunContext } from './run-context.js'
import { writeJobSummary, type SummaryReport } from './summary.js'
import { uploadPackage } from './upload.js'

/** Registers every secret input with the runner before anything can log it. */
function maskSecrets(): void {
  const token = core.getInput(INPUTS.githubToken)
  if (token !== '') core.setSecret(token)
}

/** What a run leaves behind, so a failed run can clean up after itself. */
interface RunState {
  outDir?: string
  pkg?: GeneratedPackage
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Attaches the package, its `sha256sum` file and its provenance statement to the release of `tag`. */
async function releasePackage(
  inputs: ActionInputs,
  context: RunContext,
  pkg: GeneratedPackage,
  fileName: string,
  tag: string,
  logger: Logger,
  provenance: ProvenanceFile | undefined,
): Promise<AttachedRelease> {
  const client = createReleaseClient({ token: inputs.githubToken, apiUrl: context.apiUrl, logger })
  const checksums = Buffer.from(checksumFileText(pkg.sha256, fileName))
  return attachToRelease(
    { client, owner: context.owner, repo: context.repo },
    {
      tag,
      sha: context.sha,
      name: inputs.releaseName ?? tag,
      draft: inputs.releaseDraft,
      files: [
        {
          name: fileName,
          data: new FileBody(pkg.path, pkg.size),
          contentType: 'application/zip',
          sha256: pkg.sha256,
        },
        {
          name: `${fileName}.sha256`,
          data: checksums,
          contentType: 'text/plain',
          sha256: createHash('sha256').update(checksums).digest('hex'),
        },
        ...(provenance === undefined
          ? []
          : [
              {
                name: provenance.name,
                data: provenance.bytes,
                contentType: 'application/json',
                sha256: createHash('sha256').update(provenance.bytes).digest('hex'),
              },
            ]),
      ],
      logger,
    },
  )
}

async function packageAndUpload(state: RunState): Promise<void> {
  maskSecrets()
  const inputs = readInputs()
  const context = readRunContext(process.env)
  const logger = createActionsLogger()
  const releaseTag = releaseTagOf(inputs.release, process.env.GITHUB_REF)
  if (releaseTag !== undefined && inputs.githubToken === '') {
    throw new ActionError(
      'ACTION_INPUT_INVALID',
      `\`${INPUTS.githubToken}\` is empty, but attaching the package to the release of tag ${releaseTag} needs a token.`,
      {
        hint: 'Leave `github-token` at its default (the job token) or pass a token with `contents: write`.',
      },
    )
  }

  const name = renderNameTemplate(inputs.nameTemplate, {
    repo: context.repo,
    sha: context.sha,
    sha7: context.sha.slice(0, 7),
    ref: context.refName,
  })
  const fileName = packageFileName(name)
  const artifacts = inputs.uploadArtifact ? new DefaultArtifactClient() : undefined
  if (artifacts !== undefined && !inputs.overwrite) {
    await checkArtifactNameFree(artifacts, fileName, logger)
  }

  // A `from` spec is used as given: there is no commit to look for.
  const resolved =
    inputs.selection.kind === 'spec'
      ? await resolveSource(inputs.selection, context, logger)
      : await core.group('Finding the commit', () =>
          resolveSource(inputs.selection, context, logger),
        )
  const outDir = await mkdtemp(join(context.tempDir, 'packwright-'))
  state.outDir = outDir
  const github = {
    apiBaseUrl: context.apiUrl,
    token: inputs.githubToken || undefined,
  }
  const pkg = await core.group(`Packaging ${resolved.description}`, async () => {
    try {
      return await generatePackage({
        source: resolved.source,
        outFile: join(outDir, fileName),
        mode: resolved.mode,
        ...(resolved.include === undefined ? {} : { include: resolved.include }),
        ...(resolved.exclude === undefined ? {} : { exclude: resolved.exclude }),
        allowEmpty: inputs.ifEmpty === 'warn',
        compressionLevel: inputs.compressionLevel,
        ...(resolved.readsApi ? { github } : {}),
        logger,
      })
    } catch (error) {
      throw await phraseForAction(error, {
        selection: inputs.selection,
        source: resolved.source,
        sha: context.sha,
        githubToken: github.token,
        apiUrl: context.apiUrl,
      })
    }
  })
  state.pkg = pkg
  if (pkg.entries.length === 0) {
    core.warning(
      `The package ${fileName} is empty: nothing in ${resolved.description} was selected.`,
    )
  }
  setPackageOutputs(pkg)
  const provenance = inputs.provenance
    ? await writeProvenanceFile({
        pkg,
        fileName,
        outDir,
        resolved,
        compressionLevel: inputs.compressionLevel,
        ownCommit: inputs.selection.kind !== 'spec',
        context,
        ref: process.env.GITHUB_REF,
        githubToken: inputs.githubToken,
      })
    : undefined
  if (provenance !== undefined) setProvenanceOutput(provenance.path)

  let artifact: SummaryReport['artifact']
  if (artifacts !== undefined) {
    const uploaded = await core.group(`Uploading artifact ${fileName}`, () =>
      uploadPackage(artifacts, {
        zipPath: pkg.path,
        sha256: pkg.sha256,
        retentionDays: inputs.retentionDays,
        overwrite: inputs.overwrite,
        logger,
      }),
    )
    artifact = { ...uploaded, url: artifactUrl(context, uploaded.id) }
    setArtifactOutputs(uploaded, artifact.url)
  } else {
    core.info('Artifact upload is off (upload-artifact: false)')
  }

  let release: AttachedRelease | undefined
  if (releaseTag !== undefined) {
    release = await core.group(`Attaching ${fileName} to the release of tag ${releaseTag}`, () =>
      releasePackage(inputs, context, pkg, fileName, releaseTag, logger, provenance),
    )
    setReleaseOutputs(release)
  }

  try {
    await writeJobSummary({
      fileName,
      description: resolved.description,
      pkg,
      artifact,
      release,
      provenanceFileName: provenance?.name,
    })
  } catch (error) {
    core.warning(`The job summary was not written: ${messageOf(error)}`)
  }
}

/**
 * The action: package the commit, upload it as a workflow artifact, attach
 * it to the release of a pushed tag, set the outputs and write the job
 * summary. The only place that fails the step; a run that fails before the
 * package exists leaves no folder behind.
 */
export async function run(): Promise<void> {
  const state: RunState = {}
  try {
    await packageAndUpload(state)
  } catch (error) {
    if (state.outDir !== undefined && state.pkg === undefined) {
      await rm(state.outDir, { recursive: true, force: true }).catch(() => undefined)
    }
    core.setFailed(formatFailure(error))
  }
}
