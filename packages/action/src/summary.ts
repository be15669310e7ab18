import * as core from '@actions/core'
import { type GeneratedPackage, type ResourceEntry } from '@packwright/core'
import { SUMMARY_LARGEST_FILES } from './constants.js'
import { type AttachedRelease } from './attach-to-release.js'
import { formatBytes } from './format-bytes.js'
import { packageContentDigest } from './package-content-digest.js'
import { type UploadedArtifact } from './upload.js'

/** What the job summary shows about one run of the action. */
export interface SummaryReport {
  readonly fileName: string
  readonly description: string
  readonly pkg: GeneratedPackage
  /** Undefined when the upload was turned off. */
  readonly artifact: (UploadedArtifact & { readonly url: string }) | undefined
  /** The release the package was attached to; undefined when there was none. */
  readonly release?: AttachedRelease | undefined
  /** File name of the provenance statement written beside the package, if one was. */
  readonly provenanceFileName?: string | undefined
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

function artifactCell(artifact: SummaryReport['artifact']): string {
  if (artifact === undefined) return 'not uploaded (<code>upload-artifact: false</code>)'
  const label = `${escapeHtml(artifact.name)} (id ${artifact.id})`
  return artifact.url === '' ? label : `<a href="${escapeHtml(artifact.url)}">${label}</a>`
}

function link(url: string, label: string): string {
  return url === '' ? escapeHtml(label) : `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`
}

/** The release table: which release of which tag, its state, and the attached files. */
function releaseTable(
  release: AttachedRelease,
  fileName: string,
  provenanceFileName: string | undefined,
): SummaryTableRow[] {
  const names = [
    fileName,
    `${fileName}.sha256`,
    ...(provenanceFileName === undefined ? [] : [provenanceFileName]),
  ]
  const assets = names.map((name, index) => link(release.assetUrls[index] ?? '', name)).join(', ')
  const unchanged = names.filter((name) => !release.changed.includes(name))
  const state = release.draft ? 'draft' : 'published'
  return [
    [
      { data: 'Release', header: true },
      { data: 'State', header: true },
      { data: 'Assets', header: true },
    ],
    [
      link(release.url, `${release.tag} (id ${release.id})`),
      state,
      unchanged.length === names.length ? `${assets} (unchanged)` : assets,
    ],
  ]
}

type SummaryTableRow = Parameters<typeof core.summary.addTable>[0][number]

/** The regular files, largest first (ties in path order); symlinks have no size to rank. */
function filesBySize(pkg: GeneratedPackage): ResourceEntry[] {
  return [...pkg.entries]
    .filter((entry) => entry.kind === 'file')
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Appends the package table and the largest files to the job summary. */
export async function writeJobSummary(report: SummaryReport): Promise<void> {
  const { pkg } = report
  const fileCount = pkg.entries.length
  core.summary.addHeading('packwright package', 3).addTable([
    [
      { data: 'Package', header: true },
      { data: 'Size', header: true },
      { data: 'Files', header: true },
      { data: 'SHA-256', header: true },
      { data: 'Artifact', header: true },
    ],
    [
      code(report.fileName),
      `${formatBytes(pkg.size)} (${pkg.size} bytes)`,
      String(fileCount),
      code(pkg.sha256),
      artifactCell(report.artifact),
    ],
  ])
  if (report.release !== undefined) {
    core.summary.addTable(releaseTable(report.release, report.fileName, report.provenanceFileName))
  }
  core.summary.addRaw(`<p>Source: ${code(report.description)} (${pkg.mode} package)</p>`, true)
  core.summary.addRaw(
    `<p>Content digest: ${code(packageContentDigest(pkg))} (the same for any compression of the same files; <code>packwright verify</code> compares it)</p>`,
    true,
  )
  if (report.provenanceFileName !== undefined) {
    core.summary.addRaw(
      `<p>Provenance: ${code(report.provenanceFileName)} (an unsigned in-toto statement, SLSA Provenance v1, naming the package's SHA-256 and the commit; output <code>provenance-path</code>)</p>`,
      true,
    )
  }
  const files = filesBySize(pkg)
  if (files.length > 0) {
    const largest = files.slice(0, SUMMARY_LARGEST_FILES)
    const items = largest.map((entry) => `<li>${code(entry.path)} ${formatBytes(entry.size)}</li>`)
    core.summary.addDetails(
      `Largest files (${largest.length} of ${files.length})`,
      `<ol>${items.join('')}</ol>`,
    )
  }
  await core.summary.write()
}
