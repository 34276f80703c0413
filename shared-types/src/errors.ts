/**
 * Stable error codes. `title` is shown to residents as is, so it is short, plain Chinese.
 * Each domain adds its own table here; the BFF maps every failure to exactly one code.
 *
 * 400 is VALIDATION_FAILED alone: a request the OpenAPI document already says is wrong (its schemas
 * carry every pattern, format and required field the server checks). A well-formed request that a
 * rule beyond the schema refuses — end before start, a code that does not match, a unit of another
 * community — is 422 (or 404/409 when the record is missing or in the wrong state).
 */
interface ErrorSpec {
  readonly status: number
  readonly title: string
}

const core = {
  VALIDATION_FAILED: { status: 400, title: '提交的内容有误，请检查后重试' },
  /** A rule between fields that no JSON Schema states (end after start, one of two fields…). */
  RULE_VIOLATED: { status: 422, title: '填写的内容前后不符，请检查后重试' },
  REASON_REQUIRED: { status: 422, title: '请填写原因' },
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
  METHOD_NOT_ALLOWED: { status: 405, title: '该接口不支持此请求方式' },
  REQUEST_TIMEOUT: { status: 408, title: '请求超时，请重试' },
  PAYLOAD_TOO_LARGE: { status: 413, title: '提交的内容太大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: '不支持的内容格式' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: '重复请求的内容与首次不一致' },
  RATE_LIMITED: { status: 429, title: '操作太频繁，请稍后再试' },
  HEADERS_TOO_LARGE: { status: 431, title: '请求头太大' },
  INTERNAL: { status: 500, title: '服务器开小差了，请稍后再试' },
  WECHAT_UNAVAILABLE: { status: 503, title: '微信服务繁忙，请稍后再试' },
  DB_UNAVAILABLE: { status: 503, title: '服务暂时不可用，请稍后再试' },
} as const satisfies Record<string, ErrorSpec>

const identity = {
  RESIDENCY_ALREADY_VERIFIED: { status: 409, title: '您已完成居民认证' },
  RESIDENCY_CLAIM_PENDING: { status: 409, title: '已有待审核的认证申请，请耐心等待' },
  CLAIM_ALREADY_REVIEWED: { status: 409, title: '该申请已审核' },
  ORG_UNIT_MISMATCH: { status: 422, title: '所选院落或楼栋不属于该社区' },
  // 422, not 401: a spent phone code must not read as a lost session.
  WECHAT_PHONE_CODE_INVALID: { status: 422, title: '手机号授权已失效，请重新获取' },
  RESIDENT_NOT_VERIFIED: { status: 403, title: '请先完成居民认证' },
} as const satisfies Record<string, ErrorSpec>

const deliberation = {
  TOPIC_STATUS_CONFLICT: { status: 409, title: '议题当前状态不允许此操作' },
  TOPIC_SCOPE_MISMATCH: { status: 403, title: '该议题仅限本院落居民参与' },
  ALREADY_SECONDED: { status: 409, title: '您已附议过该议题' },
  CANNOT_SECOND_OWN_TOPIC: { status: 409, title: '不能附议自己提出的议题' },
  NOT_TOPIC_PROPOSER: { status: 403, title: '只有提议人可以撤回议题' },
  SCREEN_RULE_REQUIRED: { status: 422, title: '不予受理须引用一条“不议”规则' },
  DELIBERATION_RULE_NOT_FOUND: { status: 422, title: '所引用的议事规则不存在' },
  DELIBERATION_RULE_DUPLICATE: { status: 422, title: '议事规则编号重复' },
  MERGE_TARGET_INVALID: { status: 422, title: '不能合并到该议题' },
  VOTING_WINDOW_INVALID: { status: 422, title: '投票时间设置有误' },
  VOTING_OPTIONS_INVALID: { status: 422, title: '投票选项设置有误' },
  VOTING_NOT_OPEN: { status: 409, title: '投票尚未开始' },
  VOTING_CLOSED: { status: 409, title: '投票已结束' },
  NOT_ELIGIBLE_VOTER: { status: 403, title: '您不在本议题的投票范围内' },
  INVALID_CHOICE: { status: 422, title: '请选择有效的选项' },
  BALLOT_RECORDED_OFFLINE: { status: 409, title: '已在现场投票，不能再在线投票' },
  BALLOT_CAST_ONLINE: { status: 409, title: '已在线投票，不能再录入现场票' },
  BALLOT_BUSY: { status: 409, title: '投票提交过于频繁，请稍后重试' },
  RESULT_NOT_READY: { status: 409, title: '投票结束后才公布结果' },
  DAY_ALREADY_PLANNED: { status: 409, title: '该日期已安排议事日' },
  DAY_CONCLUDED: { status: 409, title: '议事日已结束' },
  CHECK_IN_CODE_INVALID: { status: 422, title: '签到码不正确' },
  CHECK_IN_NOT_OPEN: { status: 409, title: '签到尚未开始' },
  ALREADY_CHECKED_IN: { status: 409, title: '已经签到过了' },
  MILESTONE_PROGRESS_BACKWARDS: { status: 409, title: '进度不能低于上一次登记' },
  RATING_NOT_OPEN: { status: 409, title: '落实完成后才能评价' },
  ALREADY_RATED: { status: 409, title: '您已评价过' },
} as const satisfies Record<string, ErrorSpec>

const points = {
  POINTS_INSUFFICIENT: { status: 409, title: '积分不足' },
  REWARD_UNAVAILABLE: { status: 409, title: '该礼遇暂不可兑换' },
  REWARD_OUT_OF_STOCK: { status: 409, title: '礼遇已兑完' },
  REDEEM_LIMIT_REACHED: { status: 409, title: '已达到该礼遇的兑换次数上限' },
  REDEMPTION_FAILED: { status: 503, title: '兑换未完成，积分已退回，请稍后再试' },
  VOUCHER_NOT_FOUND: { status: 404, title: '券码不存在' },
  VOUCHER_ALREADY_REDEEMED: { status: 409, title: '该券已核销，不能重复使用' },
  VOUCHER_CANCELLED: { status: 409, title: '该券已取消' },
  VOUCHER_EXPIRED: { status: 410, title: '该券已过期' },
  VOUCHER_NOT_CANCELLABLE: { status: 409, title: '该券已使用或失效，不能取消' },
  VOLUNTEER_HOURS_REVIEWED: { status: 409, title: '该申报已审核' },
  STOCK_NEGATIVE: { status: 409, title: '库存不足以减少' },
} as const satisfies Record<string, ErrorSpec>

const booking = {
  SPACE_DISABLED: { status: 409, title: '该空间暂停预约' },
  SPACE_HOURS_INVALID: { status: 422, title: '开放时间设置有误' },
  BOOKING_SLOT_TAKEN: { status: 409, title: '该时段已被预约，请选择其他时段' },
  BOOKING_TIME_INVALID: { status: 422, title: '结束时间须晚于开始时间' },
  BOOKING_SLOT_MISALIGNED: { status: 422, title: '请按整段时间预约' },
  BOOKING_OUTSIDE_HOURS: { status: 422, title: '不在空间开放时间内' },
  BOOKING_TOO_SHORT: { status: 422, title: '预约时长太短' },
  BOOKING_TOO_LONG: { status: 422, title: '预约时长超过上限' },
  BOOKING_IN_PAST: { status: 422, title: '不能预约已经过去的时段' },
  BOOKING_NOTICE_TOO_SHORT: { status: 422, title: '距开始时间太近，请提前预约' },
  BOOKING_OUTSIDE_WINDOW: { status: 422, title: '超出可预约的日期范围' },
  BOOKING_BLACKOUT: { status: 409, title: '该时段暂停开放' },
  BOOKING_QUOTA_EXCEEDED: { status: 409, title: '您进行中的预约已达上限' },
  BOOKING_HOURS_EXCEEDED: { status: 409, title: '本周预约时长已达上限' },
  BOOKING_SUSPENDED: { status: 403, title: '因多次爽约，暂时不能预约' },
  BOOKING_CAPACITY_EXCEEDED: { status: 422, title: '参加人数超过空间容量' },
  BOOKING_STATUS_CONFLICT: { status: 409, title: '预约状态已变化，请刷新后重试' },
  BOOKING_CHECK_IN_NOT_OPEN: { status: 409, title: '不在签到时间内' },
  BOOKING_CHECK_IN_CODE_INVALID: { status: 422, title: '签到码不正确' },
} as const satisfies Record<string, ErrorSpec>

const needs = {
  NEED_INVALID_TRANSITION: { status: 409, title: '该反映当前状态不允许此操作' },
  NEED_POSSIBLE_DUPLICATE: { status: 409, title: '同楼栋近期已有同类反映，请确认是否仍要提交' },
  NEED_REPLY_REQUIRED: { status: 422, title: '办结前须答复居民' },
  NEED_REOPEN_LIMIT: { status: 409, title: '每件反映最多重新办理两次' },
  NEED_LEVEL_INVALID: { status: 422, title: '只能上提到更高的处理层级' },
  NEED_ALREADY_REPORTED: { status: 409, title: '该部门已报到' },
  NEED_CATEGORY_INVALID: { status: 422, title: '请选择本社区的反映分类' },
  NEED_PHOTO_INVALID: { status: 422, title: '照片无效或已被使用，请重新上传' },
  NEED_PHOTO_NOT_IMAGE: { status: 422, title: '只能上传 JPG、PNG 或 WebP 图片' },
  NEED_PHOTO_TOO_LARGE: { status: 413, title: '图片不能超过5MB' },
  NEED_PHOTO_QUOTA: { status: 429, title: '上传的照片太多了，请稍后再试' },
  NEED_DUPLICATE_TARGET_INVALID: { status: 422, title: '不能关联到该反映' },
  OPEN311_API_KEY_INVALID: { status: 403, title: 'api_key 无效' },
} as const satisfies Record<string, ErrorSpec>

const activities = {
  ACTIVITY_SCHEDULE_INVALID: { status: 422, title: '活动时间设置有误' },
  ACTIVITY_CANCELLED: { status: 409, title: '活动已取消' },
  ACTIVITY_PLACES_BELOW_SIGNUPS: { status: 409, title: '名额不能少于已报名人数' },
  ACTIVITY_AUDIENCE_MISMATCH: { status: 403, title: '该活动仅限部分院落的居民参加' },
  SIGNUP_CLOSED: { status: 409, title: '该场次已开始或已取消，不能报名' },
  ALREADY_SIGNED_UP: { status: 409, title: '您已报名该场次' },
  SIGNUP_STATUS_CONFLICT: { status: 409, title: '报名状态已变化，请刷新后重试' },
  SESSION_NOT_SIGNED_UP: { status: 409, title: '您没有报名该场次' },
  SESSION_NOT_CONFIRMED: { status: 409, title: '候补尚未递补，不能签到' },
  SESSION_CHECK_IN_NOT_OPEN: { status: 409, title: '不在签到时间内' },
  SESSION_CODE_INVALID: { status: 422, title: '签到码不正确' },
  SESSION_ALREADY_CHECKED_IN: { status: 409, title: '已经签到过了' },
  SESSION_NOT_CHECKED_IN: { status: 409, title: '尚未签到，不能签退' },
  SESSION_ALREADY_CHECKED_OUT: { status: 409, title: '已经签退过了' },
} as const satisfies Record<string, ErrorSpec>

const lending = {
  ITEM_OUT_OF_STOCK: { status: 409, title: '该物品已借完' },
  ITEM_ALREADY_BORROWED: { status: 409, title: '您已借用该物品，请归还后再借' },
  ITEM_DISABLED: { status: 409, title: '该物品暂停借用' },
  LOAN_CODE_NOT_FOUND: { status: 404, title: '借用码不存在' },
  LOAN_STATUS_CONFLICT: { status: 409, title: '借用状态已变化，请刷新后重试' },
  LENDING_SUSPENDED: { status: 403, title: '因逾期归还，暂时不能借用' },
} as const satisfies Record<string, ErrorSpec>

const grid = {
  DEPARTMENT_INVALID: { status: 422, title: '请选择本街道或本社区的部门' },
  WHISTLE_STATE_CONFLICT: { status: 409, title: '该吹哨事项当前状态不允许此操作' },
  NOTICE_CONFIRM_NOT_REQUIRED: { status: 409, title: '该通知无需确认收到' },
  NOTICE_CONFIRM_CLOSED: { status: 409, title: '已过确认截止时间' },
  FAMILY_CODE_INVALID: { status: 422, title: '绑定码无效或已过期' },
  FAMILY_SELF_BINDING: { status: 422, title: '不能绑定自己' },
  FAMILY_BINDING_STATE_CONFLICT: { status: 409, title: '该绑定当前状态不允许此操作' },
  ON_BEHALF_NOT_ALLOWED: { status: 403, title: '该操作不能代办' },
} as const satisfies Record<string, ErrorSpec>

export const errors = {
  ...core,
  ...identity,
  ...points,
  ...deliberation,
  ...booking,
  ...needs,
  ...activities,
  ...lending,
  ...grid,
} as const

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
