import type { TestServer } from './start-test-server.js'

export interface CfErrorBody {
  errors: { detail: string; title: string; code: number }[]
}

/** POSTs JSON with a write token and answers status and parsed body. */
export async function postJson(server: TestServer, url: string, payload: unknown) {
  const response = await server.app.inject({
    method: 'POST',
    url,
    headers: server.as('write'),
    payload: payload as Record<string, unknown>,
  })
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() }
}

export async function getJson(server: TestServer, url: string) {
  const response = await server.app.inject({ method: 'GET', url, headers: server.as('read') })
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() }
}

/** Creates an app and answers its guid. */
export async function createApp(
  server: TestServer,
  name: string,
  lifecycle: 'buildpack' | 'docker' = 'buildpack',
): Promise<string> {
  const { status, body } = await postJson(server, '/v3/apps', {
    name,
    lifecycle: { type: lifecycle },
  })
  if (status !== 201) throw new Error(`app ${name} not created: ${JSON.stringify(body)}`)
  return body.guid as string
}

export function unprocessable(detail: string): CfErrorBody {
  return { errors: [{ detail, title: 'CF-UnprocessableEntity', code: 10008 }] }
}
