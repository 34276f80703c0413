import { type TopicStatus, topicStatusLabels } from '@linli/shared-types'
import { Tag } from '../ui'

const tones: Partial<Record<TopicStatus, 'ok' | 'wait' | 'bad' | 'none'>> = {
  proposed: 'wait',
  accepted: 'ok',
  scheduled: 'ok',
  voting: 'wait',
  passed: 'ok',
  failed: 'bad',
  refused: 'bad',
  implementing: 'wait',
  done: 'ok',
}

export function TopicTag(props: { status: TopicStatus }) {
  return <Tag tone={tones[props.status] ?? 'none'}>{topicStatusLabels[props.status]}</Tag>
}

export const topicUrl = (id: string) => `/packages/deliberation/topic/index?id=${id}`
