import type { WechatClient } from '../modules/auth/wechat.client'
import type { Config } from './config'
import type { DbInfo } from './db'
import type { Logger } from './logger'

/** What the app is built with; tests build it with their own. */
export interface AppDeps {
  config: Config
  log: Logger
  wechat: WechatClient
  db: DbInfo
  startedAt: Date
}
