import type { TokenPair } from '@linli/shared-types'
import Taro from '@tarojs/taro'
import { api } from '../../../api'
import { HOME_PAGE } from '../../../session/routes'
import { forgetMe } from '../../../session/use-me'

/** Keeps the tokens and returns to the page that sent the user here (only pages of this app). */
export async function finishLogin(pair: TokenPair, redirect: string | undefined): Promise<void> {
  api.signIn(pair)
  forgetMe()
  const back = redirect ? decodeURIComponent(redirect) : ''
  const url = /^\/(pages|packages)\/[\w/-]+$/.test(back) && !back.includes('/auth/') ? back : HOME_PAGE
  await Taro.reLaunch({ url })
}
