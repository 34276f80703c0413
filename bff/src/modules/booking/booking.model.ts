import { BookingStatus } from '@linli/shared-types'
import mongoose, { type InferSchemaType, Schema } from 'mongoose'

/**
 * A booking. `claiming` is the intent recorded before its slots are claimed: a booking stuck there
 * (the process died mid-claim) is undone by the booking sweeper, so no slot stays held by nobody.
 */
const bookingSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    spaceId: { type: Schema.Types.ObjectId, required: true },
    spaceName: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    residentName: { type: String, required: true },
    contactPhone: { type: String, required: true },
    purpose: { type: String, required: true },
    attendees: { type: Number, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    minutes: { type: Number, required: true },
    /** start + the space's no-show grace: an approved booking not checked in by then is a no-show. */
    noShowAfter: { type: Date, required: true },
    status: { type: String, enum: ['claiming', ...BookingStatus.options], required: true },
    forCommunity: { type: Boolean, default: false },
    /** Staff who booked it for the resident (`userId`), and how the resident agreed. */
    bookedBy: {
      type: new Schema(
        {
          userId: { type: Schema.Types.ObjectId, required: true },
          name: { type: String, required: true },
          consentMethod: { type: String, required: true },
          consentNote: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    rejectReason: { type: String, default: null },
    cancelReason: { type: String, default: null },
    cancelledBy: { type: String, enum: ['resident', 'staff', null], default: null },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    decidedAt: { type: Date, default: null },
    checkedInAt: { type: Date, default: null },
    noShowAt: { type: Date, default: null },
    remindedAt: { type: Date, default: null },
    /** Set when the booking stops holding its slots and they are released (for repair). */
    releasedAt: { type: Date, default: null },
  },
  { timestamps: true },
)
// Keyset pages sort by (createdAt, _id): both are in the index so no page sorts in memory.
bookingSchema.index({ userId: 1, createdAt: -1, _id: -1 })
bookingSchema.index({ communityId: 1, status: 1, createdAt: 1, _id: 1 })
bookingSchema.index({ spaceId: 1, start: 1 })
bookingSchema.index({ status: 1, start: 1 })
bookingSchema.index({ status: 1, noShowAfter: 1 })
bookingSchema.index({ status: 1, end: 1 })
/** The repair reads only finished bookings whose slots are not released yet. */
bookingSchema.index({ status: 1, releasedAt: 1, updatedAt: 1 })

export type BookingDoc = InferSchemaType<typeof bookingSchema> & {
  _id: mongoose.Types.ObjectId
  createdAt: Date
}
export const Booking = mongoose.model('Booking', bookingSchema, 'bookings')

/**
 * One slot of one space held by one booking. The unique index (spaceId, slotStart) is what makes
 * two overlapping bookings impossible: every slot of a booking is claimed here before it counts.
 */
const slotClaimSchema = new Schema(
  {
    spaceId: { type: Schema.Types.ObjectId, required: true },
    slotStart: { type: Date, required: true },
    bookingId: { type: Schema.Types.ObjectId, required: true, index: true },
    userId: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true },
)
slotClaimSchema.index({ spaceId: 1, slotStart: 1 }, { unique: true })

export const SlotClaim = mongoose.model('SlotClaim', slotClaimSchema, 'booking_slot_claims')

/** A resident's booking suspension in one community after repeated no-shows. */
const suspensionSchema = new Schema(
  {
    _id: { type: String }, // `<userId>:<communityId>`
    userId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, required: true },
    until: { type: Date, required: true },
    noShows: { type: Number, default: 0 },
  },
  { timestamps: true },
)

export type SuspensionDoc = InferSchemaType<typeof suspensionSchema>
export const BookingSuspension = mongoose.model('BookingSuspension', suspensionSchema, 'booking_suspensions')
