/**
 * An unsigned JWT whose `scp` claim names the workflow run and job, which is
 * all `@actions/artifact` reads from `ACTIONS_RUNTIME_TOKEN`.
 */
export function actionsRuntimeToken(runId: string, jobId: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}` })}.unsigned`
}
