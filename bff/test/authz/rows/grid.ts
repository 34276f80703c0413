import { type DomainRows, ownOnly, passOwn } from '../matrix'

let n = 0
const key = () => ({ 'Idempotency-Key': `mx-grid-${++n}-${Date.now().toString(36)}` })
const today = new Date().toISOString().slice(0, 10)

/**
 * Departments (吹哨报到) and grid field work. A department's staff (`deptStaff`) reach no community:
 * their operations are `own`-scoped and the whistles service admits only whistles to their own
 * department (proven in departments.int.test.ts); every matrix role is refused them.
 */
export const gridRows = {
  listDepartments: {
    req: (fx, side) => ({ query: { communityId: fx[side].communityId } }),
    expect: { staff: ownOnly, grid: ownOnly, street: 'ok' },
  },
  createDepartment: {
    req: (fx, side) => ({
      body: { communityId: fx[side].communityId, name: `矩阵业委会${++n}`, kind: 'ownersCommittee' },
      headers: key(),
    }),
    expect: { staff: ownOnly, street: 'ok' },
  },
  listDepartmentQueue: { req: () => ({ query: {} }), expect: {} },
  reportInAsDepartment: {
    req: (fx, side) => ({ params: { id: fx[side].whistleId }, body: { note: '已到场' } }),
    expect: {},
  },
  replyAsDepartment: {
    req: (fx, side) => ({ params: { id: fx[side].whistleId }, body: { note: '正在处理' } }),
    expect: {},
  },
  resolveAsDepartment: {
    req: (fx, side) => ({ params: { id: fx[side].whistleId }, body: { reply: '已处理' } }),
    expect: {},
  },
  handBackWhistle: {
    req: (fx, side) => ({ params: { id: fx[side].whistleId }, body: { reason: '不属本部门' } }),
    expect: {},
  },
  createNeedOnBehalf: {
    req: (fx, side) => ({
      body: {
        categoryId: fx[side].categoryId,
        title: `矩阵代报${++n}`,
        description: '院里路灯坏了，晚上看不见',
        source: 'patrol',
        courtyardId: fx[side].courtyardId,
      },
      headers: key(),
    }),
    expect: { staff: ownOnly },
  },
  listResidentsInReach: { req: () => ({}), expect: { staff: 'ok', grid: 'ok' } },
  logHomeVisit: {
    req: (fx, side) => ({
      body: { buildingId: fx[side].buildingId, household: '2单元101', date: today, topics: ['安全检查'] },
      headers: key(),
    }),
    expect: { staff: ownOnly },
  },
  listHomeVisits: { req: () => ({}), expect: { staff: 'ok', grid: 'ok' } },
  completeHomeVisit: {
    req: (fx, side) => ({ params: { id: fx[side].homeVisitId }, body: { note: '已走访' } }),
    expect: { staff: passOwn },
  },
} satisfies DomainRows
