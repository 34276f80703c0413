const tab = (name: string) => ({
  iconPath: `assets/tab/${name}.png`,
  selectedIconPath: `assets/tab/${name}-on.png`,
})

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/booking/index',
    'pages/deliberation/index',
    'pages/points/index',
    'pages/me/index',
  ],
  subPackages: [
    { root: 'packages/auth', pages: ['login/index'] },
    { root: 'packages/me', pages: ['residency/index', 'privacy/index'] },
    {
      root: 'packages/booking',
      pages: [
        'space/index',
        'mine/index',
        'inbox/index',
        'review/index',
        'schedule/index',
        'spaces/index',
        'space-edit/index',
        'blackouts/index',
      ],
    },
    {
      root: 'packages/needs',
      pages: ['new/index', 'mine/index', 'detail/index', 'queue/index', 'stats/index'],
    },
    { root: 'packages/points', pages: ['vouchers/index', 'voucher/index', 'merchant/index'] },
    {
      root: 'packages/points-admin',
      pages: [
        'index/index',
        'merchants/index',
        'rewards/index',
        'reward/index',
        'hours/index',
        'award/index',
        'rules/index',
        'report/index',
      ],
    },
    {
      root: 'packages/deliberation',
      pages: [
        'topic/index',
        'propose/index',
        'screening/index',
        'planner/index',
        'mine/index',
        'board/index',
        'door/index',
        'checkin/index',
        'settings/index',
        'ballots/index',
      ],
    },
    {
      root: 'packages/activities',
      pages: [
        'list/index',
        'detail/index',
        'mine/index',
        'items/index',
        'loans/index',
        'desk/index',
        'publish/index',
        'roster/index',
      ],
    },
    {
      root: 'packages/grid',
      pages: [
        'dept-queue/index',
        'day/index',
        'file/index',
        'visits/index',
        'notices/index',
        'notice/index',
        'publish/index',
        'family/index',
        'family-needs/index',
        'cockpit/index',
      ],
    },
    { root: 'packages/staff', pages: ['workbench/index', 'claims/index', 'claim/index', 'audit/index'] },
  ],
  // Fetch the subpackage a tab leads to while the tab shows, so the first tap opens at once.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['packages/needs'] },
    'pages/booking/index': { network: 'all', packages: ['packages/booking'] },
    'pages/deliberation/index': { network: 'all', packages: ['packages/deliberation'] },
    'pages/points/index': { network: 'all', packages: ['packages/points'] },
    'pages/me/index': { network: 'all', packages: ['packages/me'] },
  },
  // WeChat's privacy authorisation flow (onNeedPrivacyAuthorization, ui/privacy-gate.tsx).
  __usePrivacyCheck__: true,
  window: {
    // 'default' also turns on Taro's H5 navigation bar: the page title and a back button.
    navigationStyle: 'default',
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#4e5969',
    selectedColor: '#0b7a57',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      { pagePath: 'pages/index/index', text: '首页', ...tab('home') },
      { pagePath: 'pages/booking/index', text: '预约', ...tab('booking') },
      { pagePath: 'pages/deliberation/index', text: '议事', ...tab('deliberation') },
      { pagePath: 'pages/points/index', text: '积分', ...tab('points') },
      { pagePath: 'pages/me/index', text: '我的', ...tab('me') },
    ],
  },
})
