import type { Mount } from '../../platform/http/operation'
import { getCommunityTree, listCommunities } from './org.service'

export function orgRoutes(mount: Mount): void {
  mount('listCommunities', async () => ({ items: await listCommunities() }))
  mount('getCommunity', ({ params }) => getCommunityTree(params.id))
}
