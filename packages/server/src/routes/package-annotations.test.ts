import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generatePackage } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, getJson, postJson, unprocessable } from '../../test/helpers/cf-requests.js'
import { multipartBody } from '../../test/helpers/multipart-body.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

/** Every documented annotation, as `packwright push` records them. */
const PUSHED = {
  'packwright.dev/version': '1.4.0',
  'packwright.dev/commit-sha': SHA,
  'packwright.dev/commit-message': 'Add the checkout page\n\nWith a second paragraph.',
  'packwright.dev/author-name': 'Ada Lovelace',
  'packwright.dev/author-email': 'ada@example.test',
  'packwright.dev/author-date': '2024-05-06T07:08:09+02:00',
  'packwright.dev/committer-name': 'Grace Hopper',
  'packwright.dev/committer-email': 'grace@example.test',
  'packwright.dev/committer-date': '2024-05-07T08:09:10Z',
  'packwright.dev/branch': 'main',
  'packwright.dev/source-date-epoch': '1714979289',
}

/** The DOS date and time fields of a zip's first local header (offsets 12 and 10). */
function firstEntryDosTime(zip: Buffer): { date: number; time: number } {
  return { date: zip.readUInt16LE(12), time: zip.readUInt16LE(10) }
}

describe('package annotations', () => {
  let server: TestServer
  let appGuid: string
  beforeAll(async () => {
    server = await startTestServer()
    appGuid = await createApp(server, 'annotated')
  })
  afterAll(async () => {
    await server.close()
  })

  function create(annotations: Record<string, unknown>) {
    return postJson(server, '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: appGuid } } },
      metadata: { annotations },
    })
  }

  it('stores the documented annotations and every package GET returns them', async () => {
    const annotations = { ...PUSHED, 'example.org/ticket': 'SHOP-12', plain: 'x' }
    const { status, body } = await create(annotations)
    expect(status).toBe(201)
    expect(body.metadata).toEqual({ labels: {}, annotations })
    const guid = body.guid as string
    const one = await getJson(server, `/v3/packages/${guid}`)
    expect((one.body.metadata as Record<string, unknown>).annotations).toEqual(annotations)
    for (const url of [`/v3/packages?guids=${guid}`, `/v3/apps/${appGuid}/packages`]) {
      const list = await getJson(server, url)
      const found = (list.body.resources as { guid: string; metadata: unknown }[]).find(
        (resource) => resource.guid === guid,
      )
      expect(found?.metadata).toEqual({ labels: {}, annotations })
    }
  })

  it('accepts keys and values at Cloud Foundry limits', async () => {
    const annotations = {
      [`${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(63)}.${'s'.repeat(61)}/${'n'.repeat(63)}`]:
        'v'.repeat(5000),
      'a_b.c-d': '',
      x: 'é'.repeat(5000),
    }
    const { status } = await create(annotations)
    expect(status).toBe(201)
  })

  it.each([
    ['', 'Metadata annotation key error: key cannot be empty string'],
    ['a/b/c', "Metadata annotation key error: key has more than one '/'"],
    [
      'bad_prefix!/name',
      "Metadata annotation key error: prefix 'bad_prefix!' must be in valid dns format",
    ],
    [
      `${`${'p'.repeat(60)}.`.repeat(4)}${'p'.repeat(60)}/name`,
      "Metadata annotation key error: prefix 'pppppppp...' is greater than 253 characters",
    ],
    [
      'CloudFoundry.org/name',
      "Metadata annotation key error: prefix 'cloudfoundry.org' is reserved",
    ],
    ['example.org/', 'Metadata annotation key error: key cannot be empty string'],
    ['has space', "Metadata annotation key error: 'has space' contains invalid characters"],
    ['-dash', "Metadata annotation key error: '-dash' starts or ends with invalid characters"],
    ['n'.repeat(64), "Metadata annotation key error: 'nnnnnnnn...' is greater than 63 characters"],
    ['tab\there', "Metadata annotation key error: 'tab\\u0009here' contains invalid characters"],
  ])('refuses annotation key %j with 422', async (key, message) => {
    expect(await create({ [key]: 'value' })).toEqual({ status: 422, body: unprocessable(message) })
  })

  it('refuses a value over 5000 characters, non-string values and more than 200 annotations', async () => {
    expect(await create({ note: 'w'.repeat(5001) })).toEqual({
      status: 422,
      body: unprocessable(
        "Metadata annotation value error: 'wwwwwwww...' is greater than 5000 characters",
      ),
    })
    expect(await create({ note: 5 })).toEqual({
      status: 422,
      body: unprocessable('Metadata annotations values must be strings'),
    })
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`k${index}`, 'v']))
    expect(await create(many)).toEqual({
      status: 422,
      body: unprocessable('Metadata annotations: 201 given, which would exceed maximum of 200'),
    })
  })

  it('takes empty values for the packwright.dev keys but the version', async () => {
    const { status } = await create({
      'packwright.dev/commit-message': '',
      'packwright.dev/branch': '',
      'packwright.dev/author-name': '',
    })
    expect(status).toBe(201)
  })

  it('quotes at most 100 characters of an unknown packwright.dev key', async () => {
    const key = `packwright.dev/${'k'.repeat(40)}`
    const { body } = await create({ [key]: 'v' })
    expect(JSON.stringify(body)).toContain(
      `'${key.slice(0, 100)}' is not a packwright.dev annotation`,
    )
    const longKey = `packwright.dev/${'k'.repeat(200)}`
    const long = await create({ [longKey]: 'v' })
    expect(JSON.stringify(long.body)).toContain(
      `'${longKey.slice(0, 100)}' is not a packwright.dev annotation`,
    )
  })

  it('accepts a source date epoch from 1980-01-01 to 2107-12-31 in whole seconds', async () => {
    for (const value of ['315532800', '1714979289', '4354819199']) {
      const { status } = await create({ 'packwright.dev/source-date-epoch': value })
      expect(status).toBe(201)
    }
  })

  it.each([
    '315532799',
    '4354819200',
    '',
    ' 1714979289',
    '1714979289.5',
    '-1',
    '01714979289',
    '1e9',
    'x',
  ])('refuses the source date epoch %j with 422', async (value) => {
    expect(await create({ 'packwright.dev/source-date-epoch': value })).toEqual({
      status: 422,
      body: unprocessable(
        "Metadata annotation value error: 'packwright.dev/source-date-epoch' must be whole seconds since 1970 from 315532800 to 4354819199 (what a zip entry time can hold), such as 1714979289",
      ),
    })
  })

  it('writes the package zip with the entry time its source date epoch names', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'packwright-epoch-'))
    try {
      await writeFile(join(folder, 'index.js'), 'console.log("stamped")\n')
      const epoch = 1_714_979_289 // 2024-05-06T07:08:09Z
      const stamped = await generatePackage({
        source: folder,
        outFile: join(folder, '..', `${folder.split('/').pop()}-stamped.zip`),
        mode: 'directory',
        sourceDateEpoch: epoch,
      })
      const plain = await generatePackage({
        source: folder,
        outFile: join(folder, '..', `${folder.split('/').pop()}-plain.zip`),
        mode: 'directory',
      })
      expect(stamped.sha256).not.toBe(plain.sha256)
      const { body } = await create({ 'packwright.dev/source-date-epoch': String(epoch) })
      const guid = body.guid as string
      const { payload, headers } = multipartBody([
        { name: 'bits', filename: 'package.zip', content: await readFile(plain.path) },
      ])
      const upload = await server.app.inject({
        method: 'POST',
        url: `/v3/packages/${guid}/upload`,
        headers: { ...server.as('write'), ...headers },
        payload,
      })
      expect(upload.json<{ state: string }>().state).toBe('READY')
      const ready = await getJson(server, `/v3/packages/${guid}`)
      expect((ready.body.data as { checksum: { value: string } }).checksum.value).toBe(
        stamped.sha256,
      )
      const download = await server.app.inject({
        method: 'GET',
        url: `/v3/packages/${guid}/download`,
        headers: server.as('write'),
      })
      expect(firstEntryDosTime(download.rawPayload)).toEqual({
        date: (44 << 9) | (5 << 5) | 6,
        time: (7 << 11) | (8 << 5) | (9 >> 1),
      })
      await rm(stamped.path)
      await rm(plain.path)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })

  it('checks the packwright.dev annotations and lists every problem at once', async () => {
    const { status, body } = await create({
      'packwright.dev/version': ' ',
      'packwright.dev/commit-sha': SHA.slice(0, 7),
      'packwright.dev/author-date': 'yesterday',
      'packwright.dev/committer-date': '2024-13-45T99:00:00Z',
      'packwright.dev/comit-message': 'typo',
    })
    expect(status).toBe(422)
    expect(body).toEqual(
      unprocessable(
        [
          "Metadata annotation value error: 'packwright.dev/version' must not be blank",
          "Metadata annotation value error: 'packwright.dev/commit-sha' must be a full commit SHA: 40 or 64 lowercase hex characters",
          "Metadata annotation value error: 'packwright.dev/author-date' must be an ISO 8601 date-time such as 2024-05-06T07:08:09Z",
          "Metadata annotation value error: 'packwright.dev/committer-date' must be an ISO 8601 date-time such as 2024-05-06T07:08:09Z",
          "Metadata annotation key error: 'packwright.dev/comit-message' is not a packwright.dev annotation (known: version, commit-sha, commit-message, author-name, author-email, author-date, committer-name, committer-email, committer-date, branch, source-date-epoch)",
        ].join(', '),
      ),
    )
  })
})
