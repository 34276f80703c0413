import type { PointAccount } from '@linli/shared-types'
import type { TestApp } from '../../../test/harness'
import { post } from './ledger'

export type { TestResident as Resident } from '../../../test/harness'

/** `n` verified residents of community A (handles `${prefix}-0`…), made directly in the database. */
export function makeResidents(app: TestApp, n: number, prefix: string) {
  return app.verifiedResidents(n, app.demo.communityA.id, prefix)
}

/** Gives points through the ledger service (the same path awards take). */
export async function grant(
  app: TestApp,
  userId: string,
  account: PointAccount,
  points: number,
  key: string,
) {
  await post({
    key: `test-grant:${key}`,
    userId,
    account,
    communityId: app.demo.communityA.id,
    delta: points,
    reason: '测试发放',
    refType: 'test',
    expiresAt: new Date(Date.now() + 365 * 86_400_000),
  })
}

export function rewardBody(app: TestApp, over: Record<string, unknown> = {}) {
  return {
    merchantId: app.demo.merchantId,
    title: '测试礼遇',
    description: '测试用',
    cost: 40,
    account: 'community',
    stock: 10,
    perResidentLimit: 1,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    voucherDays: 7,
    ...over,
  }
}
