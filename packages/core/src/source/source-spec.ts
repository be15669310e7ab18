/**
 * Where files come from. Produced by `parseSourceSpec`.
 */
export type SourceSpec =
  /** `github:{owner}/{repo}/{ref}/{path}`: a repository at a commit, read over the REST API. */
  | {
      readonly kind: 'github'
      readonly owner: string
      readonly repo: string
      /** A commit SHA (7–40 hex), or a ref name where the caller allowed refs. */
      readonly ref: string
      /** Path inside the repository ('' for the root). */
      readonly path: string
    }
  /** `git:{repoDir}#{rev}[:{path}]`: a local repository at a commit, read from the object database. */
  | {
      readonly kind: 'git'
      readonly repoDir: string
      readonly rev: string
      readonly path: string
    }
  /** `./app`, `/abs/app`, `file:./app`: a local folder or a file (a spicepod manifest) on disk. */
  | { readonly kind: 'local'; readonly path: string }
  /** `docker://image[:tag]`: a docker package, which has no bits. */
  | { readonly kind: 'docker'; readonly image: string }
