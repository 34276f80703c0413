import type { Mount } from '../../platform/http/operation'
import {
  borrow,
  cancelLoan,
  createItem,
  listItems,
  listLoans,
  listMyLoans,
  pickUp,
  returnLoan,
} from './lending.service'

export function lendingRoutes(mount: Mount): void {
  mount('listItems', ({ query }, { actor }) => listItems(actor, query.communityId))
  mount('createItem', ({ body }, { actor }) => createItem(actor, body))
  mount('borrowItem', ({ params }, { actor }) => borrow(actor, params.id))
  mount('cancelLoan', ({ params }, { actor }) => cancelLoan(actor, params.id))
  mount('listMyLoans', ({ query }, { actor }) => listMyLoans(actor, query))
  // The desk operations before any `/loans/:id` path.
  mount('pickUpLoan', ({ body }, { actor }) => pickUp(actor, body.code))
  mount('returnLoan', ({ body }, { actor }) => returnLoan(actor, body.code))
  mount('listLoans', ({ query }, { actor }) => listLoans(actor, query))
}
