import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import '../admin.css'
import { ADMIN, StaffPage } from '../shared'

const sections = [
  { id: 'merchants', title: '合作商户', hint: '登记商户与店员账号' },
  { id: 'rewards', title: '礼遇管理', hint: '新增、修改礼遇与库存' },
  { id: 'hours', title: '志愿时长审核', hint: '审核居民申报的志愿服务时长' },
  { id: 'award', title: '手工发放积分', hint: '须填写原因，操作留痕' },
  { id: 'rules', title: '积分规则', hint: '账户名称、获取规则、上限、有效期' },
  { id: 'report', title: '对账与报表', hint: '余额与流水核对、兑换核销统计' },
]

/** 积分管理: the staff entry from the 工作台 to every points page. */
export default function PointsAdmin() {
  return (
    <StaffPage>
      {() =>
        sections.map((s) => (
          <View
            key={s.id}
            className={`card admin__tile admin-${s.id}`}
            onClick={() => Taro.navigateTo({ url: `${ADMIN}/${s.id}/index` })}
          >
            <View>
              <Text className="card__title">{s.title}</Text>
              <Text className="muted">{s.hint}</Text>
            </View>
            <Text className="muted">›</Text>
          </View>
        ))
      }
    </StaffPage>
  )
}
