import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Notification } from '../notify/notification.model'
import { ItemModel, LendingSuspension, LoanModel } from './lending.model'
import { lendingSweeper } from './lending.sweeper'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const DAY = 86_400_000

const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })

let seq = 0
const residents = (n: number) => app.verifiedResidents(n, communityA.id, `lend-${seq++}`)

async function item(stock: number, name = `甲醛测试仪${seq++}`) {
  const res = await app.call(
    'createItem',
    { body: { communityId: communityA.id, station: '望平生活驿站', name, stock, loanDays: 3 } },
    { token: staffA },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id as string
}

const borrow = (token: string, id: string) => app.call('borrowItem', { params: { id } }, { token })
const desk = (op: 'pickUpLoan' | 'returnLoan', code: string, token = staffA) =>
  app.call(op, { body: { code } }, { token })

/** Borrows, picks up, and makes the loan due `daysAgo` days ago. */
async function lateLoan(token: string, itemId: string, daysAgo: number) {
  const loan = await borrow(token, itemId)
  expect(loan.status, JSON.stringify(loan.body)).toBe(201)
  expect((await desk('pickUpLoan', loan.body.code)).status).toBe(200)
  await LoanModel.updateOne({ _id: loan.body.id }, { $set: { dueAt: new Date(Date.now() - daysAgo * DAY) } })
  return loan.body as { id: string; code: string }
}

describe('shared items', () => {
  it('30 residents borrowing the last unit at once: it is lent once', async () => {
    const id = await item(1)
    const people = await residents(30)
    const t0 = performance.now()
    const replies = await Promise.all(people.map((p) => borrow(p.token, id)))
    const ms = Math.round(performance.now() - t0)
    const ok = replies.filter((r) => r.status === 201)
    const out = replies.filter((r) => r.status === 409 && r.body.code === 'ITEM_OUT_OF_STOCK')
    console.info(
      `[lending] 30 concurrent borrowItem (1 unit): ${ok.length} × 201, ${out.length} × 409 in ${ms} ms`,
    )
    expect(ok).toHaveLength(1)
    expect(out).toHaveLength(29)
    const doc = await ItemModel.findById(id).lean()
    expect(doc).toMatchObject({ available: 0 })
    expect(doc!.takers.map(String)).toEqual([ok[0]!.body.id])
    expect(await LoanModel.countDocuments({ itemId: id })).toBe(1)
  })

  it('reserve → pick up → return by the desk code; the unit goes back on the shelf', async () => {
    const id = await item(2)
    const [p] = await residents(1)
    const loan = await borrow(p!.token, id)
    expect(loan.body).toMatchObject({ status: 'reserved', code: expect.stringMatching(/^[A-Z2-9]{8}$/) })
    expect((await borrow(p!.token, id)).body.code).toBe('ITEM_ALREADY_BORROWED')
    expect((await desk('returnLoan', loan.body.code)).body.code).toBe('LOAN_STATUS_CONFLICT')
    const picked = await desk('pickUpLoan', loan.body.code.toLowerCase())
    expect(picked.status).toBe(200)
    expect(picked.body).toMatchObject({ status: 'pickedUp', code: null })
    expect(new Date(picked.body.dueAt).getTime() - new Date(picked.body.pickedUpAt).getTime()).toBe(3 * DAY)
    expect((await desk('pickUpLoan', loan.body.code)).body.code).toBe('LOAN_STATUS_CONFLICT')
    const back = await desk('returnLoan', loan.body.code)
    expect(back.body).toMatchObject({ status: 'returned', overdue: false })
    expect(await ItemModel.findById(id).lean()).toMatchObject({ available: 2, takers: [] })
    const mine = await app.call('listMyLoans', {}, { token: p!.token })
    expect(mine.body.items[0]).toMatchObject({ id: loan.body.id, status: 'returned' })
    // Returned, so the same person may borrow it again.
    expect((await borrow(p!.token, id)).status).toBe(201)
    const history = await app.call('listLoans', { query: { itemId: id } }, { token: staffA })
    expect(history.body.items).toHaveLength(2)
    expect(history.body.items.every((l: { code: null }) => l.code === null)).toBe(true)
  })

  it('a late return racing the overdue sweeper is marked and counted once; a second one suspends borrowing', async () => {
    const id = await item(5)
    const [p] = await residents(1)
    const first = await lateLoan(p!.token, id, 1)
    const [back] = await Promise.all([
      desk('returnLoan', first.code),
      lendingSweeper.run(app.deps, new Date()),
      lendingSweeper.run(app.deps, new Date()),
    ])
    expect(back.status).toBe(200)
    expect(back.body).toMatchObject({ status: 'returned', overdue: true })
    expect(await Notification.countDocuments({ userId: p!.id, kind: 'lending.overdue' })).toBe(1)
    expect(await LoanModel.countDocuments({ userId: p!.id, overdueAt: { $ne: null } })).toBe(1)
    // One overdue loan counts once: the rule (2 within 90 days) is not met yet.
    expect(await LendingSuspension.findById(`${p!.id}:${communityA.id}`).lean()).toBeNull()
    expect((await borrow(p!.token, id)).status).toBe(201)

    const other = await item(1)
    const second = await lateLoan(p!.token, other, 2)
    await lendingSweeper.run(app.deps, new Date())
    expect((await LoanModel.findById(second.id).lean())!.overdueAt).not.toBeNull()
    expect((await desk('returnLoan', second.code)).body).toMatchObject({ overdue: true })
    const suspension = await LendingSuspension.findById(`${p!.id}:${communityA.id}`).lean()
    expect(suspension).toMatchObject({ overdue: 2 })
    expect(await Notification.countDocuments({ userId: p!.id, kind: 'lending.suspended' })).toBe(1)
    const refused = await borrow(p!.token, other)
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('LENDING_SUSPENDED')
  })

  it('reservations not picked up expire and give their unit back', async () => {
    const id = await item(1)
    const [p] = await residents(1)
    const loan = await borrow(p!.token, id)
    await LoanModel.updateOne({ _id: loan.body.id }, { $set: { pickUpBy: new Date(Date.now() - 1000) } })
    await Promise.all([lendingSweeper.run(app.deps, new Date()), lendingSweeper.run(app.deps, new Date())])
    expect((await LoanModel.findById(loan.body.id).lean())!.status).toBe('expired')
    expect(await ItemModel.findById(id).lean()).toMatchObject({ available: 1, takers: [] })
  })

  it("staff of community B get 404 on A's items and loans", async () => {
    const id = await item(3)
    const [p] = await residents(1)
    const loan = await borrow(p!.token, id)
    const pick = await desk('pickUpLoan', loan.body.code, staffB)
    expect(pick.status).toBe(404)
    expect(pick.body.code).toBe('LOAN_CODE_NOT_FOUND')
    expect((await desk('returnLoan', loan.body.code, staffB)).status).toBe(404)
    // Another community named in a query is out of reach like its records: 404 (the scope guard).
    expect(
      (await app.call('listItems', { query: { communityId: communityA.id } }, { token: staffB })).status,
    ).toBe(404)
    expect((await app.call('listLoans', { query: { itemId: id } }, { token: staffB })).body.items).toEqual([])
    const [residentB] = await app.verifiedResidents(1, communityB.id, `lend-b-${seq++}`)
    expect((await borrow(residentB!.token, id)).status).toBe(404)
    const cancel = await app.call('cancelLoan', { params: { id: loan.body.id } }, { token: residentB!.token })
    expect(cancel.status).toBe(404)
    expect((await LoanModel.findById(loan.body.id).lean())!.status).toBe('reserved')
  })
})
