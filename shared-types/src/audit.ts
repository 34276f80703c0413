import { z } from 'zod'

/**
 * Every action the audit log records, with the words staff read (`开启投票 · 议题「楼道照明改造」`).
 * The BFF's `audit()` takes only these keys, so a new action cannot be logged without its label.
 */
export const auditActionLabels = {
  'activity.create': '发布活动',
  'activity.update': '修改活动',
  'activity.message': '发送活动通知',
  'booking.approve': '通过预约',
  'booking.reject': '驳回预约',
  'booking.cancel': '取消预约',
  'booking.create.community': '代社区预约',
  'booking.create.onBehalf': '代居民预约',
  'booking.space.create': '新增空间',
  'booking.space.update': '修改空间',
  'booking.blackout.create': '设置停用时段',
  'booking.blackout.delete': '取消停用时段',
  'deliberation.rules.update': '修改议事规则',
  'deliberation.topic.accept': '受理议题',
  'deliberation.topic.refuse': '不予受理议题',
  'deliberation.topic.merge': '合并议题',
  'deliberation.topic.schedule': '安排议题上会',
  'deliberation.topic.milestone': '更新议题进展',
  'deliberation.voting.open': '开启投票',
  'deliberation.voting.close': '结束投票',
  'deliberation.ballots.offline': '录入现场票',
  'deliberation.day.create': '创建议事日',
  'deliberation.day.attendance': '登记到会',
  'deliberation.day.minutes': '记录会议纪要',
  'department.create': '新增部门',
  'family.actFor': '代家人办理',
  'homeVisit.plan': '计划入户走访',
  'homeVisit.log': '记录入户走访',
  'homeVisit.complete': '完成入户走访',
  'lending.item.create': '新增共享物品',
  'lending.pickUp': '登记借出',
  'lending.return': '登记归还',
  'merchant.create': '新增商户',
  'merchant.staff.add': '添加商户店员',
  'notice.publish': '发布通知公告',
  'notice.receipts': '查看通知回执',
  'need.view': '查看反映人信息',
  'need.accept': '受理反映',
  'need.reply': '答复反映',
  'need.note': '添加内部备注',
  'need.resolve': '办结反映',
  'need.refer': '转办反映',
  'need.duplicate': '标记重复反映',
  'need.escalate': '吹哨升级',
  'need.reportIn': '部门报到',
  'need.handBack': '部门退回反映',
  'need.fileOnBehalf': '代居民反映',
  'need.category.create': '新增反映分类',
  'need.category.update': '修改反映分类',
  'points.award': '发放积分',
  'points.rules.update': '修改积分规则',
  'points.volunteer.approved': '通过志愿时长',
  'points.volunteer.rejected': '驳回志愿时长',
  'residency.claim.view': '查看认证申请',
  'residency.claim.approved': '通过居民认证',
  'residency.claim.rejected': '驳回居民认证',
  'reward.create': '新增礼遇',
  'reward.update': '修改礼遇',
  'voucher.redeem': '核销券',
} as const satisfies Record<string, string>

export type AuditAction = keyof typeof auditActionLabels
export const AuditAction = z.enum(Object.keys(auditActionLabels) as [AuditAction, ...AuditAction[]], {
  error: '没有这种操作',
})

/** What kind of record an entry is about. */
export const auditTargetLabels: Record<string, string> = {
  activity: '活动',
  activitySession: '活动场次',
  blackout: '停用时段',
  booking: '预约',
  community: '社区',
  deliberationDay: '议事日',
  deliberationRules: '议事规则',
  department: '部门',
  homeVisit: '入户走访',
  item: '共享物品',
  loan: '借用',
  merchant: '商户',
  need: '反映',
  needCategory: '反映分类',
  notice: '通知公告',
  residencyClaim: '认证申请',
  reward: '礼遇',
  space: '空间',
  topic: '议题',
  user: '居民',
  volunteerHours: '志愿时长',
  voucher: '券',
}

/** 开启投票 · 议题「楼道照明改造」; without a name: 修改积分规则 · 社区. */
export function auditSummary(action: string, targetType: string, subjectName: string): string {
  const label = (auditActionLabels as Record<string, string>)[action] ?? '其他操作'
  const target = auditTargetLabels[targetType] ?? ''
  if (!target) return label
  return subjectName ? `${label} · ${target}「${subjectName}」` : `${label} · ${target}`
}
