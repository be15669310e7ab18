import { type SourceSpec } from './source-spec.js'

/** Writes a spec back in the text form `parseSourceSpec` reads (the inverse for every valid spec). */
export function formatSourceSpec(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'github':
      return `github:${spec.owner}/${spec.repo}/${spec.ref}/${spec.path}`
    case 'git':
      return `git:${spec.repoDir}#${spec.rev}${spec.path === '' ? '' : `:${spec.path}`}`
    case 'local':
      return spec.path.includes(':') ? `file:${spec.path}` : spec.path
    case 'docker':
      return `docker://${spec.image}`
  }
}
