import type { SpaceType } from './booking'
import type { NeedStatus } from './needs'
import type { Role } from './roles'

/*
 * Labels the mini-program's first screens show (home, the tabs, sign-in). They live apart from the
 * schemas so those screens load without zod; the package exports them like the rest.
 */

export const roleLabels: Record<Role, string> = {
  resident: '居民',
  gridWorker: '网格员',
  staff: '社区工作人员',
  streetStaff: '街道工作人员',
  deptStaff: '部门工作人员',
  merchant: '商户',
  admin: '管理员',
}

export const needStatusLabels: Record<NeedStatus, string> = {
  submitted: '待受理',
  accepted: '已受理',
  inProgress: '处理中',
  resolved: '已办结',
  closed: '已评价',
  reopened: '已重启',
  referred: '已转办',
  duplicate: '重复反映',
  rejected: '不予受理',
  withdrawn: '已撤回',
}

export const spaceTypeLabels: Record<SpaceType, string> = {
  meetingRoom: '会议室',
  activityRoom: '活动室',
  kitchen: '共享厨房',
  court: '运动场地',
  other: '其他空间',
}
