#!/usr/bin/env node
import { runCli } from './run-cli.js'

// A reader that stops early (`packwright inspect x.zip | head`) is not an
// error of ours: stop quietly instead of crashing on the broken pipe.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
})
