import type { Mount } from '../../platform/http/operation'
import { createDepartment, listDepartments } from './departments.service'
import {
  handBack,
  listDepartmentQueue,
  replyAsDepartment,
  reportIn,
  resolveAsDepartment,
} from './whistles.service'

export function departmentsRoutes(mount: Mount): void {
  mount('listDepartments', async ({ query }, { actor }) => listDepartments(actor, query))
  mount('createDepartment', ({ body }, { actor }) => createDepartment(actor, body))
  mount('listDepartmentQueue', ({ query }, { actor }) => listDepartmentQueue(actor, query))
  mount('reportInAsDepartment', ({ params, body }, { actor }) => reportIn(actor, params.id, body.note))
  mount('replyAsDepartment', ({ params, body }, { actor }) => replyAsDepartment(actor, params.id, body))
  mount('resolveAsDepartment', ({ params, body }, { actor }) =>
    resolveAsDepartment(actor, params.id, body.reply),
  )
  mount('handBackWhistle', ({ params, body }, { actor }) => handBack(actor, params.id, body.reason))
}
