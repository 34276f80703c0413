import { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'

export interface LoadError {
  offline: boolean
  message: string
}

export interface Loaded<T> {
  data: T | null
  error: LoadError | null
  reload: () => Promise<void>
}

/** What a failed load shows: offline is told apart from a refusal (whose title the server wrote). */
export function loadError(error: unknown): LoadError {
  const e = error as { code?: string; title?: string }
  if (e?.code === 'NETWORK_ERROR') return { offline: true, message: '网络未连接' }
  return { offline: false, message: e?.title ?? '加载失败' }
}

/**
 * Loads when mounted and each time the page shows again (and on `reload`), keeping the last data while
 * it refreshes. A section mounted after the page showed (e.g. once the user is known) still loads.
 * `enabled` false waits. A later load outdates an earlier one.
 */
export function useLoad<T>(fetch: () => Promise<T>, enabled = true): Loaded<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<LoadError | null>(null)
  const generation = useRef(0)
  const startedAt = useRef(0)
  const reload = useCallback(async () => {
    const mine = ++generation.current
    startedAt.current = Date.now()
    try {
      const value = await fetch()
      if (mine !== generation.current) return
      setData(value)
      setError(null)
    } catch (e) {
      if (mine === generation.current) setError(loadError(e))
    }
  }, [fetch])
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once on mount; later loads come from useDidShow
  useEffect(() => {
    if (enabled) void reload()
  }, [enabled])
  useDidShow(() => {
    // The mount above may just have loaded (a page shows right after it mounts).
    if (enabled && Date.now() - startedAt.current > 1000) void reload()
  })
  return { data, error, reload }
}
