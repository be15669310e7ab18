/** The prefix of the annotations packwright itself documents and reads. */
export const PACKWRIGHT_ANNOTATION_PREFIX = 'packwright.dev/'

/**
 * The `metadata.annotations` keys a package carries on the package server:
 * `packwright push` records them from the git checkout it packaged, and the
 * server reads them (a package's version is its `version` annotation, else
 * its `commitSha`). One list, so the client and the server cannot drift.
 */
export const PACKWRIGHT_ANNOTATIONS = {
  /** The version the pusher gave (`--version`). */
  version: 'packwright.dev/version',
  /** Full commit id: 40 (SHA-1) or 64 (SHA-256) hex characters. */
  commitSha: 'packwright.dev/commit-sha',
  commitMessage: 'packwright.dev/commit-message',
  authorName: 'packwright.dev/author-name',
  authorEmail: 'packwright.dev/author-email',
  /** ISO 8601 date-time with an offset, e.g. `2024-05-06T07:08:09Z`. */
  authorDate: 'packwright.dev/author-date',
  committerName: 'packwright.dev/committer-name',
  committerEmail: 'packwright.dev/committer-email',
  committerDate: 'packwright.dev/committer-date',
  branch: 'packwright.dev/branch',
  /**
   * The entry time of the package zip, in decimal seconds since 1970: the
   * server stamps every entry with it, as `packwright generate` stamps a
   * commit source with its commit time. Absent: 1980-01-01T00:00:00Z.
   */
  sourceDateEpoch: 'packwright.dev/source-date-epoch',
} as const

/** One of the keys in {@link PACKWRIGHT_ANNOTATIONS}. */
export type PackwrightAnnotation =
  (typeof PACKWRIGHT_ANNOTATIONS)[keyof typeof PACKWRIGHT_ANNOTATIONS]
