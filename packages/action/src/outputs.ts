import * as core from '@actions/core'
import { type GeneratedPackage } from '@packwright/core'
import { OUTPUTS } from './constants.js'
import { type AttachedRelease } from './attach-to-release.js'
import { packageContentDigest } from './package-content-digest.js'
import { type UploadedArtifact } from './upload.js'

/** Sets the package outputs (path, sha256, content digest, size, file count). */
export function setPackageOutputs(pkg: GeneratedPackage): void {
  core.setOutput(OUTPUTS.packagePath, pkg.path)
  core.setOutput(OUTPUTS.packageSha256, pkg.sha256)
  core.setOutput(OUTPUTS.contentDigest, packageContentDigest(pkg))
  core.setOutput(OUTPUTS.packageSize, String(pkg.size))
  core.setOutput(OUTPUTS.fileCount, String(pkg.entries.length))
}

/** Sets the path of the package's provenance statement. */
export function setProvenanceOutput(path: string): void {
  core.setOutput(OUTPUTS.provenancePath, path)
}

/** Sets the artifact outputs (name, id, url, digest). */
export function setArtifactOutputs(artifact: UploadedArtifact, url: string): void {
  core.setOutput(OUTPUTS.artifactName, artifact.name)
  core.setOutput(OUTPUTS.artifactId, String(artifact.id))
  core.setOutput(OUTPUTS.artifactUrl, url)
  core.setOutput(OUTPUTS.artifactDigest, artifact.digest)
}

/**
 * Sets the release outputs: id, url, and the download URLs of the package,
 * its checksum and (when attached, the third asset) its provenance statement.
 */
export function setReleaseOutputs(release: AttachedRelease): void {
  core.setOutput(OUTPUTS.releaseId, String(release.id))
  core.setOutput(OUTPUTS.releaseUrl, release.url)
  core.setOutput(OUTPUTS.assetUrl, release.assetUrls[0] ?? '')
  core.setOutput(OUTPUTS.checksumAssetUrl, release.assetUrls[1] ?? '')
  core.setOutput(OUTPUTS.provenanceAssetUrl, release.assetUrls[2] ?? '')
}
