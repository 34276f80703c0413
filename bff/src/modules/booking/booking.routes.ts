import type { Mount } from '../../platform/http/operation'
import {
  approveBooking,
  cancelBooking,
  checkInBooking,
  createBooking,
  getBooking,
  listForReview,
  listMyBookings,
  rejectBooking,
} from './booking.service'
import {
  availability,
  createBlackout,
  createSpace,
  deleteBlackout,
  getSpace,
  listSpaces,
  spaceSchedule,
  updateSpace,
} from './space.service'

export function bookingRoutes(mount: Mount): void {
  mount('listSpaces', ({ query }, { actor }) => listSpaces(actor, query))
  mount('createSpace', ({ body }, { actor }) => createSpace(actor, body))
  mount('getSpace', ({ params }, { actor }) => getSpace(actor, params.id))
  mount('updateSpace', ({ params, body }, { actor }) => updateSpace(actor, params.id, body))
  mount('getSpaceAvailability', ({ params, query }, { actor }) => availability(actor, params.id, query))
  mount('getSpaceSchedule', ({ params, query }, { actor }) => spaceSchedule(actor, params.id, query.date))
  mount('createBlackout', ({ body }, { actor }) => createBlackout(actor, body))
  mount('deleteBlackout', async ({ params }, { actor }) => {
    await deleteBlackout(actor, params.id)
    return undefined
  })
  // The review queue before `/bookings/:id`, so its path is not read as an id.
  mount('listBookingsForReview', ({ query }, { actor }) => listForReview(actor, query))
  mount('createBooking', ({ body }, { actor }) => createBooking(actor, body))
  mount('listMyBookings', ({ query }, { actor }) => listMyBookings(actor, query))
  mount('getBooking', ({ params }, { actor }) => getBooking(actor, params.id))
  mount('cancelBooking', ({ params, body }, { actor }) => cancelBooking(actor, params.id, body))
  mount('checkInBooking', ({ params, body }, { actor }) => checkInBooking(actor, params.id, body))
  mount('approveBooking', ({ params }, { actor }) => approveBooking(actor, params.id))
  mount('rejectBooking', ({ params, body }, { actor }) => rejectBooking(actor, params.id, body))
}
