import Taro from '@tarojs/taro'
import { LOGIN_PAGE } from '../session/routes'
import { type ApiError, createClient, type Tokens, type Transport } from './client'

/** The app's client: Taro.request as transport, tokens in storage, problems toasted. */

const TOKENS_KEY = 'linli.tokens'

/** Taro.request: the mini-program's wx.request. */
const taroTransport: Transport = async ({ method, url, headers, data }) => {
  const res = await Taro.request({
    url,
    method,
    header: headers,
    dataType: 'json',
    timeout: 15_000,
    ...(data === undefined ? {} : { data: data as Record<string, unknown> }),
  })
  return { status: res.statusCode, data: res.data }
}

/**
 * The browser's own fetch on H5: Taro.request there brings fetch, AbortController and JSONP
 * polyfills (about 50 KB) into the first load, which every browser the H5 serves already has.
 */
const fetchTransport: Transport = async ({ method, url, headers, data }) => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), 15_000)
  try {
    const res = await fetch(url, {
      method,
      headers,
      signal: controller.signal,
      ...(data === undefined ? {} : { body: JSON.stringify(data) }),
    })
    const text = await res.text()
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : ''
    } catch {
      // not JSON: the text as it came
    }
    return { status: res.status, data: body }
  } finally {
    clearTimeout(timer)
  }
}

const transport = process.env.TARO_ENV === 'h5' ? fetchTransport : taroTransport

const tokens = {
  get: (): Tokens | null => (Taro.getStorageSync(TOKENS_KEY) as Tokens | '') || null,
  set: (value: Tokens) => Taro.setStorageSync(TOKENS_KEY, value),
  clear: () => Taro.removeStorageSync(TOKENS_KEY),
}

/** The server's own field message when it sent one (e.g. 至少4个字), not only the general title. */
const showProblem = (error: ApiError) => {
  const field = error.problem.errors?.[0]?.message
  void Taro.showToast({ title: field ?? error.title, icon: 'none', duration: 2500 })
}

let leaving = false
/** Sends the user to the login page once, however many calls notice the session ended. */
export function goLogin(): void {
  const pages = Taro.getCurrentPages()
  const route = pages[pages.length - 1]?.route ?? ''
  if (leaving || route.includes('packages/auth/login')) return
  leaving = true
  setTimeout(() => {
    leaving = false
  }, 1500)
  const back = route ? `?redirect=${encodeURIComponent(`/${route.replace(/^\//, '')}`)}` : ''
  void Taro.reLaunch({ url: `${LOGIN_PAGE}${back}` })
}

export const api = createClient({
  routes: LINLI_ROUTES,
  baseUrl: process.env.TARO_ENV === 'h5' ? '' : LINLI_API_BASE,
  transport,
  tokens,
  onProblem: showProblem,
  onSignedOut: goLogin,
})

export const call = api.call
export { ApiError } from './client'
