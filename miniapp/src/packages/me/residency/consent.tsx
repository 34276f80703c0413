import { Text, View } from '@tarojs/components'
import { useState } from 'react'

/**
 * The PIPL notice shown where real name and phone are collected: what is collected, why, who sees
 * it, how long it is kept and the resident's rights; submitting needs the resident's agreement.
 */
export function ConsentNotice(props: { agreed: boolean; onChange: (agreed: boolean) => void }) {
  const [open, setOpen] = useState(false)
  return (
    <View className="consent">
      <View
        className="consent__check claim-consent"
        role="checkbox"
        aria-checked={props.agreed}
        onClick={() => props.onChange(!props.agreed)}
      >
        <View className={props.agreed ? 'consent__box consent__box--on' : 'consent__box'}>
          {props.agreed ? '✓' : ''}
        </View>
        <Text>我已阅读并同意《个人信息处理规则》</Text>
      </View>
      <View className="link consent__toggle" role="button" onClick={() => setOpen(!open)}>
        {open ? '收起规则' : '查看规则'}
      </View>
      {open && (
        <View className="consent__text">
          <Text className="muted">
            收集：姓名、手机号、住址（社区、院落、楼栋、单元、门牌）。用途：仅用于社区核实您的居民身份，并在预约、反映、议事中联系您。
            可见范围：审核您申请的社区工作人员；其他人只能看到打码后的姓名和手机号。保存期限：账号存续期间；注销账号后删除，
            积分账、投票和操作日志只留匿名记录。您可在“我的 › 隐私”查看授权记录、导出数据或注销账号。
          </Text>
        </View>
      )}
    </View>
  )
}
