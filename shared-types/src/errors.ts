/**
 * Stable error codes. `title` is shown to residents as is, so it is short, plain Chinese.
 * Each domain adds its own table here; the BFF maps every failure to exactly one code.
 */
interface ErrorSpec {
  readonly status: number
  readonly title: string
}

const core = {
  VALIDATION_FAILED: { status: 400, title: '提交的内容有误，请检查后重试' },
  REASON_REQUIRED: { status: 400, title: '请填写原因' },
  UNAUTHENTICATED: { status: 401, title: '请先登录' },
  TOKEN_EXPIRED: { status: 401, title: '登录已过期，请重新登录' },
  TOKEN_INVALID: { status: 401, title: '登录凭证无效，请重新登录' },
  REFRESH_TOKEN_REUSED: { status: 401, title: '登录凭证已失效，请重新登录' },
  WECHAT_CODE_INVALID: { status: 401, title: '微信登录失败，请重试' },
  FORBIDDEN: { status: 403, title: '没有权限进行此操作' },
  DEV_LOGIN_DISABLED: { status: 403, title: '正式环境不支持开发登录' },
  NOT_FOUND: { status: 404, title: '内容不存在或已删除' },
  ROUTE_NOT_FOUND: { status: 404, title: '接口不存在' },
  DUPLICATE: { status: 409, title: '记录已存在，请勿重复提交' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: '请求正在处理中，请稍候' },
  PAYLOAD_TOO_LARGE: { status: 413, title: '提交的内容太大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: '不支持的内容格式' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: '重复请求的内容与首次不一致' },
  RATE_LIMITED: { status: 429, title: '操作太频繁，请稍后再试' },
  INTERNAL: { status: 500, title: '服务器开小差了，请稍后再试' },
  WECHAT_UNAVAILABLE: { status: 503, title: '微信服务繁忙，请稍后再试' },
  DB_UNAVAILABLE: { status: 503, title: '服务暂时不可用，请稍后再试' },
} as const satisfies Record<string, ErrorSpec>

const identity = {
  RESIDENCY_ALREADY_VERIFIED: { status: 409, title: '您已完成居民认证' },
  RESIDENCY_CLAIM_PENDING: { status: 409, title: '已有待审核的认证申请，请耐心等待' },
  CLAIM_ALREADY_REVIEWED: { status: 409, title: '该申请已审核' },
  ORG_UNIT_MISMATCH: { status: 400, title: '所选院落或楼栋不属于该社区' },
  RESIDENT_NOT_VERIFIED: { status: 403, title: '请先完成居民认证' },
} as const satisfies Record<string, ErrorSpec>

export const errors = { ...core, ...identity } as const

export type ErrorCode = keyof typeof errors

/** RFC 9457 problem details as the BFF sends them. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  code: ErrorCode
  errors?: { path: (string | number)[]; message: string }[]
  traceId?: string
}

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' && value !== null && 'code' in value && 'title' in value && 'status' in value
  )
}
