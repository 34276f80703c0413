import {
  DELETE_ACCOUNT_CONFIRMATION as CONFIRMATION,
  consentPurposeLabels,
  formatTime,
  zoneDate,
} from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { api, call } from '../../../api'
import { LOGIN_PAGE } from '../../../session/routes'
import { forgetMe } from '../../../session/use-me'
import {
  ActionButton,
  Cell,
  CellGroup,
  Empty,
  Field,
  Loadable,
  Page,
  toast,
  useFieldErrors,
  useLoad,
} from '../../../ui'

/** Hands the export to the resident as a file: a download on H5, a file to send to a chat on weapp. */
async function saveExport(data: unknown): Promise<void> {
  const name = `linli-my-data-${zoneDate(new Date())}.json`
  const text = JSON.stringify(data, null, 2)
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = name
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return
  }
  const path = `${Taro.env.USER_DATA_PATH}/${name}`
  Taro.getFileSystemManager().writeFileSync(path, text, 'utf8')
  await Taro.shareFileMessage({ filePath: path, fileName: name })
}

/** 隐私: what the resident agreed to and when, a copy of their data, and closing the account. */
export default function Privacy() {
  const consents = useLoad(useCallback(() => call('listMyConsents').then((r) => r.items), []))
  const [confirmation, setConfirmation] = useState('')
  const form = useFieldErrors()

  const exportData = async () => {
    const data = await call('exportMyData')
    await saveExport(data)
    toast.ok('已导出')
  }
  const deleteAccount = async () => {
    if (confirmation !== CONFIRMATION) {
      form.setErrors({ confirmation: `请输入“${CONFIRMATION}”` })
      return
    }
    try {
      await call('deleteMyAccount', { body: { confirmation } })
    } catch (e) {
      form.fromServer(e)
      throw e
    }
    await api.logout()
    forgetMe()
    await Taro.reLaunch({ url: LOGIN_PAGE })
  }

  return (
    <Page className="privacy">
      <CellGroup title="个人信息授权记录" className="privacy-consents">
        <Loadable load={consents}>
          {(items) =>
            items.length === 0 ? (
              <Empty text="暂无授权记录" note="提交居民认证时，会请您阅读并同意《个人信息处理规则》" />
            ) : (
              items.map((c) => (
                <Cell
                  key={`${c.purpose}:${c.at}`}
                  title={consentPurposeLabels[c.purpose]}
                  note={`同意于 ${formatTime(c.at)} · 规则版本 ${c.version}`}
                />
              ))
            )
          }
        </Loadable>
      </CellGroup>

      <View className="card privacy-export">
        <Text className="card__title">导出我的数据</Text>
        <Text className="muted">
          生成一个文件，包含平台保存的您的全部个人信息与记录（投票只含是否参与，不含选择）。
        </Text>
        <ActionButton className="privacy-export__btn" kind="ghost" onTap={exportData}>
          导出我的数据
        </ActionButton>
      </View>

      <View className="card privacy-delete">
        <Text className="card__title">注销账号</Text>
        <Text className="muted">
          注销后将删除您的姓名、手机号、住址等个人信息，且无法恢复；积分账、投票和操作日志只保留匿名记录。
        </Text>
        <Field
          className="privacy-delete__confirm"
          label={`请输入“${CONFIRMATION}”`}
          value={confirmation}
          maxlength={4}
          error={form.errors.confirmation}
          onInput={(v) => {
            setConfirmation(v)
            form.clear('confirmation')
          }}
        />
        <ActionButton
          className="privacy-delete__btn"
          kind="danger"
          confirm={{ title: '确定注销账号？', content: '个人信息将被删除且无法恢复', confirmText: '注销' }}
          onTap={deleteAccount}
        >
          注销账号
        </ActionButton>
      </View>
    </Page>
  )
}
