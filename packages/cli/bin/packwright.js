#!/usr/bin/env node
// The `packwright` command. It is committed (unlike dist/), so that package
// managers can link it before the first build; it runs the built CLI.
import { existsSync } from 'node:fs'
import process from 'node:process'
import { URL } from 'node:url'

const main = new URL('../dist/main.js', import.meta.url)
if (!existsSync(main)) {
  process.stderr.write(
    'error [NOT_BUILT]: packwright is not built yet.\n' +
      'hint: run `npm run demo` (or build packages/cli) once, then run packwright again.\n',
  )
  process.exit(1)
}
await import(main.href)
