export default definePageConfig({ navigationBarTitleText: '手工发放积分' })
