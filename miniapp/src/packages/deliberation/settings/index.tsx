import type { DeliberationRules, DeliberationSettings } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import {
  ActionButton,
  CellGroup,
  Field,
  Loadable,
  Page,
  TextField,
  toast,
  useFieldErrors,
  useLoad,
} from '../../../ui'
import '../meeting.css'

type Rule = { id?: string; name: string; explanation: string }
type ListKey = 'deliberate' | 'exclude'

const listLabels: Record<ListKey, string> = {
  deliberate: '议：可以议的事项',
  exclude: '不议：不予受理的事项',
}
const settingLabels: Record<keyof DeliberationSettings, [string, string]> = {
  secondsToPromote: ['附议达到多少人进入审议', '1–500 人'],
  votingOpensDaysBefore: ['线上投票提前几天开始', '0–30 天，默认在议事日前 7 天'],
  meetingMinutes: ['会议时长（分钟）', '30–480 分钟；线上投票默认在会议结束时截止'],
}

/** Staff edit the community's 议/不议 lists, the 附议 threshold and the default voting window. */
function Editor({ rules, onSaved }: { rules: DeliberationRules; onSaved: () => unknown }) {
  const strip = (list: DeliberationRules['deliberate']): Rule[] =>
    list.map(({ id, name, explanation }) => ({ id, name, explanation }))
  const [lists, setLists] = useState<Record<ListKey, Rule[]>>({
    deliberate: strip(rules.deliberate),
    exclude: strip(rules.exclude),
  })
  const [settings, setSettings] = useState<Record<keyof DeliberationSettings, string>>({
    secondsToPromote: String(rules.settings.secondsToPromote),
    votingOpensDaysBefore: String(rules.settings.votingOpensDaysBefore),
    meetingMinutes: String(rules.settings.meetingMinutes),
  })
  const { errors, fromServer, setErrors } = useFieldErrors()
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({})
  const edit = (key: ListKey, i: number, patch: Partial<Rule>) =>
    setLists((prev) => ({ ...prev, [key]: prev[key].map((r, j) => (j === i ? { ...r, ...patch } : r)) }))
  const save = async () => {
    setItemErrors({})
    setErrors({})
    try {
      await call(
        'updateDeliberationRules',
        {
          params: { id: rules.communityId },
          body: {
            ...lists,
            settings: {
              secondsToPromote: Number(settings.secondsToPromote),
              votingOpensDaysBefore: Number(settings.votingOpensDaysBefore),
              meetingMinutes: Number(settings.meetingMinutes),
            },
          },
        },
        { quiet: true },
      )
      toast.ok('已保存')
      await onSaved()
    } catch (e) {
      // Issues name the list item (['deliberate', 2, 'name']) or the setting (['settings', 'meetingMinutes']).
      const issues = (e as { problem?: { errors?: { path: (string | number)[]; message: string }[] } })
        .problem?.errors
      if (!issues?.length) return void fromServer(e)
      setItemErrors(
        Object.fromEntries(issues.map((x) => [x.path.filter((p) => p !== 'body').join('.'), x.message])),
      )
    }
  }
  return (
    <>
      {(['deliberate', 'exclude'] as const).map((key) => (
        <CellGroup key={key} title={listLabels[key]} className={`rules-${key}`}>
          {lists[key].map((r, i) => (
            <View key={r.id ?? `new-${i}`} className="card rule-item">
              <Field
                className="rule-name"
                label={`第 ${i + 1} 条名称`}
                hint="1–30 个字"
                value={r.name}
                onInput={(name) => edit(key, i, { name })}
                maxlength={30}
                error={itemErrors[`${key}.${i}.name`]}
              />
              <TextField
                className="rule-explanation"
                label="说明"
                value={r.explanation}
                onInput={(explanation) => edit(key, i, { explanation })}
                maxlength={300}
                error={itemErrors[`${key}.${i}.explanation`]}
              />
              <ActionButton
                kind="ghost"
                confirm={{ title: '删除这条规则？', content: '保存后生效' }}
                onTap={() => setLists((prev) => ({ ...prev, [key]: prev[key].filter((_, j) => j !== i) }))}
              >
                删除
              </ActionButton>
            </View>
          ))}
          {itemErrors[key] && <Text className="error-text">{itemErrors[key]}</Text>}
          <ActionButton
            kind="ghost"
            className={`rule-add-${key}`}
            onTap={() =>
              setLists((prev) => ({ ...prev, [key]: [...prev[key], { name: '', explanation: '' }] }))
            }
          >
            添加一条
          </ActionButton>
        </CellGroup>
      ))}
      <CellGroup title="议事设置">
        {(Object.keys(settingLabels) as (keyof DeliberationSettings)[]).map((k) => (
          <Field
            key={k}
            className={`setting-${k}`}
            label={settingLabels[k][0]}
            hint={settingLabels[k][1]}
            type="number"
            value={settings[k]}
            onInput={(v) => setSettings((prev) => ({ ...prev, [k]: v }))}
            maxlength={3}
            error={itemErrors[`settings.${k}`] ?? errors.settings}
          />
        ))}
      </CellGroup>
      <ActionButton className="rules-save" onTap={save}>
        保存
      </ActionButton>
    </>
  )
}

export default function Settings() {
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  const rules = useLoad(
    useCallback(() => call('getDeliberationRules', { params: { id: communityId } }), [communityId]),
    Boolean(communityId),
  )
  const { reload } = rules
  useEffect(() => {
    if (communityId) void reload()
  }, [communityId, reload])
  return (
    <Page className="rules-editor">
      {picker}
      <Loadable load={rules}>
        {(r) => <Editor key={`${r.communityId}:${r.updatedAt ?? ''}`} rules={r} onSaved={reload} />}
      </Loadable>
    </Page>
  )
}
