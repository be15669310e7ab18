import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type ResourceEntry, generatePackage, planResourceUpload } from '@packwright/core'

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

export interface PushedPackage {
  readonly guid: string
  readonly record: Record<string, unknown>
  /** Files the server matched from its pool, and the bytes of the zip that was sent. */
  readonly matchedFiles: number
  readonly bitsBytes: number
}

/**
 * Pushes a folder the way a resource-matching client does: matches every
 * file, zips only the unmatched ones (core's writer, via a copy holding just
 * them), uploads zip and resources together and waits for the outcome.
 */
export async function pushFolder(
  server: CfServer,
  folder: string,
  files: Iterable<ResourceEntry>,
  appName: string,
): Promise<PushedPackage> {
  const manifest = [...files]
  const guid = await createBitsPackage(server, appName)
  const descriptors = manifest
    .filter((entry) => entry.kind === 'file')
    .map((entry) => ({
      checksum: { value: entry.sha1 },
      size_in_bytes: entry.size,
      path: entry.path,
      mode: entry.mode,
    }))
  const matched = await cfJson(server, 'POST', '/v3/resource_matches', { resources: descriptors })
  const known = new Set(
    (matched.body.resources as { checksum: { value: string } }[]).map((entry) =>
      entry.checksum.value.toLowerCase(),
    ),
  )
  const plan = planResourceUpload(manifest, known)
  const scratch = await mkdtemp(join(tmpdir(), 'packwright-push-'))
  try {
    let zip: Buffer | undefined
    if (plan.upload.length > 0) {
      const only = join(scratch, 'files')
      for (const entry of plan.upload) {
        await mkdir(dirname(join(only, entry.path)), { recursive: true })
        await copyFile(join(folder, entry.path), join(only, entry.path))
      }
      const out = join(scratch, 'bits.zip')
      await generatePackage({ source: only, outFile: out, mode: 'directory' })
      zip = await readFile(out)
    }
    const answer = await uploadPackage(server, guid, plan.resources, zip)
    if (answer.status !== 200 && answer.status !== 202) {
      throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`)
    }
    return {
      guid,
      record: await settledPackage(server, guid),
      matchedFiles: plan.resources.length,
      bitsBytes: zip?.length ?? 0,
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}
