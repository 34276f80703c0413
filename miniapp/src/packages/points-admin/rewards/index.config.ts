export default definePageConfig({ navigationBarTitleText: '礼遇管理' })
