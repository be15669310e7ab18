import { type RunContext } from './run-context.js'

/** The artifact's page on GitHub ('' outside a workflow run); opening it needs a GitHub login. */
export function artifactUrl(context: RunContext, artifactId: number): string {
  if (context.runId === undefined) return ''
  return `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}/artifacts/${artifactId}`
}
