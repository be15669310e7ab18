import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { DefaultArtifactClient } from '@actions/artifact'
import { generatePackage } from '@packwright/core'
import { createActionsLogger } from './actions-logger.js'
import { artifactUrl } from './artifact-url.js'
import { INPUTS } from './constants.js'
import { formatBytes } from './format-bytes.js'
import { formatFailure } from './format-failure.js'
import { readInputs } from './inputs.js'
import { packageFileName, renderNameTemplate } from './name-template.js'
import { setArtifactOutputs, setPackageOutputs } from './outputs.js'
import { resolveSource } from './resolve-source.js'
import { readRunContext } from './run-context.js'
import { writeJobSummary, type SummaryReport } from './summary.js'
import { uploadPackage } from './upload.js'

/** Registers every secret input with the runner before anything can log it. */
function maskSecrets(): void {
  const token = core.getInput(INPUTS.githubToken)
  if (token !== '') core.setSecret(token)
}

async function packageAndUpload(): Promise<void> {
  maskSecrets()
  const inputs = readInputs()
  const context = readRunContext(process.env)
  const logger = createActionsLogger()

  const name = renderNameTemplate(inputs.nameTemplate, {
    repo: context.repo,
    sha: context.sha,
    sha7: context.sha.slice(0, 7),
    ref: context.refName,
  })
  const fileName = packageFileName(name)

  const resolved = await core.group('Finding the commit', () =>
    resolveSource(inputs.selection, context, logger),
  )
  const outDir = await mkdtemp(join(context.tempDir, 'packwright-'))
  const pkg = await core.group(`Packaging ${resolved.description}`, async () => {
    const generated = await generatePackage({
      source: resolved.source,
      outFile: join(outDir, fileName),
      mode: resolved.mode,
      ...(resolved.include === undefined ? {} : { include: resolved.include }),
      ...(resolved.exclude === undefined ? {} : { exclude: resolved.exclude }),
      allowEmpty: inputs.ifEmpty === 'warn',
      compressionLevel: inputs.compressionLevel,
      ...(resolved.readsApi
        ? { github: { apiBaseUrl: context.apiUrl, token: inputs.githubToken || undefined } }
        : {}),
      logger,
    })
    core.info(
      `${generated.path}: ${generated.entries.length} files, ${formatBytes(generated.size)}, sha256 ${generated.sha256}`,
    )
    return generated
  })
  if (pkg.entries.length === 0) {
    core.warning(
      `The package ${fileName} is empty: nothing in ${resolved.description} was selected.`,
    )
  }
  setPackageOutputs(pkg)

  let artifact: SummaryReport['artifact']
  if (inputs.uploadArtifact) {
    const uploaded = await core.group(`Uploading artifact ${fileName}`, () =>
      uploadPackage(new DefaultArtifactClient(), {
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

  await writeJobSummary({ fileName, description: resolved.description, pkg, artifact })
}

/**
 * The action: package the commit, upload it as a workflow artifact, set the
 * outputs and write the job summary. The only place that fails the step.
 */
export async function run(): Promise<void> {
  try {
    await packageAndUpload()
  } catch (error) {
    core.setFailed(formatFailure(error))
  }
}
