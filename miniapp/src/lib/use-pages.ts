import { useCallback, useRef, useState } from 'react'

/**
 * Cursor pagination over `{ items, nextCursor }`: `reload` starts over, `more` appends the next page.
 * A reload outdates pages still in flight so a slow old page never lands after a new filter.
 */
export function usePages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
) {
  const [items, setItems] = useState<T[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const generation = useRef(0)

  const load = useCallback(
    async (from: string | undefined) => {
      const mine = from ? generation.current : ++generation.current
      const page = await fetchPage(from)
      if (mine !== generation.current) return
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items))
      setCursor(page.nextCursor)
    },
    [fetchPage],
  )
  const reload = useCallback(() => load(undefined).catch(() => setItems((prev) => prev ?? [])), [load])
  const more = useCallback(() => (cursor ? load(cursor).catch(() => {}) : Promise.resolve()), [cursor, load])
  return { items, hasMore: cursor !== null, reload, more }
}
