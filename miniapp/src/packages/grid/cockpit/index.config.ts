export default definePageConfig({ navigationBarTitleText: '街道驾驶舱' })
