import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/access-token.js'
import { createApp, postJson } from '../../test/helpers/cf-requests.js'
import { type TestServer, startTestServer } from '../../test/helpers/start-test-server.js'

const MEDIA_TYPE = 'application/vnd.codenow.v1+json'
const MEDIA_TYPE_HEADER = /^application\/vnd\.codenow\.v1\+json(?:;|$)/
const ALL_KEY = 'codenow-all-8c1f'
const SHOP_KEY = 'codenow-shop-27de'
const SLOW_KEY = 'codenow-slow-93ab'
const SHA_WEB = 'a'.repeat(40)
const SHA_API = 'b'.repeat(40)
const SHA_WORKER = 'c'.repeat(40)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const WEB_ANNOTATIONS = {
  'packwright.dev/version': '1.2.0',
  'packwright.dev/commit-sha': SHA_WEB,
  'packwright.dev/commit-message': 'Add the checkout page',
  'packwright.dev/author-name': 'Ada Lovelace',
  'packwright.dev/author-email': 'ada@example.test',
  'packwright.dev/author-date': '2024-05-06T07:08:09+02:00',
  'packwright.dev/committer-name': 'Grace Hopper',
  'packwright.dev/committer-email': 'grace@example.test',
  'packwright.dev/committer-date': '2024-05-07T08:09:10Z',
  'packwright.dev/branch': 'main',
}

interface Answer {
  status: number
  headers: Record<string, unknown>
  body: unknown
}

describe('CodeNOW routes', () => {
  let server: TestServer
  let clock = Date.parse('2026-03-01T12:00:00Z')
  let webGuid: string
  let apiGuid: string

  beforeAll(async () => {
    server = await startTestServer({
      codenow: {
        apiKeys: [
          { name: 'all', sha256: hashToken(ALL_KEY), applications: ['*'] },
          { name: 'shop', sha256: hashToken(SHOP_KEY), applications: ['shop', 'shop-2'] },
          { name: 'slow', sha256: hashToken(SLOW_KEY), applications: ['*'], requestsPerMinute: 2 },
        ],
      },
      now: () => new Date(clock),
    })
    webGuid = await createApp(server, 'web', 'docker')
    apiGuid = await createApp(server, 'api', 'docker')
    await createApp(server, 'empty', 'docker')
    const docker = (appGuid: string, image: string, annotations: Record<string, string>) =>
      postJson(server, '/v3/packages', {
        type: 'docker',
        data: { image },
        relationships: { app: { data: { guid: appGuid } } },
        metadata: { annotations },
      })
    // An older package of the same version: the newest one wins.
    await docker(webGuid, 'registry.example.test/web:old', WEB_ANNOTATIONS)
    await docker(webGuid, 'registry.example.test/web:1.2.0', WEB_ANNOTATIONS)
    // No version annotation: known by its commit SHA, with nothing else recorded.
    await docker(apiGuid, 'registry.example.test/api', { 'packwright.dev/commit-sha': SHA_API })
    // A bits package that is not READY does not count.
    await server.storage.metadata.createPackage({
      guid: 'worker-pending',
      appGuid: apiGuid,
      type: 'bits',
      state: 'AWAITING_UPLOAD',
      sha1: null,
      sha256: null,
      error: null,
      docker: null,
      labels: {},
      annotations: { 'packwright.dev/version': '9.9.9', 'packwright.dev/commit-sha': SHA_WORKER },
      createdAt: '2026-03-01T12:00:00Z',
      updatedAt: null,
    })
    for (const [id, name] of [
      ['shop', 'Shop'],
      ['blog', 'Blog'],
    ]) {
      const created = await call('POST', '/applications', { id, name })
      if (created.status !== 200) throw new Error(JSON.stringify(created.body))
    }
  })
  afterAll(async () => {
    await server.close()
  })

  async function call(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    options: { key?: string | null; contentType?: string; rawPayload?: string } = {},
  ): Promise<Answer> {
    const key = options.key === undefined ? ALL_KEY : options.key
    const response = await server.app.inject({
      method,
      url,
      headers: {
        ...(key === null ? {} : { 'x-codenow-api-key': key }),
        ...(payload === undefined && options.rawPayload === undefined
          ? {}
          : { 'content-type': options.contentType ?? MEDIA_TYPE }),
      },
      ...(options.rawPayload !== undefined
        ? { payload: options.rawPayload }
        : payload === undefined
          ? {}
          : { payload: JSON.stringify(payload) }),
    })
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body === '' ? undefined : (JSON.parse(response.body) as unknown),
    }
  }

  function createPackage(applicationId: string, body: unknown, key?: string | null) {
    return call('POST', `/applications/${applicationId}/packages`, body, { key })
  }

  function problemsOf(answer: Answer) {
    return (answer.body as { problems: { field: string; message: string }[] }).problems
  }

  describe('create an application package', () => {
    it('answers 200 with the seed schema, field by field, commit metadata from the annotations', async () => {
      const answer = await createPackage('shop', {
        version: '1.0.0',
        components: [
          { componentId: 'web', version: '1.2.0' },
          { componentId: apiGuid, version: SHA_API },
        ],
        labels: [
          { color: 'green', text: 'release candidate' },
          { color: 'red', text: 'hotfix' },
        ],
      })
      expect(answer.status).toBe(200)
      expect(answer.headers['content-type']).toMatch(MEDIA_TYPE_HEADER)
      const body = answer.body as { labels: { id: string }[] }
      expect(body).toEqual({
        version: '1.0.0',
        applicationId: 'shop',
        basePackageVersion: null,
        archived: false,
        preview: false,
        components: [
          {
            componentId: 'web',
            version: '1.2.0',
            dockerImage: 'registry.example.test/web:1.2.0',
            deleted: false,
            branch: 'main',
            commit: {
              id: SHA_WEB,
              shortId: SHA_WEB.slice(0, 7),
              message: 'Add the checkout page',
              author: {
                name: 'Ada Lovelace',
                email: 'ada@example.test',
                date: '2024-05-06T07:08:09+02:00',
              },
              committer: {
                name: 'Grace Hopper',
                email: 'grace@example.test',
                date: '2024-05-07T08:09:10Z',
              },
            },
            partOfBasePackage: null,
          },
          {
            componentId: apiGuid,
            version: SHA_API,
            dockerImage: 'registry.example.test/api',
            deleted: false,
            branch: null,
            commit: {
              id: SHA_API,
              shortId: 'bbbbbbb',
              message: null,
              author: null,
              committer: null,
            },
            partOfBasePackage: null,
          },
        ],
        labels: [
          { id: body.labels[0]?.id, text: 'release candidate', color: 'green' },
          { id: body.labels[1]?.id, text: 'hotfix', color: 'red' },
        ],
      })
      for (const label of body.labels) expect(label.id).toMatch(UUID)
      expect(body.labels[0]?.id).not.toBe(body.labels[1]?.id)
      const again = await call('GET', '/applications/shop/packages/1.0.0')
      expect(again).toMatchObject({ status: 200, body })
    })

    it('accepts application/json, null labels and labels at their limits', async () => {
      const answer = await call(
        'POST',
        '/applications/blog/packages',
        { version: '0.1.0', components: [{ componentId: 'web', version: '1.2.0' }], labels: null },
        { contentType: 'application/json' },
      )
      expect(answer.status).toBe(200)
      expect((answer.body as { labels: unknown[] }).labels).toEqual([])
      const labels = Array.from({ length: 32 }, (_, index) => ({
        color: (['red', 'yellow', 'blue', 'green', 'black'] as const)[index % 5],
        text: index === 0 ? '😀'.repeat(256) : `label ${index}`,
      }))
      const full = await createPackage('blog', {
        version: '0.2.0',
        components: [{ componentId: 'web', version: '1.2.0' }],
        labels,
      })
      expect(full.status).toBe(200)
      expect(
        (full.body as { labels: { text: string }[] }).labels.map((label) => label.text),
      ).toEqual(labels.map((label) => label.text))
    })

    it('reports every validation problem in one 400 body', async () => {
      const answer = await createPackage('shop', {
        version: '',
        components: [{ componentId: '', version: '1' }, { version: 2 }, 'web'],
        labels: [
          { color: 'purple', text: 'x' },
          { color: 'RED', text: '' },
          { text: 't'.repeat(257) },
          { color: 'blue', text: 7 },
          null,
        ],
      })
      expect(answer.status).toBe(400)
      expect(answer.headers['content-type']).toMatch(MEDIA_TYPE_HEADER)
      const problems = [
        { field: 'version', message: 'must not be empty' },
        { field: 'components[0].componentId', message: 'must not be empty' },
        { field: 'components[1].componentId', message: 'is required' },
        { field: 'components[1].version', message: 'must be a string, got a number' },
        {
          field: 'components[2]',
          message: 'must be an object {componentId, version}, got a string',
        },
        { field: 'labels[0].color', message: 'must be one of red, yellow, blue, green, black' },
        { field: 'labels[1].color', message: 'must be one of red, yellow, blue, green, black' },
        { field: 'labels[1].text', message: 'must not be empty' },
        { field: 'labels[2].color', message: 'is required' },
        { field: 'labels[2].text', message: 'must be at most 256 characters, got 257' },
        { field: 'labels[3].text', message: 'must be a string, got a number' },
        { field: 'labels[4]', message: 'must be an object {color, text}, got null' },
      ]
      expect(answer.body).toEqual({
        status: 400,
        code: 'CODENOW_INVALID_REQUEST',
        message: `The request is invalid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
        problems,
      })
    })

    it.each([
      [
        {},
        [
          { field: 'version', message: 'is required' },
          { field: 'components', message: 'is required: at least 1 component' },
        ],
      ],
      [
        { version: '2.0.0', components: [] },
        [{ field: 'components', message: 'must hold at least 1 component' }],
      ],
      [
        { version: '2.0.0', components: {} },
        [{ field: 'components', message: 'must be an array, got an object' }],
      ],
      [
        { version: 2, components: [{ componentId: 'web', version: '1.2.0' }] },
        [{ field: 'version', message: 'must be a string, got a number' }],
      ],
      [
        { version: ' ', components: [{ componentId: 'web', version: ' ' }] },
        [
          { field: 'version', message: 'must not be empty' },
          { field: 'components[0].version', message: 'must not be empty' },
        ],
      ],
      [
        { version: '2.0.0', components: [{ componentId: 'web', version: '1.2.0' }], labels: 'red' },
        [{ field: 'labels', message: 'must be an array or null, got a string' }],
      ],
      [
        [1, 2],
        [
          {
            field: 'body',
            message: 'must be a JSON object {version, components, labels}, got an array',
          },
        ],
      ],
    ])('answers 400 for %j', async (body, problems) => {
      const answer = await createPackage('shop', body)
      expect(answer.status).toBe(400)
      expect(problemsOf(answer)).toEqual(problems)
    })

    it('answers 400 for more than 32 labels', async () => {
      const labels = Array.from({ length: 33 }, () => ({ color: 'blue', text: 'x' }))
      const answer = await createPackage('shop', {
        version: '3.0.0',
        components: [{ componentId: 'web', version: '1.2.0' }],
        labels,
      })
      expect(answer.status).toBe(400)
      expect(problemsOf(answer)).toEqual([
        { field: 'labels', message: 'must hold at most 32 labels, got 33' },
      ])
    })

    it('answers 400 saying so for a version the application already has, with other problems', async () => {
      const answer = await createPackage('shop', {
        version: '1.0.0',
        components: [{ componentId: 'web', version: '1.2.0' }],
        labels: [{ color: 'pink', text: 'x' }],
      })
      expect(answer.status).toBe(400)
      expect(problemsOf(answer)).toEqual([
        { field: 'labels[0].color', message: 'must be one of red, yellow, blue, green, black' },
        {
          field: 'version',
          message:
            'application "shop" already has a package with version "1.0.0"; versions are unique per application',
        },
      ])
      // Another application may use the same version.
      const other = await createPackage('blog', {
        version: '1.0.0',
        components: [{ componentId: 'web', version: '1.2.0' }],
      })
      expect(other.status).toBe(200)
    })

    it('takes a version once when two requests race for it', async () => {
      expect((await call('POST', '/applications', { id: 'race', name: 'Race' })).status).toBe(200)
      const body = { version: '8.0.0', components: [{ componentId: 'web', version: '1.2.0' }] }
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => createPackage('race', body)),
      )
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400])
    })

    it('answers 400 for a body that is not JSON, or of another media type', async () => {
      for (const answer of [
        await call('POST', '/applications/shop/packages', undefined, { rawPayload: '{"version":' }),
        await call('POST', '/applications/shop/packages', undefined, {
          rawPayload: '{"__proto__":{"x":1}}',
        }),
        await call('POST', '/applications/shop/packages', undefined, {
          rawPayload: 'version=1',
          contentType: 'text/plain',
        }),
        await call('POST', '/applications/shop/packages'),
      ]) {
        expect(answer.status).toBe(400)
        expect((answer.body as { code: string }).code).toBe('CODENOW_INVALID_REQUEST')
        expect(problemsOf(answer)).toHaveLength(1)
      }
    })

    it('answers 404 for an unknown application, and for each unknown component version at once', async () => {
      const unknown = await createPackage('nowhere', {
        version: '1.0.0',
        components: [{ componentId: 'web', version: '1.2.0' }],
      })
      expect(unknown.status).toBe(404)
      expect(unknown.body).toEqual({
        status: 404,
        code: 'CODENOW_NOT_FOUND',
        message: 'Application "nowhere" does not exist.',
        problems: [{ field: 'applicationId', message: 'names no application' }],
      })
      const components = await createPackage('shop', {
        version: '4.0.0',
        components: [
          { componentId: 'web', version: '1.2.0' },
          { componentId: 'web', version: SHA_WEB },
          { componentId: 'ghost', version: '1.0.0' },
          { componentId: 'api', version: '9.9.9' },
          { componentId: 'empty', version: '1.0.0' },
        ],
      })
      expect(components.status).toBe(404)
      expect(problemsOf(components)).toEqual([
        {
          field: 'components[1].version',
          message: `component "web" has no READY package with version "${SHA_WEB}"`,
        },
        {
          field: 'components[2].componentId',
          message: 'no component (app) is named "ghost" or has that guid',
        },
        {
          field: 'components[3].version',
          message: 'component "api" has no READY package with version "9.9.9"',
        },
        {
          field: 'components[4].version',
          message: 'component "empty" has no READY package with version "1.0.0"',
        },
      ])
      expect((await call('GET', '/applications/shop/packages/4.0.0')).status).toBe(404)
    })
  })

  describe('keys', () => {
    it('answers 401 without a key and with an unknown one, before reading the body', async () => {
      for (const key of [null, '', 'not-a-key']) {
        const answer = await createPackage('shop', '{broken', key)
        expect(answer.status).toBe(401)
        expect((answer.body as { code: string }).code).toBe('CODENOW_UNAUTHENTICATED')
        expect(JSON.stringify(answer.body)).not.toContain('not-a-key')
      }
      for (const url of ['/applications/shop/packages', '/applications/shop/packages/1.0.0']) {
        expect((await call('GET', url, undefined, { key: null })).status).toBe(401)
      }
      expect(
        (await call('POST', '/applications', { id: 'x', name: 'x' }, { key: null })).status,
      ).toBe(401)
    })

    it('does not take a bearer token for a CodeNOW key', async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: '/applications/shop/packages',
        headers: server.as('admin'),
      })
      expect(response.statusCode).toBe(401)
    })

    it('answers 403 when the key may not use the application, even an unknown one', async () => {
      const body = { version: '5.0.0', components: [{ componentId: 'web', version: '1.2.0' }] }
      for (const answer of [
        await createPackage('blog', body, SHOP_KEY),
        await createPackage('nowhere', body, SHOP_KEY),
        await call('GET', '/applications/blog/packages', undefined, { key: SHOP_KEY }),
        await call('GET', '/applications/blog/packages/1.0.0', undefined, { key: SHOP_KEY }),
        await call('POST', '/applications', { id: 'blog-2', name: 'Blog 2' }, { key: SHOP_KEY }),
      ]) {
        expect(answer.status).toBe(403)
        expect((answer.body as { code: string }).code).toBe('CODENOW_FORBIDDEN')
      }
      expect(
        (await call('GET', '/applications/shop/packages', undefined, { key: SHOP_KEY })).status,
      ).toBe(200)
      expect(
        (await call('POST', '/applications', { id: 'shop-2', name: 'Shop 2' }, { key: SHOP_KEY }))
          .status,
      ).toBe(200)
    })

    it('answers 429 with Retry-After past the key rate, and lets the key in again once it refills', async () => {
      const get = () => call('GET', '/applications/shop/packages', undefined, { key: SLOW_KEY })
      expect((await get()).status).toBe(200)
      expect((await get()).status).toBe(200)
      const limited = await get()
      expect(limited.status).toBe(429)
      expect(limited.headers['retry-after']).toBe('30')
      expect((limited.body as { code: string }).code).toBe('CODENOW_RATE_LIMITED')
      // Other keys are not held back.
      expect((await call('GET', '/applications/shop/packages')).status).toBe(200)
      clock += 29_000
      expect((await get()).headers['retry-after']).toBe('1')
      clock += 1_000
      expect((await get()).status).toBe(200)
      expect((await get()).status).toBe(429)
    })
  })

  describe('list and get', () => {
    it('lists packages oldest first, nested lists only when expanded', async () => {
      const bare = await call('GET', '/applications/shop/packages')
      expect(bare.status).toBe(200)
      expect(bare.headers['content-type']).toMatch(MEDIA_TYPE_HEADER)
      const packages = bare.body as { version: string; components: unknown[]; labels: unknown[] }[]
      expect(packages.map((item) => item.version)).toEqual(['1.0.0'])
      expect(packages[0]?.components).toEqual([])
      expect(packages[0]?.labels).toEqual([])
      const one = await call('GET', '/applications/shop/packages/1.0.0')
      for (const query of ['expand=labels&expand=components', 'expand=components,labels']) {
        const full = await call('GET', `/applications/shop/packages?${query}&includeArchived=false`)
        expect(full.body).toEqual([one.body])
      }
      const labelsOnly = await call('GET', '/applications/shop/packages?expand=labels')
      const [item] = labelsOnly.body as { components: unknown[]; labels: unknown[] }[]
      expect(item?.components).toEqual([])
      expect(item?.labels).toEqual((one.body as { labels: unknown[] }).labels)
      expect((await call('GET', '/applications/shop-2/packages')).body).toEqual([])
    })

    it('includes archived packages only when asked', async () => {
      await server.storage.metadata.createApplicationPackage({
        applicationId: 'blog',
        version: '0.0.1',
        basePackageVersion: null,
        archived: true,
        preview: false,
        components: [],
        labels: [],
        createdAt: '2026-01-01T00:00:00Z',
      })
      const versions = async (query: string) =>
        (
          (await call('GET', `/applications/blog/packages${query}`)).body as { version: string }[]
        ).map((item) => item.version)
      expect(await versions('')).toEqual(['0.1.0', '0.2.0', '1.0.0'])
      expect(await versions('?includeArchived=true')).toEqual(['0.1.0', '0.2.0', '1.0.0', '0.0.1'])
      const archived = await call('GET', '/applications/blog/packages/0.0.1')
      expect((archived.body as { archived: boolean }).archived).toBe(true)
    })

    it('answers 400 for bad list parameters, all at once', async () => {
      const answer = await call(
        'GET',
        '/applications/shop/packages?includeArchived=yes&expand=owners&colour=red',
      )
      expect(answer.status).toBe(400)
      expect(problemsOf(answer)).toEqual([
        {
          field: 'colour',
          message: 'is not a parameter of this list (known: includeArchived, expand)',
        },
        { field: 'includeArchived', message: 'must be true or false' },
        { field: 'expand', message: '"owners" is not one of labels, components' },
      ])
    })

    it('answers 404 in its own body for a path under /applications that names no route', async () => {
      for (const [method, url] of [
        ['GET', '/applications/shop'],
        ['GET', '/applications/shop/packages/1.0.0/extra'],
        ['POST', '/applications/shop/packages/1.0.0'],
      ] as const) {
        const answer = await call(method, url)
        expect(answer.status).toBe(404)
        expect(answer.body).toEqual({
          status: 404,
          code: 'CODENOW_NOT_FOUND',
          message: 'No such route: check the method and the path.',
          problems: [{ field: 'path', message: 'names no route of this API' }],
        })
      }
    })

    it('quotes at most 50 characters of an unknown expand value', async () => {
      const answer = await call('GET', `/applications/shop/packages?expand=${'z'.repeat(60)}`)
      expect(problemsOf(answer)).toEqual([
        { field: 'expand', message: `"${'z'.repeat(50)}" is not one of labels, components` },
      ])
    })

    it('answers 404 for an unknown application or version', async () => {
      expect((await call('GET', '/applications/nowhere/packages')).status).toBe(404)
      const missing = await call('GET', '/applications/shop/packages/7.7.7')
      expect(missing.status).toBe(404)
      expect((missing.body as { code: string }).code).toBe('CODENOW_NOT_FOUND')
    })

    it('marks a component deleted once its package is gone', async () => {
      const created = await postJson(server, '/v3/packages', {
        type: 'docker',
        data: { image: 'registry.example.test/web:2' },
        relationships: { app: { data: { guid: webGuid } } },
        metadata: { annotations: { 'packwright.dev/version': '2.0.0' } },
      })
      const answer = await createPackage('shop', {
        version: '6.0.0',
        components: [{ componentId: 'web', version: '2.0.0' }],
      })
      expect((answer.body as { components: { deleted: boolean }[] }).components[0]?.deleted).toBe(
        false,
      )
      await server.storage.metadata.deletePackage(created.body.guid as string)
      const after = await call('GET', '/applications/shop/packages/6.0.0')
      expect(after.body).toEqual({
        ...(answer.body as object),
        components: [{ ...(answer.body as { components: object[] }).components[0], deleted: true }],
      })
    })
  })

  describe('applications', () => {
    it('creates an application: 200 {id, name}; 400 for a taken id or a bad body', async () => {
      expect(await call('POST', '/applications', { id: 'docs', name: 'Docs' })).toMatchObject({
        status: 200,
        body: { id: 'docs', name: 'Docs' },
      })
      const taken = await call('POST', '/applications', { id: 'docs', name: 'Again' })
      expect(taken.status).toBe(400)
      expect(problemsOf(taken)).toEqual([
        { field: 'id', message: 'an application with this id already exists' },
      ])
      const bad = await call('POST', '/applications', { id: 'a/b', name: '' })
      expect(problemsOf(bad)).toEqual([
        { field: 'id', message: 'must be at most 200 characters without spaces, /, ?, # or %' },
        { field: 'name', message: 'must be a non-empty string' },
      ])
    })
  })

  it('documents the routes in /openapi.json with their media type, key header and answers', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Record<string, unknown>>>
    }>()
    const create = document.paths['/applications/{applicationId}/packages']?.post ?? {}
    const content = (create.requestBody as { content: Record<string, unknown> }).content
    expect(Object.keys(content)).toEqual([MEDIA_TYPE, 'application/json'])
    const responses = create.responses as Record<string, { content?: Record<string, unknown> }>
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '500'])
    expect(Object.keys(responses['200']?.content ?? {})).toEqual([MEDIA_TYPE])
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ in: 'header', name: 'x-codenow-api-key', required: true }),
    )
    expect(create.security).toEqual([])
  })

  it('answers 500 for a real fault, with nothing of its insides', async () => {
    const broken = await startTestServer({
      codenow: { apiKeys: [{ name: 'all', sha256: hashToken(ALL_KEY), applications: ['*'] }] },
    })
    await broken.storage.metadata.close()
    const response = await broken.app.inject({
      method: 'GET',
      url: '/applications/shop/packages',
      headers: { 'x-codenow-api-key': ALL_KEY },
    })
    expect(response.statusCode).toBe(500)
    expect(response.headers['content-type']).toMatch(MEDIA_TYPE_HEADER)
    expect(response.json()).toEqual({
      status: 500,
      code: 'CODENOW_INTERNAL_ERROR',
      message:
        'Something went wrong on the server; the request was not carried out. Try again later.',
      problems: [],
    })
    await broken.close().catch(() => undefined)
  })
})
