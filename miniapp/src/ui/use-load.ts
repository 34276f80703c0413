import { useDidShow } from '@tarojs/taro'
import { useCallback, useRef, useState } from 'react'

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
 * Loads a page's data each time the page shows (and on `reload`), keeping the last data while it
 * refreshes. `enabled` false waits (e.g. for the signed-in user). A later load outdates an earlier one.
 */
export function useLoad<T>(fetch: () => Promise<T>, enabled = true): Loaded<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<LoadError | null>(null)
  const generation = useRef(0)
  const reload = useCallback(async () => {
    const mine = ++generation.current
    try {
      const value = await fetch()
      if (mine !== generation.current) return
      setData(value)
      setError(null)
    } catch (e) {
      if (mine === generation.current) setError(loadError(e))
    }
  }, [fetch])
  useDidShow(() => {
    if (enabled) void reload()
  })
  return { data, error, reload }
}
