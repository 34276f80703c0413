export default definePageConfig({ navigationBarTitleText: '空间详情' })
