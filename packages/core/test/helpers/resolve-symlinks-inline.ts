/**
 * A reference resolver for tests: expands every symlink met inline, one
 * component at a time, with the path walked kept as cumulative prefixes
 * ("a", "a/b", …). Simple and obviously right, but quadratic; tests compare
 * the linear resolver against it.
 *
 * @returns whether the link named `name` fails to stay inside the root
 */
export function symlinkFailsInline(
  name: string,
  links: ReadonlyMap<string, string>,
  maxHops = 40,
  maxSteps = 4096,
): boolean {
  const badTarget = (target: string) =>
    target === '' || /^[\\/]/.test(target) || /^[A-Za-z]:/.test(target)
  const own = links.get(name) as string
  if (badTarget(own)) return true
  const resolved: string[] = []
  const push = (part: string) => {
    const parent = resolved[resolved.length - 1]
    resolved.push(parent === undefined ? part : `${parent}/${part}`)
  }
  for (const part of name.split('/').slice(0, -1)) push(part)
  const pending = own.split(/[\\/]/).reverse()
  let hops = 0
  let steps = 0
  while (pending.length > 0) {
    if (++steps > maxSteps) return true
    const part = pending.pop() as string
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (resolved.length === 0) return true
      resolved.pop()
      continue
    }
    push(part)
    const next = links.get(resolved[resolved.length - 1] as string)
    if (next === undefined) continue
    if (++hops > maxHops || badTarget(next)) return true
    resolved.pop()
    for (const nextPart of next.split(/[\\/]/).reverse()) pending.push(nextPart)
  }
  return false
}
