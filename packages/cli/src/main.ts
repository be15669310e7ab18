#!/usr/bin/env node
import { runUntilTerminated } from './handle-termination-signals.js'
import { runCli } from './run-cli.js'

// A reader that stops early (`packwright inspect x.zip | head`) is not an
// error of ours: stop quietly instead of crashing on the broken pipe.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
})

const io = { stdout: process.stdout, stderr: process.stderr }

// SIGINT, SIGTERM and SIGHUP abort the run, which removes its temp files
// before the process exits with 128 + the signal's number.
process.exitCode = await runUntilTerminated(
  (signal) => runCli(process.argv.slice(2), io, { signal }),
  io,
)
