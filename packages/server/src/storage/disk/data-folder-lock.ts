import { readFileSync } from 'node:fs'
import { open, readFile, unlink } from 'node:fs/promises'
import { PackwrightError, quoteInput } from '@packwright/core'

/** Who holds a data folder: a process, told apart from a later one given the same id. */
interface LockOwner {
  readonly pid: number
  /** When the process started (Linux: clock ticks since boot), when known. */
  readonly started: string | null
}

export interface DataFolderLock {
  /** Removes the lock file; safe to call twice. */
  release(): Promise<void>
}

/** Lock files this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>()

/** The start time of process `pid` as /proc shows it, or null where there is no /proc. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (command) state ppid …": field 22 is the start time; the command may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function isRunning(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false // not held here (checked first): an earlier process with our id
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EPERM')) return false
  }
  // A live process with that id: the owner only if it started when the owner did.
  const started = startTimeOf(owner.pid)
  return owner.started === null || started === null || started === owner.started
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as { pid?: unknown; started?: unknown }
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid)) return undefined
    return { pid: value.pid, started: typeof value.started === 'string' ? value.started : null }
  } catch {
    return undefined
  }
}

function inUse(folder: string, file: string, pid: number | undefined): PackwrightError {
  return new PackwrightError(
    'INVALID_ARGUMENT',
    `The data folder ${quoteInput(folder)} is in use by another packwright server${pid === undefined ? '' : ` (process ${pid})`}.`,
    {
      hint: `Stop that server or pass another --data folder; if no server uses it, remove ${quoteInput(file)}.`,
      details: { dataFolder: folder, ...(pid === undefined ? {} : { pid }) },
    },
  )
}

/**
 * Takes the data folder for this process: one server per folder, so that the
 * startup sweep of its temporary files never removes another server's
 * upload. A lock left by a process that is gone (killed, crashed) is taken
 * over.
 *
 * @throws PackwrightError INVALID_ARGUMENT when a running process holds it.
 */
export async function lockDataFolder(folder: string, file: string): Promise<DataFolderLock> {
  if (heldHere.has(file)) throw inUse(folder, file, process.pid)
  const owner: LockOwner = { pid: process.pid, started: startTimeOf(process.pid) }
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(file, 'wx', 0o600)
      try {
        await handle.writeFile(`${JSON.stringify(owner)}\n`)
        await handle.sync()
      } finally {
        await handle.close()
      }
      break
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error
      const previous = parseOwner(await readFile(file, 'utf8').catch(() => ''))
      // A second EEXIST: another server took the folder between our two tries.
      if (attempt > 0 || (previous !== undefined && isRunning(previous))) {
        throw inUse(folder, file, previous?.pid)
      }
      await unlink(file).catch(() => undefined)
    }
  }
  heldHere.add(file)
  let released = false
  return {
    async release() {
      if (released) return
      released = true
      heldHere.delete(file)
      await unlink(file).catch(() => undefined)
    },
  }
}
