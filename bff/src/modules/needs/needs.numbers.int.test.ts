import { zoneDate } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Need } from './need.model'

const app = await startTestApp()
const { communityA, communityB } = app.demo

async function createNeed(token: string, categoryId: string, title: string) {
  return app.call(
    'createNeed',
    { body: { categoryId, title, description: '楼道灯不亮了，晚上看不见路', ignoreDuplicates: true } },
    { token },
  )
}

const categoryOf = async (token: string) =>
  (await app.call('listNeedCategories', {}, { token })).body.items.find(
    (c: { key: string }) => c.key === 'other',
  ).id as string

describe('human need numbers', () => {
  it('gives 20 concurrent needs 20 distinct numbers FY-<local date>-0001…0020, per community', async () => {
    const residents = await app.verifiedResidents(20, communityA.id)
    const categoryId = await categoryOf(residents[0]!.token)
    const before = zoneDate(new Date())
    const replies = await Promise.all(residents.map((r, i) => createNeed(r.token, categoryId, `反映${i}`)))
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(201))
    const numbers = replies.map((r) => r.body.no as string)
    expect(new Set(numbers).size).toBe(20)
    const day = [before, zoneDate(new Date())].find((d) =>
      numbers[0]!.startsWith(`FY-${d.replaceAll('-', '')}-`),
    )
    expect(day).toBeDefined()
    const expected = Array.from(
      { length: 20 },
      (_, i) => `FY-${day!.replaceAll('-', '')}-${String(i + 1).padStart(4, '0')}`,
    )
    expect([...numbers].sort()).toEqual(expected)
    // Stored, shown in the resident's list and in the receipt instead of an id fragment.
    const first = replies[0]!.body
    expect((await Need.findById(first.id).lean())!.no).toBe(first.no)
    expect(first.timeline[1].note).toContain(`编号${first.no}`)
    const mine = await app.call('listMyNeeds', {}, { token: residents[0]!.token })
    expect(mine.body.items[0].no).toBe(first.no)

    // Another community counts from 1 on its own.
    const [other] = await app.verifiedResidents(1, communityB.id)
    const b = await createNeed(other!.token, await categoryOf(other!.token), '另一个社区')
    expect(b.body.no).toMatch(/^FY-\d{8}-0001$/)
  })

  it('refuses a second need with a taken number at the database (unique per community)', async () => {
    const taken = (await Need.findOne({ communityId: communityA.id }).lean())!
    const { _id, ...rest } = taken
    await expect(Need.collection.insertOne({ ...rest })).rejects.toMatchObject({ code: 11000 })
  })
})
