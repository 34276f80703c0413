import { PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const street = await app.login('streetStaff', { scopeId: app.demo.streetId, handle: 'street-mzw' })

type Community = typeof communityA
let n = 0
async function resident(
  c: Community,
  realName: string,
  phone: string,
  unit: string,
  room: string,
  approve = true,
) {
  const token = await app.login('resident', { handle: `search-${n++}` })
  const claim = await app.call(
    'submitResidencyClaim',
    {
      body: {
        communityId: c.id,
        courtyardId: c.courtyardIds[0],
        buildingId: c.buildingIds[0],
        unit,
        room,
        realName,
        phone,
        consentVersion: PRIVACY_NOTICE_VERSION,
      },
    },
    { token },
  )
  expect(claim.status).toBe(201)
  if (approve)
    await app.call(
      'reviewResidencyClaim',
      { params: { id: claim.body.id }, body: { decision: 'approve' } },
      { token: c === communityA ? staffA : staffB },
    )
  return claim.body.userId as string
}

const zhangSan = await resident(communityA, '张三丰', '13812345678', '3', '502')
const zhangMing = await resident(communityA, '张小明', '13900001111', '2', '101')
await resident(communityA, '李四', '13700005678', '3', '503')
await resident(communityA, '张未审', '13600002222', '1', '101', false)
const zhangB = await resident(communityB, '张伍', '13500003333', '1', '201')

const search = (token: string, q: string, extra: Record<string, string> = {}) =>
  app.call('searchResidents', { query: { q, ...extra } }, { token })
const ids = (r: { body: { items: { userId: string }[] } }) => r.body.items.map((i) => i.userId).sort()

describe('searchResidents', () => {
  it('finds verified residents of the caller’s communities by name, masked', async () => {
    const res = await search(staffA, '张')
    expect(res.status).toBe(200)
    expect(ids(res)).toEqual([zhangSan, zhangMing].sort())
    const san = res.body.items.find((i: { userId: string }) => i.userId === zhangSan)
    expect(san).toMatchObject({ name: '张**', phone: '138****5678', communityName: '望平社区' })
    expect(san.address).toMatch(/1栋 3单元 502$/)
    expect(JSON.stringify(res.body)).not.toMatch(/张三丰|13812345678|张未审/)
  })

  it('finds by phone tail, by building/unit/room', async () => {
    expect(ids(await search(staffA, '5678'))).toHaveLength(2) // 张三丰 and 李四 share the tail
    expect(ids(await search(staffA, '3-502'))).toEqual([zhangSan])
    expect(ids(await search(staffA, '1栋3单元502'))).toEqual([zhangSan])
    expect(ids(await search(staffA, '1栋2单元'))).toEqual([zhangMing])
    expect((await search(staffA, '1栋')).body.items).toHaveLength(3)
    expect((await search(staffA, '.*')).body.items).toEqual([])
  })

  it('never crosses communities: other communities are empty, or 404 when asked by id', async () => {
    expect(ids(await search(staffB, '张'))).toEqual([zhangB])
    expect((await search(staffB, '张', { communityId: communityA.id })).status).toBe(404)
    expect(ids(await search(street, '张'))).toEqual([zhangSan, zhangMing, zhangB].sort())
    const resident = await app.login('resident', { handle: 'search-0' })
    expect((await search(resident, '张')).status).toBe(403)
    expect((await search(staffA, '')).body.errors[0].message).toBe('请输入姓名、楼栋单元或手机尾号')
  })
})
