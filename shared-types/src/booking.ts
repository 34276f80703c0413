import { z } from 'zod'
import { bookingStatuses } from './booking-rules'
import { Empty, Id, IdParams, Instant, LocalDate, PageQuery, Phone, page, text } from './common'
import { Consent } from './grid'
import { op } from './http'

export * from './booking-rules'

// ---- spaces --------------------------------------------------------------------------------------

export const SpaceType = z.enum(['meetingRoom', 'activityRoom', 'kitchen', 'court', 'other'])
export type SpaceType = z.infer<typeof SpaceType>

/** `HH:mm`, 00:00–24:00 (`clockMinutes` reads exactly these): a pattern the OpenAPI document carries. */
const Clock = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, '时间格式应为HH:mm（00:00–24:00）')

export const OpeningInterval = z.strictObject({
  /** 0 = 星期日 … 6 = 星期六, in the community's time zone. */
  weekday: z.number().int().min(0).max(6),
  open: Clock,
  close: Clock,
})

const spaceFields = {
  name: text(40),
  type: SpaceType,
  description: text(500, 0).default(''),
  photos: z.array(z.string().max(500)).max(9).default([]),
  location: text(100),
  capacity: z.number().int().min(1).max(1000),
  facilities: z.array(text(20)).max(20).default([]),
  openingHours: z.array(OpeningInterval).max(28),
  slotMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).default(30),
  minDurationMinutes: z.number().int().min(15).max(1440).default(30),
  maxDurationMinutes: z.number().int().min(15).max(1440).default(120),
  bookingWindowDays: z.number().int().min(0).max(90).default(14),
  minNoticeMinutes: z.number().int().min(0).max(10080).default(60),
  requiresApproval: z.boolean().default(true),
  /** Active (pending, approved, checked-in) bookings a resident may hold on this space. */
  maxActiveBookings: z.number().int().min(1).max(50).default(2),
  /** Hours a resident may book on this space per local week (Monday–Sunday). */
  maxHoursPerWeek: z.number().int().min(1).max(168).default(4),
  checkInWindowMinutes: z.number().int().min(0).max(240).default(15),
  noShowGraceMinutes: z.number().int().min(0).max(240).default(15),
  enabled: z.boolean().default(true),
}

export const CreateSpaceBody = z.strictObject({ communityId: Id, ...spaceFields })
export type CreateSpaceBody = z.infer<typeof CreateSpaceBody>

/** Every field optional; no defaults so an update changes only what it names. */
export const UpdateSpaceBody = z.strictObject({
  name: spaceFields.name.optional(),
  type: SpaceType.optional(),
  description: text(500, 0).optional(),
  photos: z.array(z.string().max(500)).max(9).optional(),
  location: text(100).optional(),
  capacity: spaceFields.capacity.optional(),
  facilities: z.array(text(20)).max(20).optional(),
  openingHours: spaceFields.openingHours.optional(),
  slotMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).optional(),
  minDurationMinutes: z.number().int().min(15).max(1440).optional(),
  maxDurationMinutes: z.number().int().min(15).max(1440).optional(),
  bookingWindowDays: z.number().int().min(0).max(90).optional(),
  minNoticeMinutes: z.number().int().min(0).max(10080).optional(),
  requiresApproval: z.boolean().optional(),
  maxActiveBookings: z.number().int().min(1).max(50).optional(),
  maxHoursPerWeek: z.number().int().min(1).max(168).optional(),
  checkInWindowMinutes: z.number().int().min(0).max(240).optional(),
  noShowGraceMinutes: z.number().int().min(0).max(240).optional(),
  enabled: z.boolean().optional(),
})
export type UpdateSpaceBody = z.infer<typeof UpdateSpaceBody>

export const Blackout = z.object({
  id: Id,
  communityId: Id,
  /** Null: all spaces of the community. */
  spaceId: Id.nullable(),
  start: Instant,
  end: Instant,
  reason: z.string(),
})
export type Blackout = z.infer<typeof Blackout>

export const Space = z.object({
  id: Id,
  communityId: Id,
  communityName: z.string(),
  timezone: z.string(),
  name: z.string(),
  type: SpaceType,
  description: z.string(),
  photos: z.array(z.string()),
  location: z.string(),
  capacity: z.number().int(),
  facilities: z.array(z.string()),
  openingHours: z.array(z.object({ weekday: z.number().int(), open: z.string(), close: z.string() })),
  slotMinutes: z.number().int(),
  minDurationMinutes: z.number().int(),
  maxDurationMinutes: z.number().int(),
  bookingWindowDays: z.number().int(),
  minNoticeMinutes: z.number().int(),
  requiresApproval: z.boolean(),
  maxActiveBookings: z.number().int(),
  maxHoursPerWeek: z.number().int(),
  checkInWindowMinutes: z.number().int(),
  noShowGraceMinutes: z.number().int(),
  enabled: z.boolean(),
  /** The code printed at the space for check-in; only to staff of its community. */
  checkInCode: z.string().nullable(),
  /** Upcoming blackouts of this space or of all spaces of its community. */
  blackouts: z.array(Blackout),
})
export type Space = z.infer<typeof Space>

export const SpaceSummary = Space.pick({
  id: true,
  communityId: true,
  name: true,
  type: true,
  photos: true,
  location: true,
  capacity: true,
  facilities: true,
  requiresApproval: true,
  enabled: true,
  slotMinutes: true,
})
export type SpaceSummary = z.infer<typeof SpaceSummary>

export const ListSpacesQuery = z.strictObject({
  communityId: Id.optional(),
  type: SpaceType.optional(),
})

export const AvailabilityQuery = z.strictObject({
  date: LocalDate,
  days: z.coerce.number().int().min(1).max(7).default(1),
})

export const SlotState = z.enum(['free', 'held', 'blackout', 'closed', 'past'])
export const AvailabilitySlot = z.object({
  start: Instant,
  end: Instant,
  state: SlotState,
  /** The caller's own booking holds it. */
  mine: z.boolean(),
})
export type AvailabilitySlot = z.infer<typeof AvailabilitySlot>

export const Availability = z.object({
  spaceId: Id,
  timezone: z.string(),
  slotMinutes: z.number().int(),
  days: z.array(z.object({ date: z.string(), slots: z.array(AvailabilitySlot) })),
})
export type Availability = z.infer<typeof Availability>

export const CreateBlackoutBody = z.strictObject({
  communityId: Id,
  spaceId: Id.nullable().default(null),
  start: Instant,
  end: Instant,
  reason: text(100),
})

// ---- bookings ------------------------------------------------------------------------------------

export const BookingStatus = z.enum(bookingStatuses)
export type BookingStatus = z.infer<typeof BookingStatus>

export const CreateBookingBody = z
  .strictObject({
    spaceId: Id,
    start: Instant,
    end: Instant,
    purpose: text(100),
    attendees: z.number().int().min(1).max(1000),
    contactPhone: Phone,
    /** Staff booking on behalf of the community (no quotas, approved at once). */
    forCommunity: z.boolean().default(false),
    /**
     * Staff booking for a verified resident of the space's community who cannot do it themselves:
     * the booking is the resident's (their quotas, their 我的预约, their notices).
     */
    forResidentId: Id.optional(),
    /** How the resident agreed (required with forResidentId); stored on the booking and audited. */
    consent: Consent.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.forResidentId && v.forCommunity)
      ctx.addIssue({
        code: 'custom',
        path: ['forResidentId'],
        message: '代社区预约与代居民预约只能选一种',
      })
    if (v.forResidentId && !v.consent)
      ctx.addIssue({ code: 'custom', path: ['consent'], message: '代居民预约须记录居民如何同意' })
    if (v.consent && !v.forResidentId)
      ctx.addIssue({ code: 'custom', path: ['forResidentId'], message: '请选择代为预约的居民' })
  })
export type CreateBookingBody = z.infer<typeof CreateBookingBody>

export const Booking = z.object({
  id: Id,
  spaceId: Id,
  spaceName: z.string(),
  communityId: Id,
  userId: Id,
  /** Full to the resident and to staff acting on it; masked in staff lists. */
  residentName: z.string(),
  contactPhone: z.string(),
  purpose: z.string(),
  attendees: z.number().int(),
  start: Instant,
  end: Instant,
  status: BookingStatus,
  forCommunity: z.boolean(),
  /** Staff who booked it for the resident, and how the resident agreed; null when booked by them. */
  bookedBy: z.object({ name: z.string(), consent: z.string() }).nullable(),
  rejectReason: z.string().nullable(),
  cancelReason: z.string().nullable(),
  cancelledBy: z.enum(['resident', 'staff']).nullable(),
  decidedAt: Instant.nullable(),
  checkedInAt: Instant.nullable(),
  createdAt: Instant,
})
export type Booking = z.infer<typeof Booking>

export const BookingHistory = z.object({
  total: z.number().int(),
  completed: z.number().int(),
  noShow: z.number().int(),
  cancelled: z.number().int(),
  rejected: z.number().int(),
})
export const ReviewItem = Booking.extend({ history: BookingHistory })
export type ReviewItem = z.infer<typeof ReviewItem>

export const MyBookingsQuery = PageQuery.extend({ status: BookingStatus.optional() })
export const ReviewQuery = PageQuery.extend({ communityId: Id.optional(), spaceId: Id.optional() })
export const CancelBookingBody = z.strictObject({ reason: text(200).optional() })
export const CheckInBookingBody = z.strictObject({ code: text(64).optional() })
export const RejectBookingBody = z.strictObject({ reason: text(200) })

export const ScheduleQuery = z.strictObject({ date: LocalDate })
export const SpaceSchedule = z.object({
  spaceId: Id,
  date: z.string(),
  timezone: z.string(),
  bookings: z.array(Booking),
  blackouts: z.array(Blackout),
})
export type SpaceSchedule = z.infer<typeof SpaceSchedule>

// ---- operations ----------------------------------------------------------------------------------

const staff = ['staff', 'streetStaff', 'admin'] as const

export const bookingOps = {
  listSpaces: op({
    method: 'get',
    path: '/api/v1/spaces',
    summary: '共享空间列表（默认本社区；工作人员可见已停用的）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'catalogue' },
    query: ListSpacesQuery,
    response: z.object({ items: z.array(SpaceSummary) }),
  }),
  getSpace: op({
    method: 'get',
    path: '/api/v1/spaces/:id',
    summary: '空间详情（开放时间、规则、近期暂停开放时段）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'catalogue' },
    params: IdParams,
    response: Space,
  }),
  getSpaceAvailability: op({
    method: 'get',
    path: '/api/v1/spaces/:id/availability',
    summary: '空间某天起1–7天的时段占用情况（空闲/已占用/暂停/未开放/已过）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'catalogue' },
    params: IdParams,
    query: AvailabilityQuery,
    response: Availability,
  }),
  createBooking: op({
    method: 'post',
    path: '/api/v1/bookings',
    summary: '预约空间（已认证居民；本社区工作人员可代社区预约，或记录同意方式后代居民预约）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'own' },
    body: CreateBookingBody,
    response: Booking,
    status: 201,
    idempotent: true,
  }),
  listMyBookings: op({
    method: 'get',
    path: '/api/v1/me/bookings',
    summary: '我的预约（最新的在前）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'own' },
    query: MyBookingsQuery,
    response: page(Booking),
  }),
  getBooking: op({
    method: 'get',
    path: '/api/v1/bookings/:id',
    summary: '预约详情（本人或本社区工作人员）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'record', record: 'booking', reach: 'staff', owner: true },
    params: IdParams,
    response: Booking,
  }),
  cancelBooking: op({
    method: 'post',
    path: '/api/v1/bookings/:id/cancel',
    summary: '取消预约（居民本人；工作人员取消须填写原因）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'record', record: 'booking', reach: 'staff', owner: true },
    params: IdParams,
    body: CancelBookingBody,
    response: Booking,
  }),
  checkInBooking: op({
    method: 'post',
    path: '/api/v1/bookings/:id/check-in',
    summary: '签到（扫空间码或在签到时段内点按钮）',
    tag: 'booking',
    access: 'user',
    scope: { kind: 'record', record: 'booking', reach: 'owner', owner: true },
    params: IdParams,
    body: CheckInBookingBody,
    response: Booking,
  }),
  listBookingsForReview: op({
    method: 'get',
    path: '/api/v1/bookings/review-queue',
    summary: '待审核预约（最早的在前，附居民预约记录，姓名电话脱敏）',
    tag: 'booking',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    query: ReviewQuery,
    response: page(ReviewItem),
  }),
  approveBooking: op({
    method: 'post',
    path: '/api/v1/bookings/:id/approve',
    summary: '通过预约',
    tag: 'booking',
    access: staff,
    scope: { kind: 'record', record: 'booking', reach: 'staff' },
    params: IdParams,
    body: Empty,
    response: Booking,
  }),
  rejectBooking: op({
    method: 'post',
    path: '/api/v1/bookings/:id/reject',
    summary: '驳回预约（须填写原因，释放时段）',
    tag: 'booking',
    access: staff,
    scope: { kind: 'record', record: 'booking', reach: 'staff' },
    params: IdParams,
    body: RejectBookingBody,
    response: Booking,
  }),
  getSpaceSchedule: op({
    method: 'get',
    path: '/api/v1/spaces/:id/schedule',
    summary: '空间某天的日程（预约与暂停开放）',
    tag: 'booking',
    access: staff,
    scope: { kind: 'record', record: 'space', reach: 'staff' },
    params: IdParams,
    query: ScheduleQuery,
    response: SpaceSchedule,
  }),
  createSpace: op({
    method: 'post',
    path: '/api/v1/spaces',
    summary: '新建空间',
    tag: 'booking',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateSpaceBody,
    response: Space,
    status: 201,
    idempotent: true,
  }),
  updateSpace: op({
    method: 'patch',
    path: '/api/v1/spaces/:id',
    summary: '修改空间（含停用/启用）',
    tag: 'booking',
    access: staff,
    scope: { kind: 'record', record: 'space', reach: 'staff' },
    params: IdParams,
    body: UpdateSpaceBody,
    response: Space,
  }),
  createBlackout: op({
    method: 'post',
    path: '/api/v1/blackouts',
    summary: '设置暂停开放时段（单个空间或全部空间）',
    tag: 'booking',
    access: staff,
    scope: { kind: 'community', reach: 'staff' },
    body: CreateBlackoutBody,
    response: Blackout,
    status: 201,
    idempotent: true,
  }),
  deleteBlackout: op({
    method: 'delete',
    path: '/api/v1/blackouts/:id',
    summary: '删除暂停开放时段',
    tag: 'booking',
    access: staff,
    scope: { kind: 'record', record: 'blackout', reach: 'staff' },
    params: IdParams,
    status: 204,
  }),
} as const
