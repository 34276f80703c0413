export default definePageConfig({ navigationBarTitleText: '对账与报表' })
