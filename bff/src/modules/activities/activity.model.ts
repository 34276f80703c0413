import { AgeGroup, SignUpStatus } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const { ObjectId } = Schema.Types

/** An activity or volunteer project as published; its sessions are documents of their own. */
const activitySchema = new Schema(
  {
    communityId: { type: ObjectId, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    photos: { type: [String], default: [] },
    location: { type: String, required: true },
    spaceId: { type: ObjectId, default: null },
    contactPhone: { type: String, required: true },
    courtyardIds: { type: [ObjectId], default: [] },
    ageGroup: { type: String, enum: AgeGroup.options, default: 'all' },
    volunteer: { type: Boolean, default: false },
    pointsPerHour: { type: Number, default: 0 },
    placesPerSession: { type: Number, required: true },
    scheduleKind: { type: String, enum: ['once', 'weekly'], required: true },
    /** Weekly series only. */
    weekly: {
      type: new Schema(
        {
          weekdays: [Number],
          startTime: String,
          durationMinutes: Number,
          startDate: String,
          endDate: { type: String, default: null },
          exceptions: { type: [String], default: [] },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Last local date sessions were materialised up to (weekly series). */
    generatedUntil: { type: String, default: null },
    /** When the sweeper next rolls the horizon on (the next local midnight); null: never. */
    nextGenerateAt: { type: Date, default: null },
    status: { type: String, enum: ['published', 'cancelled'], default: 'published' },
    createdBy: { type: ObjectId, required: true },
  },
  { timestamps: true },
)
activitySchema.index({ communityId: 1, createdAt: -1, _id: -1 })
activitySchema.index({ status: 1, nextGenerateAt: 1 })

export type ActivityDoc = InferSchemaType<typeof activitySchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const ActivityModel = mongoose.model('Activity', activitySchema, 'activities')

/**
 * One session of an activity, materialised: it carries the per-session state every sign-up races on
 * (places taken, waitlist length, arrival counter), its check-in code and its space booking. The
 * activity's display fields are copied so date listings need no join.
 */
const sessionSchema = new Schema(
  {
    activityId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    title: { type: String, required: true },
    location: { type: String, required: true },
    volunteer: { type: Boolean, default: false },
    pointsPerHour: { type: Number, default: 0 },
    ageGroup: { type: String, default: 'all' },
    courtyardIds: { type: [ObjectId], default: [] },
    date: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    places: { type: Number, required: true },
    /** Places left (places − sign-ups holding one). Changed only by guarded `$inc`, never below 0. */
    free: { type: Number, required: true },
    waitlisted: { type: Number, default: 0 },
    /** Arrival counter: each sign-up takes the next number in the same update that decides its fate. */
    seq: { type: Number, default: 0 },
    status: { type: String, enum: ['scheduled', 'cancelled'], default: 'scheduled' },
    checkInCode: { type: String, required: true },
    bookingId: { type: ObjectId, default: null },
    /** Why the space could not be booked for this session, if it could not. */
    bookingError: { type: String, default: null },
  },
  { timestamps: true },
)
sessionSchema.index({ activityId: 1, start: 1 }, { unique: true })
sessionSchema.index({ communityId: 1, start: 1 })
sessionSchema.index({ status: 1, end: 1 })

export type SessionDoc = InferSchemaType<typeof sessionSchema> & { _id: mongoose.Types.ObjectId }
export const SessionModel = mongoose.model('ActivitySession', sessionSchema, 'activity_sessions')

/**
 * One person's sign-up for one session; unique per (session, user), so a second sign-up is refused
 * by the index. `claiming` is the intent written before a place is taken.
 */
const signUpSchema = new Schema(
  {
    sessionId: { type: ObjectId, required: true },
    activityId: { type: ObjectId, required: true },
    communityId: { type: ObjectId, required: true },
    userId: { type: ObjectId, required: true },
    name: { type: String, required: true },
    phone: { type: String, default: null },
    title: { type: String, required: true },
    location: { type: String, required: true },
    volunteer: { type: Boolean, default: false },
    pointsPerHour: { type: Number, default: 0 },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    status: { type: String, enum: ['claiming', ...SignUpStatus.options], required: true },
    seq: { type: Number, default: null },
    promotedAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    checkedInAt: { type: Date, default: null },
    checkedOutAt: { type: Date, default: null },
    servedMinutes: { type: Number, default: null },
    /** Checked out by the sweeper (forgot to check out) rather than by the volunteer. */
    autoCheckedOut: { type: Boolean, default: false },
    /** When the served hours were handed to the points events (the sweeper finishes a missed one). */
    eventAt: { type: Date, default: null },
  },
  { timestamps: true },
)
signUpSchema.index({ sessionId: 1, userId: 1 }, { unique: true })
signUpSchema.index({ sessionId: 1, status: 1, seq: 1 })
signUpSchema.index({ userId: 1, createdAt: -1, _id: -1 })
signUpSchema.index({ status: 1, end: 1 })
signUpSchema.index({ status: 1, eventAt: 1 })

export type SignUpDoc = InferSchemaType<typeof signUpSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
  updatedAt: Date
}
export const SignUpModel = mongoose.model('ActivitySignUp', signUpSchema, 'activity_sign_ups')
