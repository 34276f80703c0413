export default definePageConfig({ navigationBarTitleText: '空间管理' })
