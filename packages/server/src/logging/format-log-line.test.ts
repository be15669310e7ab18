import { describe, expect, it } from 'vitest'
import { formatLogLine } from './format-log-line.js'

describe('formatLogLine', () => {
  const time = Date.parse('2026-03-01T12:00:01.500Z')

  it('shortens a request line to time, status, method, URL and duration', () => {
    const line = JSON.stringify({
      level: 30,
      time,
      msg: 'request',
      req: { method: 'GET', url: '/v3/packages' },
      res: { statusCode: 200 },
      responseTime: 3,
    })
    expect(formatLogLine(line)).toBe('12:00:01 200 GET /v3/packages 3 ms')
  })

  it('shows errors with their message, and keeps lines that are not JSON', () => {
    const line = JSON.stringify({ level: 50, time, msg: 'failed', err: { message: 'disk full' } })
    expect(formatLogLine(line)).toBe('12:00:01 ERROR failed: disk full')
    expect(formatLogLine('plain text')).toBe('plain text')
  })
})
