import type { ResidentMatch } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { type ReactNode, useState } from 'react'
import { call } from '../api'
import { ActionButton, Field, toast } from '../ui'
import './people-picker.css'

/**
 * The staff desks' people picker (paper ballots, points awards, merchant clerks): find a verified
 * resident of a community in reach by name, building/unit/room or phone tail. Staff see masked names
 * and phones and the address; the user id stays behind the scenes, handed to `children` with the match.
 */
export function PeoplePicker(props: {
  /** Marks the picker for tests, e.g. `award-people`; the search field is `${className}-q`. */
  className: string
  /** Narrows the search to one community; without it, every community the staff member reaches. */
  communityId?: string | undefined
  label?: string
  /** What staff can do with one match: pick it, record a ballot for it, add it… */
  children: (match: ResidentMatch) => ReactNode
}) {
  const [q, setQ] = useState('')
  const [matches, setMatches] = useState<ResidentMatch[] | null>(null)
  const search = async () => {
    if (!q.trim()) return toast.say('请输入姓名、楼栋单元或手机尾号')
    const query = { q: q.trim(), ...(props.communityId ? { communityId: props.communityId } : {}) }
    setMatches((await call('searchResidents', { query })).items)
  }
  return (
    <View className={`people-picker ${props.className}`}>
      <Field
        className={`${props.className}-q`}
        label={props.label ?? '查找居民'}
        hint="姓名、楼栋单元门牌（如 1栋3单元502）或手机后 4 位"
        value={q}
        onInput={setQ}
        maxlength={20}
      />
      <ActionButton kind="ghost" className={`${props.className}-search`} onTap={search}>
        查找
      </ActionButton>
      {matches && !matches.length && <Text className="muted">没有找到，请换个关键词</Text>}
      {matches?.map((m) => (
        <View key={m.userId} className="people-item">
          <Text className="people-item__who">
            {m.name} · {m.phone}
          </Text>
          <Text className="muted">{m.address}</Text>
          {props.children(m)}
        </View>
      ))}
    </View>
  )
}

/** The one resident picked, shown as staff saw them in the search, with a way to pick again. */
export function PickedPerson(props: { className: string; person: ResidentMatch; onClear: () => void }) {
  return (
    <View className={`people-item people-item--picked ${props.className}`}>
      <Text className="people-item__who">
        {props.person.name} · {props.person.phone}
      </Text>
      <Text className="muted">{props.person.address}</Text>
      <ActionButton kind="ghost" className={`${props.className}-clear`} onTap={props.onClear}>
        重新选择
      </ActionButton>
    </View>
  )
}
