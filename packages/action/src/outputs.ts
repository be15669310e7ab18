import * as core from '@actions/core'
import { type GeneratedPackage } from '@packwright/core'
import { OUTPUTS } from './constants.js'
import { type UploadedArtifact } from './upload.js'

/** Sets the package outputs (path, sha256, size, file count). */
export function setPackageOutputs(pkg: GeneratedPackage): void {
  core.setOutput(OUTPUTS.packagePath, pkg.path)
  core.setOutput(OUTPUTS.packageSha256, pkg.sha256)
  core.setOutput(OUTPUTS.packageSize, String(pkg.size))
  core.setOutput(OUTPUTS.fileCount, String(pkg.entries.length))
}

/** Sets the artifact outputs (name, id, url, digest). */
export function setArtifactOutputs(artifact: UploadedArtifact, url: string): void {
  core.setOutput(OUTPUTS.artifactName, artifact.name)
  core.setOutput(OUTPUTS.artifactId, String(artifact.id))
  core.setOutput(OUTPUTS.artifactUrl, url)
  core.setOutput(OUTPUTS.artifactDigest, artifact.digest)
}
