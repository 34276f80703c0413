import { type Booking as BookingDto, type ConsentMethod, consentMethodLabels } from '@linli/shared-types'
import type { BookingDoc } from './booking.model'

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

export function toBookingDto(b: BookingDoc): BookingDto {
  return {
    id: String(b._id),
    spaceId: String(b.spaceId),
    spaceName: b.spaceName,
    communityId: String(b.communityId),
    userId: String(b.userId),
    residentName: b.residentName,
    contactPhone: b.contactPhone,
    purpose: b.purpose,
    attendees: b.attendees,
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    // `claiming` never leaves the BFF: such a booking is still being created.
    status: b.status === 'claiming' ? 'pending' : b.status,
    forCommunity: b.forCommunity ?? false,
    bookedBy: b.bookedBy
      ? { name: b.bookedBy.name, consent: consentMethodLabels[b.bookedBy.consentMethod as ConsentMethod] }
      : null,
    rejectReason: b.rejectReason ?? null,
    cancelReason: b.cancelReason ?? null,
    cancelledBy: (b.cancelledBy as 'resident' | 'staff' | null) ?? null,
    decidedAt: iso(b.decidedAt),
    checkedInAt: iso(b.checkedInAt),
    createdAt: b.createdAt.toISOString(),
  }
}
