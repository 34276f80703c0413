import type { Me } from '@linli/shared-types'
import { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { api, call, goLogin } from '../api'

let cached: Me | null = null

/** The signed-in user, fetched again each time the page shows; without a session it goes to login. */
export function useMe() {
  const [me, setMe] = useState<Me | null>(api.hasSession() ? cached : null)
  const reload = useCallback(async () => {
    if (!api.hasSession()) {
      cached = null
      goLogin()
      return
    }
    try {
      cached = await call('getMe')
      setMe(cached)
    } catch {
      // Shown by the client; an ended session has already gone to login.
    }
  }, [])
  useDidShow(() => {
    void reload()
  })
  return { me, reload }
}

/** Drops the cached user (sign-in as someone else, sign-out). */
export function forgetMe(): void {
  cached = null
}
