// Module hooks that let a benchmark import the end-to-end test helpers
// (test/helpers/*.ts) as they are, so services such as Azurite and the
// Results stand-in are started by one copy of the code. Each .ts file is
// transpiled on load (types dropped, nothing checked: the test package's
// typecheck does that); a relative `./x.js` import from a .ts file resolves
// to `./x.ts`, as TypeScript's own resolution does.
// Use: register('./typescript-hooks.mjs', import.meta.url) before importing.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const ts = createRequire(import.meta.url)('typescript')

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (error) {
    const fromTypeScript = context.parentURL?.endsWith('.ts') === true
    if (fromTypeScript && specifier.startsWith('.') && specifier.endsWith('.js')) {
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
    throw error
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      sourceMap: false,
    },
  })
  return { format: 'module', source: outputText, shortCircuit: true }
}
