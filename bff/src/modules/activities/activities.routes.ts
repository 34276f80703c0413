import type { Mount } from '../../platform/http/operation'
import {
  createActivity,
  getActivity,
  listActivities,
  listSessions,
  updateActivity,
} from './activities.service'
import { checkIn, checkOut, messageRoster, roster } from './attendance.service'
import { cancelSignUp, listMySignUps, myVolunteerService, signUp } from './signups.service'

export function activityRoutes(mount: Mount): void {
  mount('createActivity', ({ body }, { actor }) => createActivity(actor, body))
  mount('listActivities', ({ query }, { actor }) => listActivities(actor, query))
  mount('getActivity', ({ params }, { actor }) => getActivity(actor, params.id))
  mount('updateActivity', ({ params, body }, { actor }) => updateActivity(actor, params.id, body))
  mount('listSessions', ({ query }, { actor }) => listSessions(actor, query))
  mount('signUpForSession', ({ params }, { actor }) => signUp(actor, params.id))
  mount('cancelSignUp', ({ params }, { actor }) => cancelSignUp(actor, params.id))
  mount('listMySignUps', ({ query }, { actor }) => listMySignUps(actor, query))
  mount('getMyVolunteerService', (_input, { actor }) => myVolunteerService(actor))
  mount('getSessionRoster', ({ params }, { actor }) => roster(actor, params.id))
  mount('messageSessionRoster', ({ params, body }, { actor }) => messageRoster(actor, params.id, body))
  mount('checkInToSession', ({ params, body }, { actor }) => checkIn(actor, params.id, body.code))
  mount('checkOutOfSession', ({ params, body }, { actor, log }) =>
    checkOut(actor, params.id, body.code, new Date(), log),
  )
}
