import { createHash } from 'node:crypto'

/** Where a test reaches a package server, and the token it sends. */
export interface CfServer {
  readonly url: string
  readonly token: string
}

export interface CfAnswer {
  readonly status: number
  readonly body: Record<string, unknown>
}

/** A JSON request to the server's v3 API. */
export async function cfJson(
  server: CfServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<CfAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${server.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** Creates an app and a bits package for it; answers the package's guid. */
export async function createBitsPackage(server: CfServer, appName: string): Promise<string> {
  const found = await cfJson(server, 'GET', `/v3/apps?names=${encodeURIComponent(appName)}`)
  const existing = (found.body.resources as { guid: string }[] | undefined)?.[0]?.guid
  const appGuid =
    existing ?? ((await cfJson(server, 'POST', '/v3/apps', { name: appName })).body.guid as string)
  const created = await cfJson(server, 'POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: appGuid } } },
  })
  if (created.status !== 201) throw new Error(`package not created: ${JSON.stringify(created)}`)
  return created.body.guid as string
}

/** `POST /v3/packages/:guid/upload` with a `resources` field and, when given, a `bits` zip. */
export async function uploadPackage(
  server: CfServer,
  guid: string,
  resources: unknown,
  zip: Buffer | undefined,
): Promise<CfAnswer> {
  const form = new FormData()
  form.append('resources', JSON.stringify(resources))
  if (zip !== undefined) {
    form.append('bits', new Blob([zip], { type: 'application/octet-stream' }), 'package.zip')
  }
  const response = await fetch(`${server.url}/v3/packages/${guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${server.token}` },
    body: form,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** Polls the package until it leaves PROCESSING_UPLOAD; answers its last record. */
export async function settledPackage(
  server: CfServer,
  guid: string,
): Promise<Record<string, unknown>> {
  for (;;) {
    const answer = await cfJson(server, 'GET', `/v3/packages/${guid}`)
    if (answer.body.state !== 'PROCESSING_UPLOAD') return answer.body
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The sha256 of the package zip the server serves. */
export async function downloadedSha256(server: CfServer, guid: string): Promise<string> {
  const response = await fetch(`${server.url}/v3/packages/${guid}/download`, {
    headers: { authorization: `bearer ${server.token}` },
  })
  if (response.status !== 200) throw new Error(`download of ${guid} answered ${response.status}`)
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex')
}
