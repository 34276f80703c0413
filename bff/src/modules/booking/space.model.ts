import { SpaceType } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

const intervalSchema = new Schema(
  { weekday: { type: Number, required: true }, open: String, close: String },
  { _id: false },
)

/** A bookable community space (会议室、活动室、共享厨房、球场) with its booking rules. */
const spaceSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    type: { type: String, enum: SpaceType.options, required: true },
    description: { type: String, default: '' },
    photos: { type: [String], default: [] },
    location: { type: String, required: true },
    capacity: { type: Number, required: true },
    facilities: { type: [String], default: [] },
    openingHours: { type: [intervalSchema], default: [] },
    slotMinutes: { type: Number, default: 30 },
    minDurationMinutes: { type: Number, default: 30 },
    maxDurationMinutes: { type: Number, default: 120 },
    bookingWindowDays: { type: Number, default: 14 },
    minNoticeMinutes: { type: Number, default: 60 },
    requiresApproval: { type: Boolean, default: true },
    maxActiveBookings: { type: Number, default: 2 },
    maxHoursPerWeek: { type: Number, default: 4 },
    checkInWindowMinutes: { type: Number, default: 15 },
    noShowGraceMinutes: { type: Number, default: 15 },
    enabled: { type: Boolean, default: true },
    /** Printed at the space as a QR code; scanning it checks a booking in. */
    checkInCode: { type: String, required: true },
  },
  { timestamps: true },
)
spaceSchema.index({ communityId: 1, createdAt: 1, _id: 1 })

export type SpaceDoc = InferSchemaType<typeof spaceSchema> & { _id: mongoose.Types.ObjectId }
export const Space = mongoose.model('Space', spaceSchema, 'spaces')

/** A closure of one space, or of every space of a community when `spaceId` is null. */
const blackoutSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    spaceId: { type: Schema.Types.ObjectId, default: null },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    reason: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true },
)
blackoutSchema.index({ communityId: 1, end: 1 })

export type BlackoutDoc = InferSchemaType<typeof blackoutSchema> & { _id: mongoose.Types.ObjectId }
export const Blackout = mongoose.model('Blackout', blackoutSchema, 'space_blackouts')
