import type { TestProject } from 'vitest/node'
import { startEngine } from '../../scripts/engine/index'
import { startMockWechat } from '../../scripts/mock-wechat'

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string
    wechatUrl: string
  }
}

/** One engine and one mock WeChat for the whole run; each test file takes a database of its own. */
export default async function setup(project: TestProject) {
  const engine = await startEngine()
  const wechat = await startMockWechat({ perMinute: 5 })
  project.provide('mongoUri', engine.uri)
  project.provide('wechatUrl', wechat.url)
  return async () => {
    await wechat.stop()
    await engine.stop()
  }
}
