import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Audit } from '../audit/audit.model'
import { Need } from '../needs/need.model'

const app = await startTestApp()
const { communityA } = app.demo
const [elder] = await app.verifiedResidents(1, communityA.id, 'elder')
const member = await app.login('resident', { handle: 'family-son' })
const stranger = await app.login('resident', { handle: 'stranger-1' })

const categories = (await app.call('listNeedCategories', {}, { token: elder!.token })).body.items as {
  id: string
}[]
const forElder = (token = member) => ({ token, headers: { 'X-On-Behalf-Of': elder!.id } })
const reportFor = (token = member) =>
  app.call(
    'createNeed',
    {
      body: {
        categoryId: categories[0]!.id,
        title: '家里灯坏了',
        description: '帮母亲反映',
        ignoreDuplicates: true,
      },
    },
    forElder(token),
  )

async function bind(): Promise<string> {
  const asked = await app.call('requestFamilyBinding', { body: { as: 'elder' } }, { token: elder!.token })
  expect(asked.status).toBe(201)
  const ok = await app.call('confirmFamilyBinding', { body: { code: asked.body.code } }, { token: member })
  expect(ok.body.status).toBe('active')
  return ok.body.id
}

describe('family binding (代办)', () => {
  it('needs both sides: a request alone lets nobody act; the other side confirms with the code', async () => {
    const asked = await app.call('requestFamilyBinding', { body: { as: 'elder' } }, { token: elder!.token })
    expect(asked.body).toMatchObject({ status: 'pending', myRole: 'elder', member: null })
    expect(asked.body.code).toMatch(/^[A-Z2-9]{10}$/)
    expect((await reportFor()).status).toBe(404)
    const self = await app.call(
      'confirmFamilyBinding',
      { body: { code: asked.body.code } },
      { token: elder!.token },
    )
    expect(self.body.code).toBe('FAMILY_SELF_BINDING')
    const wrong = await app.call('confirmFamilyBinding', { body: { code: 'ABCDEFGHJK' } }, { token: member })
    expect(wrong.body.code).toBe('FAMILY_CODE_INVALID')
    const ok = await app.call(
      'confirmFamilyBinding',
      { body: { code: asked.body.code.toLowerCase() } },
      { token: member },
    )
    expect(ok.body).toMatchObject({ status: 'active', myRole: 'member', code: null })
    const reused = await app.call(
      'confirmFamilyBinding',
      { body: { code: asked.body.code } },
      { token: stranger },
    )
    expect(reused.body.code).toBe('FAMILY_CODE_INVALID')
    const mine = await app.call('listFamily', {}, { token: elder!.token })
    expect(mine.body.items.map((b: { status: string }) => b.status)).toContain('active')
    await app.call('revokeFamilyBinding', { params: { id: ok.body.id } }, { token: member })
  })

  it('the bound member reports needs, follows them and views points for the elder; never votes', async () => {
    const id = await bind()
    const made = await reportFor()
    expect(made.status).toBe(201)
    expect(String((await Need.findById(made.body.id).lean())!.reporterId)).toBe(elder!.id)
    const list = await app.call('listMyNeeds', {}, forElder())
    expect(list.body.items.map((n: { id: string }) => n.id)).toContain(made.body.id)
    expect((await app.call('getMyPoints', {}, forElder())).status).toBe(200)
    // Acting for must be explicit: without the header the member sees only their own records.
    expect((await app.call('getNeed', { params: { id: made.body.id } }, { token: member })).status).toBe(404)
    const vote = await app.call(
      'castVote',
      { params: { id: made.body.id }, body: { choice: 'yes' } },
      forElder(),
    )
    expect([vote.status, vote.body.code]).toEqual([403, 'ON_BEHALF_NOT_ALLOWED'])
    const acted = await Audit.findOne({ action: 'family.actFor', targetId: elder!.id }).lean()
    expect(acted!.detail).toMatchObject({ operationId: 'createNeed' })
    // Someone without a binding naming the elder gets 404.
    expect((await app.call('listMyNeeds', {}, forElder(stranger))).status).toBe(404)
    await app.call('revokeFamilyBinding', { params: { id } }, { token: elder!.token })
  })

  it('after revocation by either side the member gets 404 on the elder’s records', async () => {
    const id = await bind()
    const made = await reportFor()
    expect((await app.call('getNeed', { params: { id: made.body.id } }, forElder())).status).toBe(200)
    const revoked = await app.call('revokeFamilyBinding', { params: { id } }, { token: elder!.token })
    expect(revoked.body.status).toBe('revoked')
    expect((await app.call('getNeed', { params: { id: made.body.id } }, forElder())).status).toBe(404)
    expect((await app.call('listMyNeeds', {}, forElder())).status).toBe(404)
    expect((await reportFor()).status).toBe(404)
    expect((await app.call('revokeFamilyBinding', { params: { id } }, { token: stranger })).status).toBe(404)
    // The member may revoke too.
    const second = await bind()
    const byMember = await app.call('revokeFamilyBinding', { params: { id: second } }, { token: member })
    expect(byMember.body.status).toBe('revoked')
    expect((await app.call('getMyPoints', {}, forElder())).status).toBe(404)
  })

  it('a family member may ask first; the elder confirms (and must be a verified resident)', async () => {
    const asked = await app.call('requestFamilyBinding', { body: { as: 'member' } }, { token: member })
    expect(asked.body).toMatchObject({ status: 'pending', elder: null, myRole: 'member' })
    const unverified = await app.call(
      'confirmFamilyBinding',
      { body: { code: asked.body.code } },
      { token: stranger },
    )
    expect(unverified.body.code).toBe('RESIDENT_NOT_VERIFIED')
    const ok = await app.call(
      'confirmFamilyBinding',
      { body: { code: asked.body.code } },
      { token: elder!.token },
    )
    expect(ok.body).toMatchObject({ status: 'active', myRole: 'elder' })
    expect((await app.call('listMyNeeds', {}, forElder())).status).toBe(200)
  })
})
