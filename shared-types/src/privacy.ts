import { z } from 'zod'
import { Instant } from './common'
import { op } from './http'

/**
 * Personal information (PIPL): the version of the 个人信息处理规则 a resident agrees to when giving
 * their real name and phone, export of everything stored about them, and account deletion.
 */
export const PRIVACY_NOTICE_VERSION = '2026-12-01' as const

/** What the consent is for; today only the residency claim collects real name and phone. */
export const ConsentPurpose = z.enum(['residencyClaim'])
export type ConsentPurpose = z.infer<typeof ConsentPurpose>

export const consentPurposeLabels: Record<ConsentPurpose, string> = {
  residencyClaim: '居民认证：姓名、手机号、住址用于社区核实身份',
}

/** Sent with the residency claim: the notice version the resident read and agreed to. */
export const ConsentField = z.literal(PRIVACY_NOTICE_VERSION, {
  error: '请阅读并同意《个人信息处理规则》',
})

export const PrivacyConsent = z.object({
  purpose: ConsentPurpose,
  version: z.string(),
  at: Instant,
})
export type PrivacyConsent = z.infer<typeof PrivacyConsent>

/** Stands in for a deleted person's name wherever a record must stay (ledger, votes, audit). */
export const DELETED_USER_NAME = '已注销用户'

const Rows = z.array(z.record(z.string(), z.unknown()))

/** The downloadable file of everything stored about the caller; never another person's data. */
export const MyDataExport = z.object({
  format: z.literal('linli-personal-data/1'),
  exportedAt: Instant,
  profile: z.record(z.string(), z.unknown()),
  consents: z.array(PrivacyConsent),
  residencyClaims: Rows,
  bookings: Rows,
  needs: Rows,
  topics: Rows,
  seconds: Rows,
  comments: Rows,
  ratings: Rows,
  /** Topics the person could vote on and whether they attended; ballots are secret, no choices. */
  votingRolls: Rows,
  attendance: Rows,
  pointBalances: Rows,
  pointLedger: Rows,
  volunteerHours: Rows,
  vouchers: Rows,
  activitySignUps: Rows,
  loans: Rows,
  notifications: Rows,
  auditAboutMe: Rows,
})
export type MyDataExport = z.infer<typeof MyDataExport>

export const DELETE_ACCOUNT_CONFIRMATION = '确认注销'

export const DeleteAccountBody = z.strictObject({
  confirmation: z.literal(DELETE_ACCOUNT_CONFIRMATION, { error: `请输入“${DELETE_ACCOUNT_CONFIRMATION}”` }),
})

export const privacyOps = {
  listMyConsents: op({
    method: 'get',
    path: '/api/v1/me/consents',
    summary: '我的个人信息授权记录（版本与时间）',
    tag: 'privacy',
    access: 'user',
    scope: { kind: 'own' },
    response: z.object({ items: z.array(PrivacyConsent), currentVersion: z.string() }),
  }),
  exportMyData: op({
    method: 'get',
    path: '/api/v1/me/data-export',
    summary: '导出我的数据（JSON 文件，只含本人的记录，不含选票内容）',
    tag: 'privacy',
    access: 'user',
    scope: { kind: 'own' },
    response: MyDataExport,
  }),
  deleteMyAccount: op({
    method: 'post',
    path: '/api/v1/me/account-deletion',
    summary: '注销账号：删除个人信息，积分账、投票和操作日志只留匿名记录；登录全部失效',
    tag: 'privacy',
    access: 'user',
    scope: { kind: 'own' },
    body: DeleteAccountBody,
    status: 204,
  }),
} as const
