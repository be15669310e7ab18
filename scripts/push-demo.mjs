#!/usr/bin/env node
// The quick start's demo (after the build): starts `packwright serve` on a
// free loopback port over a fresh data folder, pushes the example spicepod
// twice with `packwright push`, prints what each push sent, and stops the
// server. The second push finds every file on the server and sends none.
/* global console, process */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'packages', 'cli', 'dist', 'main.js')
const source = 'examples/spicepod/spicepod.yaml'
const token = randomBytes(16).toString('hex')
const env = { ...process.env, PACKWRIGHT_TOKEN: token }

function startServe(dataFolder) {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--data', dataFolder, '--port', '0', '--host', '127.0.0.1'],
    { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) =>
      reject(new Error(`packwright serve exited with ${code}:\n${stderr}`)),
    )
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
      if (url !== undefined) resolve({ child, url })
    })
  })
}

function push(url) {
  const child = spawn(
    process.execPath,
    [cli, 'push', source, '--server', url, '--app', 'example-spicepod', '--json'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout))
        : reject(new Error(`packwright push exited with ${code}`)),
    )
  })
}

const describe = (label, result) =>
  `${label}: ${String(result.bytesSent).padStart(6)} bytes sent of a ${result.packageBytes}-byte package ` +
  `(${result.filesSent} of ${result.files} files uploaded, ${result.filesMatched} found on the server, ` +
  `${(result.timeMs / 1000).toFixed(2)} s)`

const dataFolder = await mkdtemp(join(tmpdir(), 'packwright-demo-'))
let server
try {
  server = await startServe(dataFolder)
  console.log(`packwright serve is listening on ${server.url} (data in ${dataFolder})`)
  console.log(`pushing ${source} twice with \`packwright push --app example-spicepod\`:\n`)
  const first = await push(server.url)
  const second = await push(server.url)
  console.log(describe('first push ', first))
  console.log(describe('second push', second))
  const commit = second.annotations['packwright.dev/commit-sha']
  if (commit !== undefined) {
    const branch = second.annotations['packwright.dev/branch']
    console.log(
      `(each package is annotated with the checkout's commit ${commit.slice(0, 12)}` +
        `${branch === undefined ? '' : ` on ${branch}`})`,
    )
  }
  console.log(
    `\nboth are package ${first.sha256 === second.sha256 ? first.sha256 : '(different!)'}, ` +
      `${second.state} on the server and the same bytes as \`packwright generate ${source}\`.`,
  )
} finally {
  if (server !== undefined) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve))
    server.child.kill('SIGTERM')
    await exited
  }
  await rm(dataFolder, { recursive: true, force: true })
  console.log('the server is stopped and its data folder removed.')
}
