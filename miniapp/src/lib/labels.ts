import {
  type ClaimStatus,
  type Me,
  type Membership,
  type ResidencyStatus,
  type Role,
  roleLabels,
} from '@linli/shared-types'

export const residencyStatusLabels: Record<ResidencyStatus, string> = {
  none: '未认证',
  pending: '审核中',
  verified: '已认证',
  rejected: '未通过',
}

export const claimStatusLabels: Record<ClaimStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '已驳回',
}

/** Tag colour for a status: green done, orange waiting, red refused, grey nothing yet. */
export function statusTone(status: ResidencyStatus | ClaimStatus): 'ok' | 'wait' | 'bad' | 'none' {
  if (status === 'verified' || status === 'approved') return 'ok'
  if (status === 'pending') return 'wait'
  if (status === 'rejected') return 'bad'
  return 'none'
}

const auditActions: Record<string, string> = {
  'residency.claim.view': '查看认证申请',
  'residency.claim.approved': '通过认证申请',
  'residency.claim.rejected': '驳回认证申请',
  'activity.create': '发布活动',
  'activity.update': '修改活动',
  'activity.message': '给活动名单发消息',
  'lending.item.create': '登记共享物品',
  'lending.pickUp': '登记物品取用',
  'lending.return': '登记物品归还',
}

const auditDomains: Record<string, string> = {
  activity: '活动',
  lending: '共享物品',
  booking: '预约',
  need: '反映',
  deliberation: '议事',
  points: '积分',
  residency: '认证',
  family: '家庭代办',
  department: '部门',
  notice: '通知',
}
const auditVerbs: Record<string, string> = {
  create: '新建',
  update: '修改',
  delete: '删除',
  remove: '删除',
  approve: '通过',
  reject: '驳回',
  cancel: '取消',
  award: '发放',
  accept: '受理',
}

/** A known action's label, else its domain and verb ('共享物品 · 新建'); never the raw key. */
export function auditActionLabel(action: string): string {
  const known = auditActions[action]
  if (known) return known
  const parts = action.split('.')
  const domain = auditDomains[parts[0] ?? ''] ?? '其他'
  return `${domain} · ${auditVerbs[parts[parts.length - 1] ?? ''] ?? '操作'}`
}

const auditTargets: Record<string, string> = {
  residencyClaim: '认证申请',
  user: '用户',
  activity: '活动',
  activitySession: '活动场次',
  item: '共享物品',
  loan: '借用',
}

export const auditTargetLabel = (type: string): string => auditTargets[type] ?? '记录'

/** '社区工作人员 · 望平社区'; a scope-less role shows its label only. */
export function membershipLabel(m: Membership): string {
  return m.scopeName ? `${roleLabels[m.role]} · ${m.scopeName}` : roleLabels[m.role]
}

export const staffRoles: readonly Role[] = ['staff', 'streetStaff', 'admin']

export const hasRole = (me: Me | null, roles: readonly Role[]): boolean =>
  !!me?.roles.some((m) => roles.includes(m.role))

/** The community a resident belongs to, named by their verified resident membership. */
export function communityName(me: Me): string | null {
  const resident = me.roles.find((m) => m.role === 'resident' && m.scopeType === 'community')
  return resident?.scopeName || null
}
