import { pointEventTypes } from '@linli/shared-types'
import { onEvent } from '../../platform/events'
import { awardForEvent } from './points.service'

/** Earning rules react to the other modules' domain events; the event key is the ledger key. */
for (const type of pointEventTypes)
  onEvent(type, async (event, first) => void (await awardForEvent(event, first)))
