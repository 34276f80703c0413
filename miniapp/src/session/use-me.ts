import { type Me, setTimeZone } from '@linli/shared-types'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { api, call, goLogin } from '../api'

let cached: Me | null = null
/** The launch's request for the user, started before the first page's code has arrived. */
let launching: Promise<Me> | null = null

// Every date the app writes or reads is in the session's community zone, set here and nowhere else;
// the last one known is kept so the first screen of the next launch is in it too.
const ZONE_KEY = 'linli.timezone'
setTimeZone(Taro.getStorageSync(ZONE_KEY) as string)

function remember(me: Me): void {
  cached = me
  setTimeZone(me.timezone)
  Taro.setStorageSync(ZONE_KEY, me.timezone)
}

/**
 * At launch, with a session, asks for the user while the first page's code is still loading, so the
 * page renders one round trip sooner; the first page to show takes the answer.
 */
export function prefetchMe(): void {
  if (!api.hasSession()) return
  launching = call('getMe')
  // Awaited by the first reload; until then a failure must not count as unhandled.
  launching.catch(() => undefined)
}

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
      const next = await (launching ?? call('getMe'))
      launching = null
      remember(next)
      setMe(next)
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
  launching = null
}
