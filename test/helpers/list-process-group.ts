import { readdir, readFile } from 'node:fs/promises'

export interface GroupProcess {
  readonly pid: number
  /** The executable's name as the kernel shows it (`git`, `node`…). */
  readonly command: string
  /** The kernel's one-letter state: R running, S sleeping, Z zombie… */
  readonly state: string
}

/**
 * The live processes (zombies left out) of process group `groupId`, read
 * from /proc: they survive the group's leader when it exits without ending them.
 */
export async function listProcessGroup(groupId: number): Promise<GroupProcess[]> {
  const found: GroupProcess[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = await readFile(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // ended while we looked
    }
    // "pid (command) state ppid pgrp …"; the command may hold spaces and parentheses.
    const open = stat.indexOf('(')
    const close = stat.lastIndexOf(')')
    const [state = '', , group = ''] = stat.slice(close + 2).split(' ')
    if (Number(group) !== groupId || state === 'Z') continue
    found.push({ pid: Number(name), command: stat.slice(open + 1, close), state })
  }
  return found
}
