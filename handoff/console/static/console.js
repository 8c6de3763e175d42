// Hotline agent console: speaks the protocol of docs/agent-console-protocol.md
// (sign-in over /agent/api/*, everything else over one websocket at
// /agent/ws). Plain ES2020, no dependencies, no inline code or styles (the
// server's Content-Security-Policy forbids them). Everything the server
// sends is put on the page with textContent or setAttribute only.
(() => {
  'use strict';

  // ---------------------------------------------------------------------
  // Settings
  // ---------------------------------------------------------------------

  const PING_EVERY_MS = 25000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 15000;
  const NOTICE_MS = 10000;
  // After a reconnect the server re-sends one `assigned` per conversation
  // still held; one not re-sent by then was lost while away.
  const STALE_AFTER_MS = 5000;
  const MAX_REPLY_CHARS = 2000;
  const COUNTER_FROM = 1800;
  const NEAR_BOTTOM_PX = 80;
  const LANG_KEY = 'hotline.agent.lang';

  const USER_STATES = ['ready', 'break', 'offline'];
  const FROM = ['subscriber', 'agent', 'bot', 'system'];
  const DEFAULT_TICKET_KINDS = ['fault', 'complaint', 'request'];
  const TICKET_MOVES = ['in_progress', 'resolved'];
  const DONE_TICKET = ['resolved', 'closed', 'cancelled'];

  // Every string the page shows: [Chinese, English]. "{x}" is filled by
  // t(). Both languages side by side, so that neither can be forgotten.
  const STRINGS = {
    title: ['坐席工作台', 'Agent console'],
    langSwitch: ['English', '中文'],
    skipToChat: ['跳到当前会话', 'Skip to the open conversation'],
    signout: ['退出登录', 'Sign out'],
    roleAgent: ['坐席', 'Agent'],
    roleSupervisor: ['班长', 'Supervisor'],
    load: ['会话 {load}/{max}', 'Chats {load}/{max}'],
    stateLabel: ['我的状态', 'My state'],
    st_ready: ['就绪', 'Ready'],
    st_break: ['小休', 'Break'],
    st_offline: ['离线', 'Offline'],
    st_busy: ['忙碌', 'Busy'],
    st_wrap_up: ['整理中', 'Wrap-up'],
    wrapLeft: ['整理剩余 {time}', 'Wrap-up: {time} left'],
    conn_checking: ['正在检查登录状态…', 'Checking sign-in…'],
    conn_connecting: ['正在连接…', 'Connecting…'],
    conn_connected: ['已连接', 'Connected'],
    conn_reconnecting: ['连接中断，正在重新连接…', 'Connection lost, reconnecting…'],
    conn_unreachable: ['暂时无法连接服务器，稍后自动重试…', 'Cannot reach the server, retrying shortly…'],
    conn_signedOut: ['未登录', 'Not signed in'],
    signinTitle: ['坐席登录', 'Agent sign-in'],
    signinName: ['账号', 'User name'],
    signinPassword: ['密码', 'Password'],
    signinSubmit: ['登录', 'Sign in'],
    signingIn: ['正在登录…', 'Signing in…'],
    signinMissing: ['请输入账号和密码。', 'Please enter your user name and password.'],
    signinBad: ['账号或密码不正确，或该账号已停用。请核对后重试。',
      'The user name or password is not right, or the account is disabled. Please check and try again.'],
    signinTooMany: ['尝试次数过多，请 {s} 秒后再试。', 'Too many attempts. Please try again in {s} seconds.'],
    signinFailed: ['登录未成功，请稍后再试。', 'Sign-in did not succeed. Please try again later.'],
    signinNetwork: ['无法连接服务器，请检查网络后重试。', 'Cannot reach the server. Please check the network and try again.'],
    bye_signed_out: ['您已退出登录。', 'You have signed out.'],
    bye_expired: ['登录已过期，请重新登录。', 'Your session has expired. Please sign in again.'],
    bye_replaced: ['您的账号已在其他地方登录，本页面已断开。', 'You signed in somewhere else, so this page was disconnected.'],
    sessionGone: ['登录已失效，请重新登录。', 'Your session has ended. Please sign in again.'],
    signoutFailed: ['退出未成功，请稍后重试。', 'Signing out did not succeed. Please try again.'],
    tabsLabel: ['工作区', 'Workspace'],
    tabQueue: ['队列', 'Queue'],
    tabChat: ['会话', 'Chat'],
    tabInfo: ['信息', 'Info'],
    unreadTotal: ['{n} 条未读', '{n} unread'],
    listsLabel: ['会话列表', 'Conversation lists'],
    queueTitle: ['排队中', 'Waiting'],
    queueEmpty: ['目前没有人在排队。', 'No one is waiting.'],
    mineTitle: ['我的会话', 'My conversations'],
    mineEmpty: ['您目前没有会话。', 'You hold no conversations.'],
    shortcutHelp: ['快捷键：Alt+↑ / Alt+↓ 切换我的会话；Enter 发送，Shift+Enter 换行；Esc 关闭对话框。',
      'Shortcuts: Alt+↑ / Alt+↓ move between my conversations; Enter sends, Shift+Enter adds a line; Esc closes a dialog.'],
    agentsTitle: ['坐席状态', 'Agents'],
    agentsEmpty: ['暂无坐席。', 'No agents.'],
    count: ['（{n}）', '({n})'],
    position: ['第 {n} 位', 'No. {n}'],
    waited: ['已等待', 'Waiting'],
    accept: ['接入', 'Accept'],
    acceptLabel: ['接入：第 {n} 位，{channel}，{group}', 'Accept no. {n}, {channel}, {group}'],
    view: ['查看', 'View'],
    viewLabel: ['查看：第 {n} 位，{channel}，{group}', 'View no. {n}, {channel}, {group}'],
    ch_wechat: ['微信', 'WeChat'],
    ch_sms: ['短信', 'SMS'],
    ch_webchat: ['网页', 'Web chat'],
    rs_asked: ['主动要求人工', 'Asked for an agent'],
    rs_bot_misses: ['机器人多次未答', 'Bot missed several times'],
    rs_form_failed: ['登记未完成', 'Form not completed'],
    rs_complaint: ['投诉', 'Complaint'],
    rs_callback: ['回呼', 'Callback'],
    prioComplaint: ['投诉优先', 'Complaint priority'],
    prioTicket: ['工单临期', 'Ticket due soon'],
    headBadge: ['转回', 'Returned'],
    anyGroup: ['通用', 'Any group'],
    unread: ['{n} 条未读', '{n} unread'],
    connected: ['在线', 'connected'],
    notConnected: ['未连接', 'not connected'],
    groupsOf: ['技能组：{groups}', 'Groups: {groups}'],
    chatEmpty: ['请从“我的会话”中选择一个会话。', 'Select one of your conversations.'],
    convPane: ['当前会话', 'Open conversation'],
    viewOnly: ['只读查看：此会话不在您名下。', 'Read only: you do not hold this conversation.'],
    rel_closed: ['会话已结束。', 'The conversation was closed.'],
    rel_transferred: ['会话已转出。', 'The conversation was transferred.'],
    rel_requeued: ['会话已退回队列。', 'The conversation went back to the queue.'],
    rel_left: ['用户已离开会话。', 'The subscriber left.'],
    rel_expired: ['会话已超时释放。', 'The conversation timed out.'],
    rel_lost: ['重新连接后，此会话已不在您名下。', 'After reconnecting, you no longer hold this conversation.'],
    releasedNotice: ['{title}：{why}', '{title}: {why}'],
    assignedNotice: ['新会话：{title}', 'New conversation: {title}'],
    nowShowing: ['当前会话：{title}', 'Showing: {title}'],
    m_state: ['状态', 'State'],
    m_group: ['技能组', 'Group'],
    m_reason: ['原因', 'Reason'],
    m_agent: ['坐席', 'Agent'],
    m_priority: ['优先级', 'Priority'],
    cs_answering: ['机器人服务中', 'With the bot'],
    cs_collecting: ['登记信息中', 'Filling in a form'],
    cs_confirming: ['待用户确认', 'Awaiting confirmation'],
    cs_waiting_agent: ['排队等待人工', 'Waiting for an agent'],
    cs_with_agent: ['人工服务中', 'With an agent'],
    cs_survey: ['满意度评价中', 'Rating the service'],
    cs_closed: ['已结束', 'Closed'],
    transcriptLabel: ['对话记录', 'Transcript'],
    from_subscriber: ['用户', 'Subscriber'],
    from_agent: ['坐席', 'Agent'],
    from_bot: ['机器人', 'Bot'],
    from_system: ['系统', 'System'],
    revealN: ['显示号码 {n}', 'Show number {n}'],
    deliveryFailed: ['未送达：', 'Not delivered: '],
    revealDetail: ['显示完整', 'Show in full'],
    revealedN: ['号码 {n}：', 'Number {n}: '],
    status_pending: ['发送中…', 'Sending…'],
    status_sent: ['已发送', 'Sent'],
    status_failed: ['发送失败', 'Not sent'],
    retry: ['重试', 'Retry'],
    noteToggle: ['内部备注（用户不可见）', 'Internal note (subscriber never sees it)'],
    cannedLabel: ['快捷回复', 'Canned replies'],
    cannedPick: ['插入快捷回复…', 'Insert a canned reply…'],
    cannedThisLang: ['中文', 'English'],
    cannedOtherLang: ['其他语言', 'Other languages'],
    composerLabel: ['回复用户', 'Reply to the subscriber'],
    composerNoteLabel: ['内部备注（用户不可见）', 'Internal note (subscriber never sees it)'],
    placeholder: ['输入回复…', 'Type a reply…'],
    placeholderNote: ['输入内部备注，用户看不到…', 'Type an internal note; the subscriber will not see it…'],
    composerHint: ['Enter 发送，Shift+Enter 换行', 'Enter sends, Shift+Enter adds a line'],
    send: ['发送', 'Send'],
    saveNote: ['保存备注', 'Save note'],
    counter: ['{n}/{max}', '{n}/{max}'],
    tooLong: ['内容过长，最多 {max} 个字。', 'Too long: at most {max} characters.'],
    notConnectedYet: ['尚未连接，内容未发出，可在连接后重试。', 'Not connected: nothing was sent. Retry once connected.'],
    noteSaved: ['备注已保存。', 'Note saved.'],
    transfer: ['转接', 'Transfer'],
    closeConv: ['结束会话', 'Close chat'],
    infoTitle: ['会话信息', 'Conversation details'],
    infoEmpty: ['未选择会话。', 'No conversation selected.'],
    detailsTitle: ['用户信息', 'Details'],
    detailsEmpty: ['机器人未收集到信息。', 'The bot collected no details.'],
    ticketsTitle: ['工单', 'Tickets'],
    ticketsEmpty: ['暂无工单。', 'No tickets.'],
    notesTitle: ['内部备注', 'Internal notes'],
    notesEmpty: ['暂无备注。', 'No notes.'],
    newTicket: ['新建工单', 'Open a ticket'],
    ticketKind: ['类型', 'Kind'],
    ticketCategory: ['分类', 'Category'],
    ticketSummary: ['问题描述', 'Summary'],
    ticketSubmit: ['提交工单', 'Open ticket'],
    pickCategory: ['请选择分类…', 'Choose a category…'],
    needSummary: ['请填写问题描述。', 'Please write a summary.'],
    needCategory: ['请选择分类。', 'Please choose a category.'],
    ticketOpened: ['工单已提交。', 'Ticket opened.'],
    ticketUpdated: ['工单已更新。', 'Ticket updated.'],
    kind_fault: ['故障报修', 'Fault'],
    kind_complaint: ['投诉', 'Complaint'],
    kind_request: ['业务申请', 'Request'],
    ts_new: ['已登记', 'New'],
    ts_assigned: ['已派单', 'Assigned'],
    ts_in_progress: ['处理中', 'In progress'],
    ts_resolved: ['已处理', 'Resolved'],
    ts_closed: ['已关闭', 'Closed'],
    ts_cancelled: ['已撤销', 'Cancelled'],
    ts_reopened: ['已重新打开', 'Reopened'],
    ticketNewStatus: ['新状态', 'New status'],
    ticketNote: ['处理说明', 'Note'],
    ticketNotePh: ['说明（可选）', 'Note (optional)'],
    ticketUpdate: ['更新', 'Update'],
    ticketUpdateLabel: ['更新工单 {id}', 'Update ticket {id}'],
    dueLeft: ['剩余 {time}', '{time} left'],
    dueOver: ['已超时 {time}', '{time} overdue'],
    riskAt: ['有超时风险', 'At risk'],
    riskBreached: ['已超时', 'Breached'],
    durD: ['{d}天{h}小时', '{d}d {h}h'],
    durH: ['{h}小时{m}分', '{h}h {m}m'],
    durM: ['{m}分', '{m}m'],
    transferTitle: ['转接会话', 'Transfer the conversation'],
    transferTarget: ['转给', 'Transfer to'],
    transferNote: ['转接说明（可选）', 'Note for the next agent (optional)'],
    transferSubmit: ['确认转接', 'Transfer'],
    pick: ['请选择…', 'Choose…'],
    groupsOpt: ['技能组（回到队首）', 'Groups (head of the queue)'],
    agentsOpt: ['坐席', 'Agents'],
    toGroup: ['{group} 组队列', '{group} queue'],
    agentOption: ['{name} · {state} · {load}/{max}', '{name} · {state} · {load}/{max}'],
    pickTarget: ['请选择转接对象。', 'Please choose whom to transfer to.'],
    transferred: ['已转接。', 'Transferred.'],
    closeTitle: ['结束会话', 'Close the conversation'],
    closeCode: ['结束代码', 'Wrap-up code'],
    closeSummary: ['服务小结', 'Summary'],
    closeSubmit: ['结束会话', 'Close conversation'],
    pickCode: ['请选择结束代码。', 'Please choose a wrap-up code.'],
    closed: ['会话已结束，进入整理。', 'Conversation closed; wrap-up started.'],
    cancel: ['取消', 'Cancel'],
    err_bad_frame: ['请求格式有误。', 'The request was not understood.'],
    err_not_found: ['该会话已不在队列中或已结束。', 'That conversation is no longer on the desk.'],
    err_taken: ['另一位坐席已接入该会话。', 'Another agent has already taken this conversation.'],
    err_not_yours: ['此会话不在您名下。', 'You do not hold this conversation.'],
    err_at_capacity: ['您的会话数已达上限。', 'You already hold your maximum of conversations.'],
    err_unavailable: ['对方（或您）当前不可接入。', 'The target (or you) cannot take conversations now.'],
    err_not_in_group: ['该会话不属于对应的技能组。', 'The conversation is not in the right group.'],
    err_bad_state: ['当前无法切换到该状态。', 'You cannot change to that state now.'],
    err_forbidden: ['此操作仅限班长。', 'Only a supervisor may do that.'],
    err_rate_limited: ['操作过于频繁，请稍后再试。', 'Too many actions too fast. Please wait a moment.'],
    err_internal: ['服务器出错，请重试。', 'The server failed. Please try again.'],
    err_unknown: ['操作未成功，请重试。', 'That did not work. Please try again.'],
  };

  // ---------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------

  const state = {
    lang: 'zh',
    me: null,           // the signed-in agent, from sign-in, welcome and me
    cfg: emptyConfig(), // from welcome
    queue: [],
    agents: [],
    convs: new Map(),   // conversation id -> conversation (see newConv)
    mineOrder: [],      // ids of the conversations held, in assignment order
    selected: '',
    tab: 'queue',
    epoch: 0,           // bumped on sign-out: late async answers are dropped
    ws: null,
    ready: false,       // welcome received on the current socket
    attempt: 0,
    reconnectTimer: 0,
    bootTimer: 0,
    staleTimer: 0,
    pingTimer: 0,
    noticeTimer: 0,
    reqSeq: 0,
    pending: new Map(),  // req -> what it was for
    outgoing: new Map(), // client_id -> {conv, kind, obj} of a reply/note not yet acked
    wantSelect: '',      // a conversation to open once its view arrives
    accepting: '',       // a queue entry whose accept awaits its answer
    dialogOpener: null,
  };

  const dom = {};

  function emptyConfig() {
    return { groups: [], wrapCodes: [], canned: [], ticketKinds: [], categories: [], tickets: true };
  }

  // ---------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------

  const str = (v) => (typeof v === 'string' ? v : '');
  const arr = (v) => (Array.isArray(v) ? v : []);
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const int = (v, d) => (Number.isFinite(v) ? Math.trunc(v) : d);

  // localStorage may be disabled; the page then works from memory.
  const store = {
    get(key) {
      try { return localStorage.getItem(key) || ''; } catch (e) { return ''; }
    },
    set(key, value) {
      try { localStorage.setItem(key, value); } catch (e) { /* keep going */ }
    },
  };

  function t(key, vars) {
    const pair = STRINGS[key];
    const s = pair ? pair[state.lang === 'en' ? 1 : 0] : key;
    if (!vars) return s;
    return s.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
  }

  // A dictionary text when there is one, else the raw value (unknown
  // channels, states or reasons are shown as the server sent them).
  function tOr(key, fallback) {
    return key in STRINGS ? t(key) : fallback;
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Sets a dictionary text that follows later language switches.
  function setText(node, key, vars) {
    node.dataset.i18n = key;
    if (vars) node.dataset.i18nVars = JSON.stringify(vars);
    else delete node.dataset.i18nVars;
    node.textContent = t(key, vars);
    return node;
  }

  function makeLabel(tag, className, key, vars) {
    return setText(make(tag, className), key, vars);
  }

  function makeButton(className, key, vars) {
    const b = makeLabel('button', className, key, vars);
    b.type = 'button';
    return b;
  }

  function option(value, text, disabled) {
    const o = make('option', '', text);
    o.value = value;
    if (disabled) o.disabled = true;
    return o;
  }

  // A label from a server item carrying its own texts ({zh, en}).
  function bilingual(item, fallback) {
    if (!isObj(item)) return fallback;
    return str(item[state.lang]) || str(item.zh) || str(item.en) || str(item.title) || fallback;
  }

  function parseTime(iso) {
    const ms = Date.parse(str(iso));
    return Number.isNaN(ms) ? 0 : ms;
  }

  function timeEl(iso) {
    const el = make('time', 'time', formatTime(iso));
    if (parseTime(iso)) el.dateTime = iso;
    return el;
  }

  function formatTime(iso) {
    const ms = parseTime(iso);
    if (!ms) return '';
    const d = new Date(ms);
    const today = d.toDateString() === new Date().toDateString();
    const opts = today
      ? { hour: '2-digit', minute: '2-digit' }
      : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' };
    try {
      return new Intl.DateTimeFormat(state.lang === 'en' ? 'en-GB' : 'zh-CN', opts).format(d);
    } catch (e) {
      return d.toLocaleTimeString();
    }
  }

  // mm:ss, or h:mm:ss from an hour on.
  function clock(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const pad = (n) => String(n).padStart(2, '0');
    const h = Math.floor(s / 3600);
    const rest = `${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    return h ? `${h}:${rest}` : rest;
  }

  // "3小时20分" / "3h 20m".
  function duration(ms) {
    const min = Math.max(0, Math.floor(ms / 60000));
    const d = Math.floor(min / 1440);
    const h = Math.floor((min % 1440) / 60);
    if (d) return t('durD', { d, h });
    if (h) return t('durH', { h, m: min % 60 });
    return t('durM', { m: min });
  }

  // A client_id: 1-64 characters.
  function newClientId() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    const bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
    else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function charCount(text) {
    return [...text].length; // code points, like the server's runes
  }

  function isSupervisor() {
    return !!state.me && state.me.role === 'supervisor';
  }

  function channelLabel(ch) {
    return ch ? tOr(`ch_${ch}`, ch) : '';
  }

  function reasonLabel(r) {
    return r ? tOr(`rs_${r}`, r) : '';
  }

  function stateLabel(s) {
    return s ? tOr(`st_${s}`, s) : '';
  }

  function groupId(g) {
    return typeof g === 'string' ? g : isObj(g) ? str(g.id) || str(g.name) : '';
  }

  function groupLabel(id) {
    if (!id) return t('anyGroup');
    const known = state.cfg.groups.find((g) => groupId(g) === id);
    return bilingual(known, id);
  }

  function kindId(k) {
    return typeof k === 'string' ? k : isObj(k) ? str(k.id) || str(k.kind) || str(k.code) : '';
  }

  function kindLabel(id) {
    const known = state.cfg.ticketKinds.find((k) => kindId(k) === id);
    return isObj(known) ? bilingual(known, id) : tOr(`kind_${id}`, id);
  }

  // A category is {id|code, zh, en}.
  function categoryId(c) {
    return isObj(c) ? str(c.id) || str(c.code) : '';
  }

  function categoryLabel(id) {
    return bilingual(state.cfg.categories.find((c) => categoryId(c) === id), id);
  }

  function agentName(id) {
    if (state.me && id === state.me.id) return str(state.me.name) || id;
    const a = state.agents.find((x) => x.id === id);
    return (a && str(a.name)) || id;
  }

  // An error frame's text in the UI language, else ours for its code.
  function errorText(frame) {
    const server = state.lang === 'en' ? str(frame.message_en) : str(frame.message);
    return server || tOr(`err_${str(frame.code)}`, t('err_unknown'));
  }

  // ---------------------------------------------------------------------
  // Language
  // ---------------------------------------------------------------------

  // Fills every [data-i18n] text (with [data-i18n-vars]) and every
  // [data-i18n-attrs] attribute ("aria-label=key;placeholder=key").
  function applyStrings(root) {
    root.querySelectorAll('[data-i18n]').forEach((node) => {
      let vars;
      try { vars = node.dataset.i18nVars ? JSON.parse(node.dataset.i18nVars) : undefined; } catch (e) { vars = undefined; }
      node.textContent = t(node.dataset.i18n, vars);
    });
    root.querySelectorAll('[data-i18n-attrs]').forEach((node) => {
      for (const pair of node.dataset.i18nAttrs.split(';')) {
        const [attr, key] = pair.split('=');
        if (attr && key) node.setAttribute(attr.trim(), t(key.trim()));
      }
    });
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    dom.langBtn.lang = state.lang === 'en' ? 'zh-CN' : 'en'; // the button names the other language
    applyStrings(document);
    document.querySelectorAll('time[datetime]').forEach((node) => {
      node.textContent = formatTime(node.dateTime);
    });
    renderAll();
  }

  function switchLanguage() {
    state.lang = state.lang === 'en' ? 'zh' : 'en';
    store.set(LANG_KEY, state.lang);
    applyLanguage();
  }

  // ---------------------------------------------------------------------
  // Notices and connection status
  // ---------------------------------------------------------------------

  function showNotice(text) {
    clearTimeout(state.noticeTimer);
    dom.notice.textContent = text;
    if (text) state.noticeTimer = setTimeout(() => { dom.notice.textContent = ''; }, NOTICE_MS);
  }

  function setConn(which) {
    if (dom.conn.dataset.state === which) return; // announce changes only
    dom.conn.dataset.state = which;
    setText(dom.connText, `conn_${which}`);
  }

  function backoffDelay() {
    // 1 s, 2 s, 4 s … up to 15 s, with a little jitter so that a desk full
    // of consoles does not come back in the same millisecond.
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.attempt);
    state.attempt += 1;
    return Math.min(BACKOFF_MAX_MS, base * (0.85 + Math.random() * 0.3));
  }

  // ---------------------------------------------------------------------
  // HTTP: session check, sign-in, sign-out
  // ---------------------------------------------------------------------

  // Answers {status, data}; status 0 when the server could not be reached.
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    try {
      const res = await fetch(path, init);
      let data = null;
      if (res.status !== 204) {
        try { data = await res.json(); } catch (e) { data = null; }
      }
      return { status: res.status, data: isObj(data) ? data : null };
    } catch (e) {
      return { status: 0, data: null };
    }
  }

  // On load: signed in already, or show the form.
  async function boot() {
    state.bootTimer = 0;
    const epoch = state.epoch;
    const res = await api('GET', '/agent/api/me');
    if (epoch !== state.epoch) return;
    if (res.status === 200 && res.data && isObj(res.data.agent)) {
      enterConsole(res.data.agent);
    } else if (res.status === 401) {
      showSignIn('');
    } else {
      setConn('unreachable');
      state.bootTimer = setTimeout(boot, backoffDelay());
    }
  }

  async function onSignIn(ev) {
    ev.preventDefault();
    if (dom.signinSubmit.disabled) return;
    const name = dom.signinName.value.trim();
    const password = dom.signinPassword.value;
    if (!name || !password) {
      setText(dom.signinError, 'signinMissing');
      (name ? dom.signinPassword : dom.signinName).focus();
      return;
    }
    dom.signinError.textContent = '';
    setSigninBusy(true);
    const res = await api('POST', '/agent/api/signin', { name, password });
    if (res.status === 200 && res.data && isObj(res.data.agent)) {
      setSigninBusy(false);
      dom.signinPassword.value = '';
      dom.signinMessage.textContent = '';
      enterConsole(res.data.agent);
      return;
    }
    if (res.status === 429) {
      const wait = Math.max(1, int(res.data && res.data.retry_after, 30));
      setText(dom.signinError, 'signinTooMany', { s: wait });
      setSigninBusy(false);
      dom.signinSubmit.disabled = true; // the button waits too
      setTimeout(() => { dom.signinSubmit.disabled = false; }, wait * 1000);
      dom.signinPassword.focus();
      return;
    }
    setSigninBusy(false);
    if (res.status === 401) {
      setText(dom.signinError, 'signinBad');
      dom.signinPassword.value = '';
      dom.signinPassword.focus();
    } else {
      setText(dom.signinError, res.status === 0 ? 'signinNetwork' : 'signinFailed');
    }
  }

  function setSigninBusy(busy) {
    dom.signinSubmit.disabled = busy;
    setText(dom.signinSubmit, busy ? 'signingIn' : 'signinSubmit');
  }

  async function signOut() {
    dom.signoutBtn.disabled = true;
    const res = await api('POST', '/agent/api/signout');
    dom.signoutBtn.disabled = false;
    if (res.status === 204 || res.status === 200 || res.status === 401) {
      showSignIn('bye_signed_out');
    } else {
      showNotice(t('signoutFailed'));
    }
  }

  // ---------------------------------------------------------------------
  // Views: sign-in form or console
  // ---------------------------------------------------------------------

  // Shows the sign-in form with a message key (or none), forgetting
  // everything of the session, revealed numbers included.
  function showSignIn(messageKey) {
    teardown();
    state.me = null;
    dom.console.hidden = true;
    dom.meBox.hidden = true;
    dom.signoutBtn.hidden = true;
    dom.signinView.hidden = false;
    if (messageKey) setText(dom.signinMessage, messageKey);
    else dom.signinMessage.textContent = '';
    dom.signinError.textContent = '';
    setConn('signedOut');
    showNotice('');
    updateTitle();
    dom.signinName.focus();
  }

  function enterConsole(agent) {
    teardown();
    state.me = { ...agent };
    dom.signinView.hidden = true;
    dom.console.hidden = false;
    dom.meBox.hidden = false;
    dom.signoutBtn.hidden = false;
    renderAll();
    connect();
  }

  function teardown() {
    state.epoch += 1;
    dropSocket();
    clearTimeout(state.reconnectTimer);
    clearTimeout(state.bootTimer);
    clearTimeout(state.staleTimer);
    state.reconnectTimer = state.bootTimer = state.staleTimer = 0;
    state.attempt = 0;
    state.cfg = emptyConfig();
    state.queue = [];
    state.agents = [];
    state.convs.clear();
    state.mineOrder = [];
    state.selected = '';
    state.pending.clear();
    state.outgoing.clear();
    state.wantSelect = '';
    state.accepting = '';
    for (const d of [dom.transferDialog, dom.closeDialog]) if (d.open) d.close();
  }

  // ---------------------------------------------------------------------
  // The socket
  // ---------------------------------------------------------------------

  function wsUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/agent/ws`;
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = 0;
    if (state.ws || !state.me) return;
    let sock;
    try {
      sock = new WebSocket(wsUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = sock;
    state.ready = false;
    setConn(state.attempt ? 'reconnecting' : 'connecting');
    sock.onmessage = (ev) => onFrame(sock, ev);
    sock.onclose = () => onClose(sock);
    // An error is always followed by close, handled there.
  }

  // Forgets the current socket (its events are ignored from now on).
  function dropSocket() {
    const sock = state.ws;
    stopPing();
    if (!sock) return;
    state.ws = null;
    state.ready = false;
    sock.onmessage = sock.onclose = null;
    try { sock.close(1000); } catch (e) { /* already closing */ }
    failInFlight();
  }

  function onClose(sock) {
    if (sock !== state.ws) return;
    const welcomed = state.ready;
    state.ws = null;
    state.ready = false;
    stopPing();
    failInFlight();
    setConn('reconnecting');
    // A socket that closed before its welcome was most likely refused at
    // the upgrade (401): check whether the session is still there.
    if (!welcomed) recheckSession();
    else scheduleReconnect();
  }

  async function recheckSession() {
    const epoch = state.epoch;
    const res = await api('GET', '/agent/api/me');
    if (epoch !== state.epoch || state.ws) return;
    if (res.status === 401) {
      showSignIn('sessionGone');
      return;
    }
    if (res.status === 200 && res.data && isObj(res.data.agent)) {
      state.me = { ...state.me, ...res.data.agent };
    }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (state.reconnectTimer || !state.me) return;
    setConn(navigator.onLine === false ? 'unreachable' : 'reconnecting');
    state.reconnectTimer = setTimeout(connect, backoffDelay());
  }

  // Sends a frame with a new req; `what` (if any) is remembered until the
  // answer. Answers the req, or '' when the socket is not ready.
  function sendReq(frame, what) {
    const sock = state.ws;
    if (!sock || !state.ready || sock.readyState !== WebSocket.OPEN) return '';
    state.reqSeq += 1;
    const req = `r${state.reqSeq}`;
    if (what) state.pending.set(req, what);
    sock.send(JSON.stringify({ ...frame, req }));
    return req;
  }

  // Requests in flight on a socket that went away get no answer: replies
  // and notes become failed (retry keeps their client_id), buttons come
  // back.
  function failInFlight() {
    for (const what of state.pending.values()) settleFailed(what, '');
    state.pending.clear();
  }

  function startPing() {
    stopPing();
    state.pingTimer = setInterval(() => sendReq({ type: 'ping' }), PING_EVERY_MS);
  }

  function stopPing() {
    clearInterval(state.pingTimer);
    state.pingTimer = 0;
  }

  // ---------------------------------------------------------------------
  // Incoming frames
  // ---------------------------------------------------------------------

  function onFrame(sock, ev) {
    if (sock !== state.ws) return;
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (!isObj(frame)) return;
    switch (frame.type) {
      case 'welcome': onWelcome(frame); break;
      case 'queue': onQueue(frame); break;
      case 'agents': onAgents(frame); break;
      case 'me': onMe(frame); break;
      case 'assigned': onView(frame, true); break;
      case 'conversation': onView(frame, false); break;
      case 'message': onMessage(frame); break;
      case 'note': onNote(frame); break;
      case 'delivery': onDelivery(frame); break;
      case 'ticket': onTicket(frame); break;
      case 'released': onReleased(frame); break;
      case 'revealed': onRevealed(frame); break;
      case 'ok': onOk(frame); break;
      case 'error': onError(frame); break;
      case 'bye': onBye(frame); break;
      default: break; // pong and future types
    }
  }

  // Sent first on every socket; on a reconnect the queue, roster and held
  // conversations follow, so the page rebuilds from them.
  function onWelcome(frame) {
    if (isObj(frame.agent)) state.me = { ...state.me, ...frame.agent };
    state.cfg = {
      groups: arr(frame.groups).filter((g) => groupId(g)),
      wrapCodes: arr(frame.wrap_codes).filter((c) => isObj(c) && str(c.code)),
      canned: arr(frame.canned).filter((c) => isObj(c) && str(c.text)),
      ticketKinds: arr(frame.ticket_kinds).filter((k) => kindId(k)),
      categories: arr(frame.categories).filter(categoryId),
      tickets: frame.tickets !== false, // false: no ticket service behind the desk
    };
    state.ready = true;
    state.attempt = 0;
    setConn('connected');
    startPing();

    // What was held before is kept on screen (drafts, the open pane) until
    // the server says whether it still is.
    for (const conv of state.convs.values()) conv.stale = conv.mine;
    clearTimeout(state.staleTimer);
    state.staleTimer = setTimeout(dropStale, STALE_AFTER_MS);

    // A supervisor looking at someone else's conversation asks again.
    const sel = selectedConv();
    if (sel && !sel.mine && isSupervisor()) sendReq({ type: 'open', conversation: sel.id }, { kind: 'open' });
    renderAll();
  }

  function dropStale() {
    state.staleTimer = 0;
    for (const conv of [...state.convs.values()]) {
      if (conv.stale) releaseConv(conv, 'lost');
    }
  }

  function onQueue(frame) {
    state.queue = arr(frame.entries).filter((e) => isObj(e) && str(e.conversation));
    renderQueue();
  }

  function onAgents(frame) {
    state.agents = arr(frame.agents).filter((a) => isObj(a) && str(a.id));
    renderAgents();
    if (dom.transferDialog.open) fillTransferTargets();
  }

  function onMe(frame) {
    if (!isObj(frame.agent)) return;
    state.me = { ...state.me, ...frame.agent };
    renderMe();
  }

  // `assigned` (mine) or `conversation` (the answer to open).
  function onView(frame, assigned) {
    const view = normalizeView(frame.view);
    if (!view) return;
    const id = view.conversation;
    let conv = state.convs.get(id);
    const isNew = !conv || !conv.mine;
    if (!conv) {
      conv = newConv(id);
      state.convs.set(id, conv);
    }
    applyView(conv, view);
    if (assigned) {
      conv.mine = true;
      conv.stale = false;
      conv.releasedWhy = '';
      if (!state.mineOrder.includes(id)) state.mineOrder.push(id);
      if (isNew) showNotice(t('assignedNotice', { title: convTitle(conv) }));
    }
    if (state.accepting === id) state.accepting = '';
    const wanted = state.wantSelect === id;
    if (wanted) state.wantSelect = '';
    if (wanted || (assigned && !state.selected)) {
      selectConversation(id, { tab: wanted, focusComposer: wanted && conv.mine });
    } else if (state.selected === id) {
      renderConversation(false);
      renderInfo();
    } else if (!conv.mine) {
      forgetConv(conv); // an answer to `open` no longer looked at
    }
    renderMine();
  }

  function onMessage(frame) {
    const conv = state.convs.get(str(frame.conversation));
    if (!conv) return;
    addMessage(conv, frame.message);
  }

  // A message that did not reach the subscriber is marked with the
  // channel's reason, so the agent knows to try another way.
  function onDelivery(frame) {
    const conv = state.convs.get(str(frame.conversation));
    const m = conv && conv.msgById.get(str(frame.message));
    if (!m) return;
    m.failedReason = str(frame.reason) || str(frame.status);
    if (conv.id !== state.selected) return;
    const node = dom.transcript.querySelector(`[data-id="${CSS.escape(m.id)}"]`);
    if (node) showDeliveryFailure(node, m);
  }

  function showDeliveryFailure(node, m) {
    let p = node.querySelector('.msg-undelivered');
    if (!p) {
      p = make('p', 'msg-undelivered');
      p.setAttribute('role', 'status');
      node.append(p);
    }
    p.textContent = t('deliveryFailed') + m.failedReason;
    node.dataset.delivery = 'failed';
  }

  function onNote(frame) {
    const conv = state.convs.get(str(frame.conversation));
    if (!conv) return;
    addNote(conv, frame.note);
  }

  function onTicket(frame) {
    const conv = state.convs.get(str(frame.conversation));
    if (!conv || !isObj(frame.ticket) || !str(frame.ticket.id)) return;
    const ticket = frame.ticket;
    const at = conv.tickets.findIndex((x) => x.id === ticket.id);
    if (at >= 0) conv.tickets[at] = ticket;
    else conv.tickets.push(ticket);
    if (conv.id !== state.selected) return;
    const old = dom.ticketsList.querySelector(`[data-ticket="${CSS.escape(ticket.id)}"]`);
    const node = renderTicket(conv, ticket);
    if (old) replaceKeepingFocus(old, node);
    else dom.ticketsList.append(node);
    dom.ticketsEmpty.hidden = true;
  }

  function onReleased(frame) {
    const conv = state.convs.get(str(frame.conversation));
    if (conv) releaseConv(conv, str(frame.why) || 'closed');
  }

  function onBye(frame) {
    const reason = str(frame.reason);
    showSignIn(['signed_out', 'expired', 'replaced'].includes(reason) ? `bye_${reason}` : 'sessionGone');
  }

  function onOk(frame) {
    const req = str(frame.req);
    const what = state.pending.get(req);
    if (!what) return;
    if (what.kind === 'reveal') return; // settled by `revealed`
    state.pending.delete(req);
    settleOk(what);
  }

  function onError(frame) {
    const req = str(frame.req);
    const what = state.pending.get(req);
    state.pending.delete(req);
    const text = errorText(frame);
    if (!what) {
      showNotice(text);
      return;
    }
    settleFailed(what, text);
  }

  // What an `ok` means for each kind of request.
  function settleOk(what) {
    switch (what.kind) {
      case 'reply':
      case 'note':
        markOutgoing(what.cid, 'sent');
        if (what.kind === 'note') showNotice(t('noteSaved'));
        break;
      case 'transfer':
      case 'close':
        finishDialog(what.kind === 'transfer' ? dom.transferDialog : dom.closeDialog);
        showNotice(t(what.kind === 'transfer' ? 'transferred' : 'closed'));
        break;
      case 'ticket_open':
        setBusy(dom.ticketSubmit, false);
        if (what.conv === state.selected) dom.ticketSummary.value = '';
        showNotice(t('ticketOpened'));
        break;
      case 'ticket_update':
        setTicketBusy(what.ticket, false, true);
        showNotice(t('ticketUpdated'));
        break;
      case 'accept':
        if (state.accepting === what.conv) state.accepting = '';
        break; // `assigned` and `queue` follow
      default:
        break; // open, state: the frames that follow say it all
    }
  }

  // What an `error` (or a lost socket, text '') means for each request.
  function settleFailed(what, text) {
    switch (what.kind) {
      case 'reply':
      case 'note':
        markOutgoing(what.cid, 'failed');
        break;
      case 'accept':
        if (state.wantSelect === what.conv) state.wantSelect = '';
        if (state.accepting === what.conv) state.accepting = '';
        renderQueue();
        break;
      case 'open':
        if (state.wantSelect === what.conv) state.wantSelect = '';
        break;
      case 'state':
        renderMe(); // back to the state the desk has
        break;
      case 'reveal':
        revealDone(what, undefined);
        break;
      case 'transfer':
      case 'close': {
        const dialog = what.kind === 'transfer' ? dom.transferDialog : dom.closeDialog;
        dialogBusy(dialog, false);
        if (dialog.open && text) {
          dialog.querySelector('.form-error').textContent = text;
          return; // shown in the dialog, which is modal
        }
        break;
      }
      case 'ticket_open':
        setBusy(dom.ticketSubmit, false);
        break;
      case 'ticket_update':
        setTicketBusy(what.ticket, false, false);
        break;
      default:
        break;
    }
    if (text) showNotice(text);
  }

  // ---------------------------------------------------------------------
  // Conversations: the model
  // ---------------------------------------------------------------------

  function newConv(id) {
    return {
      id,
      view: null,
      mine: false,
      stale: false,       // held before a reconnect, not yet re-sent
      releasedWhy: '',
      unread: 0,
      messages: [],       // server messages and own replies not yet echoed
      msgById: new Map(),
      notes: [],
      noteById: new Map(),
      tickets: [],
      revealed: new Map(), // reveal key -> full value (memory only)
      revealing: new Set(),
      draft: '',
      noteMode: false,
    };
  }

  function normalizeView(v) {
    if (!isObj(v) || !str(v.conversation)) return null;
    return {
      conversation: str(v.conversation),
      channel: str(v.channel),
      lang: str(v.lang),
      state: str(v.state),
      address: str(v.address),
      entry: isObj(v.entry) ? v.entry : {},
      details: arr(v.details).filter((d) => isObj(d) && str(d.key)),
      messages: arr(v.messages),
      tickets: arr(v.tickets).filter((x) => isObj(x) && str(x.id)),
      notes: arr(v.notes),
    };
  }

  function normalizeMessage(m) {
    if (!isObj(m) || !str(m.id)) return null;
    return {
      id: m.id,
      seq: Number.isFinite(m.seq) ? m.seq : undefined,
      from: FROM.includes(m.from) ? m.from : 'system',
      text: str(m.text),
      at: str(m.at),
      masked: Math.max(0, int(m.masked, 0)),
      clientId: str(m.client_id),
    };
  }

  function normalizeNote(n) {
    if (!isObj(n) || !str(n.id)) return null;
    return { id: n.id, agent: str(n.agent), text: str(n.text), at: str(n.at), clientId: str(n.client_id) };
  }

  // Replaces a conversation's view; own replies and notes not yet seen in
  // it stay, and those it has are matched up with it.
  function applyView(conv, view) {
    conv.view = view;
    conv.tickets = view.tickets.slice();

    const localMsgs = conv.messages.filter((m) => !m.id);
    conv.messages = [];
    conv.msgById.clear();
    for (const raw of view.messages) {
      const m = normalizeMessage(raw);
      if (!m || conv.msgById.has(m.id)) continue;
      const obj = (m.from === 'agent' && claimLocal(localMsgs, m)) || m;
      conv.messages.push(obj);
      conv.msgById.set(m.id, obj);
    }
    conv.messages.push(...localMsgs);

    const localNotes = conv.notes.filter((n) => !n.id);
    conv.notes = [];
    conv.noteById.clear();
    for (const raw of view.notes) {
      const n = normalizeNote(raw);
      if (!n || conv.noteById.has(n.id)) continue;
      const obj = claimLocal(localNotes, n) || n;
      conv.notes.push(obj);
      conv.noteById.set(n.id, obj);
    }
    conv.notes.push(...localNotes);
  }

  // Finds the local (sent from here) copy of a server message or note: by
  // client_id when the server echoes it, else the oldest one with the same
  // text. The local object takes the server's fields and is answered.
  function claimLocal(locals, item) {
    const mineToo = !('agent' in item) || !item.agent || (state.me && item.agent === state.me.id);
    if (!mineToo) return null;
    const at = locals.findIndex((l) => (item.clientId ? l.clientId === item.clientId : l.text === item.text));
    if (at < 0) return null;
    const [local] = locals.splice(at, 1);
    const cid = local.clientId;
    Object.assign(local, item, { clientId: cid, status: 'sent' });
    state.outgoing.delete(cid);
    return local;
  }

  function addMessage(conv, raw) {
    const m = normalizeMessage(raw);
    if (!m || conv.msgById.has(m.id)) return; // dedupe by message id
    const local = m.from === 'agent' ? claimLocal(conv.messages.filter((x) => !x.id), m) : null;
    const obj = local || m;
    if (!local) conv.messages.push(m);
    conv.msgById.set(m.id, obj);

    if (conv.id === state.selected) {
      const stick = isNearBottom() || !!local;
      if (local) {
        const node = dom.transcript.querySelector(`[data-client-id="${CSS.escape(local.clientId)}"]`);
        if (node) {
          node.dataset.id = local.id;
          if (local.seq !== undefined) node.dataset.seq = String(local.seq);
          refreshStatus(node, local);
          placeMessage(node);
        }
      } else {
        placeMessage(renderMessage(conv, m));
      }
      if (stick) scrollToBottom();
    } else if (m.from === 'subscriber') {
      conv.unread += 1;
    }
    renderMine();
  }

  function addNote(conv, raw) {
    const n = normalizeNote(raw);
    if (!n || conv.noteById.has(n.id)) return;
    const local = claimLocal(conv.notes.filter((x) => !x.id), n);
    const obj = local || n;
    if (!local) conv.notes.push(n);
    conv.noteById.set(n.id, obj);
    if (conv.id !== state.selected) return;
    if (local) {
      const node = dom.notesList.querySelector(`[data-client-id="${CSS.escape(local.clientId)}"]`);
      if (node) refreshStatus(node, local);
    } else {
      dom.notesList.append(renderNote(n));
      dom.notesEmpty.hidden = true;
    }
  }

  // The agent no longer holds the conversation. An open one stays on
  // screen read-only (the agent may want to read it while wrapping up).
  function releaseConv(conv, why) {
    state.mineOrder = state.mineOrder.filter((id) => id !== conv.id);
    const wasHeld = conv.mine;
    conv.mine = false;
    conv.stale = false;
    conv.releasedWhy = why;
    for (const d of [dom.transferDialog, dom.closeDialog]) {
      if (d.open && d.dataset.conversation === conv.id) d.close();
    }
    if (wasHeld) showNotice(t('releasedNotice', { title: convTitle(conv), why: tOr(`rel_${why}`, why) }));
    if (conv.id === state.selected) {
      renderConversation(false);
      renderInfo();
      // The composer and buttons just went off: keep the focus in the pane.
      const active = document.activeElement;
      if (!active || active === document.body || active.disabled) dom.convPane.focus();
    } else {
      forgetConv(conv);
    }
    renderMine();
  }

  function forgetConv(conv) {
    state.convs.delete(conv.id);
    for (const [cid, out] of state.outgoing) if (out.conv === conv.id) state.outgoing.delete(cid);
  }

  function selectedConv() {
    return state.selected ? state.convs.get(state.selected) || null : null;
  }

  // "微信 · 138****5678": the channel, and the address when it says more.
  function convTitle(conv) {
    const v = conv.view || {};
    const ch = channelLabel(v.channel);
    const addr = v.address && v.address !== v.channel ? v.address : '';
    return [ch, addr].filter(Boolean).join(' · ') || conv.id;
  }

  // ---------------------------------------------------------------------
  // Selecting a conversation
  // ---------------------------------------------------------------------

  // opts.tab: switch to the chat tab on a phone; opts.focusComposer.
  function selectConversation(id, opts) {
    const o = opts || {};
    const conv = state.convs.get(id);
    if (!conv) return;
    if (state.selected !== id) {
      saveDraft();
      const before = selectedConv();
      state.selected = id;
      if (before && !before.mine) forgetConv(before);
    }
    conv.unread = 0;
    renderMine();
    renderConversation(true);
    renderInfo();
    updateTitle();
    if (o.tab) setTab('chat');
    // On a phone the list the agent chose from just left the screen: the
    // focus follows to the conversation.
    const active = document.activeElement;
    const lost = o.tab && (!active || active === document.body || active.offsetParent === null);
    if ((o.focusComposer || lost) && !dom.composerInput.disabled) dom.composerInput.focus();
    else if (lost) dom.transcript.focus();
  }

  function saveDraft() {
    const conv = selectedConv();
    if (!conv) return;
    conv.draft = dom.composerInput.value;
    conv.noteMode = dom.noteToggle.checked;
  }

  // Alt+ArrowUp/Down: the previous or next of my conversations.
  function moveSelection(delta) {
    const list = state.mineOrder;
    if (!list.length) return;
    const at = list.indexOf(state.selected);
    const next = at < 0 ? (delta > 0 ? 0 : list.length - 1) : (at + delta + list.length) % list.length;
    const onList = document.activeElement && document.activeElement.classList.contains('conv-btn');
    selectConversation(list[next], {});
    if (onList) {
      const btn = dom.mineList.querySelector(`[data-conversation="${CSS.escape(list[next])}"] .conv-btn`);
      if (btn) btn.focus();
    }
    showNotice(t('nowShowing', { title: convTitle(state.convs.get(list[next])) }));
  }

  // ---------------------------------------------------------------------
  // Rendering: top bar
  // ---------------------------------------------------------------------

  function renderAll() {
    renderMe();
    renderQueue();
    renderMine();
    renderAgents();
    renderConversation(false);
    renderInfo();
    renderCanned();
    fillTicketForm();
    if (dom.transferDialog.open) fillTransferTargets();
    if (dom.closeDialog.open) fillCloseCodes();
    updateTitle();
  }

  function renderMe() {
    const me = state.me;
    if (!me) return;
    dom.meName.textContent = str(me.name) || str(me.id);
    setText(dom.meRole, me.role === 'supervisor' ? 'roleSupervisor' : 'roleAgent');
    const max = int(me.max_concurrent, 0);
    const load = Number.isFinite(me.load) ? me.load : state.mineOrder.length;
    dom.meLoad.textContent = max ? t('load', { load, max }) : '';

    const current = str(me.state) || 'offline';
    for (const opt of dom.stateSelect.options) {
      if (!USER_STATES.includes(opt.value)) opt.hidden = opt.value !== current;
    }
    if (![...dom.stateSelect.options].some((o) => o.value === current)) {
      dom.stateSelect.append(option(current, current, true)); // a state this page does not know
    }
    dom.stateSelect.value = current;
    dom.stateSelect.dataset.state = current;
    updateCountdown();
  }

  function updateCountdown() {
    const me = state.me;
    const until = me && me.state === 'wrap_up' ? parseTime(me.wrap_up_until) : 0;
    dom.wrapupCountdown.hidden = !until;
    if (until) {
      const text = t('wrapLeft', { time: clock(until - Date.now()) });
      if (dom.wrapupCountdown.textContent !== text) dom.wrapupCountdown.textContent = text;
    }
  }

  function onStateChange() {
    const wanted = dom.stateSelect.value;
    if (!USER_STATES.includes(wanted)) return;
    if (!sendReq({ type: 'state', state: wanted }, { kind: 'state' })) {
      showNotice(t('notConnectedYet'));
      renderMe();
    }
  }

  function updateTitle() {
    let unread = 0;
    for (const conv of state.convs.values()) unread += conv.mine ? conv.unread : 0;
    document.title = (unread ? `(${unread}) ` : '') + t('title');
    dom.tabQueueBadge.hidden = !unread;
    dom.tabQueueBadge.textContent = unread ? String(unread) : '';
    if (unread) dom.tabQueueBadge.setAttribute('aria-label', t('unreadTotal', { n: unread }));
  }

  // ---------------------------------------------------------------------
  // Rendering: lists (queue, mine, agents)
  // ---------------------------------------------------------------------

  // Replaces a list's items; the focused control (found again by its
  // item's key and its class) keeps the focus, or the nearest item gets it.
  function rerenderList(list, items) {
    const active = document.activeElement;
    let keep = null;
    if (active && active !== list && list.contains(active)) {
      const li = active.closest('li');
      keep = {
        key: li ? li.dataset.conversation || li.dataset.key || '' : '',
        cls: active.classList[0] || '',
        index: li ? [...list.children].indexOf(li) : 0,
      };
    }
    list.replaceChildren(...items);
    if (!keep) return;
    const same = [...list.children].find((li) => (li.dataset.conversation || li.dataset.key) === keep.key);
    const li = same || list.children[Math.min(keep.index, list.children.length - 1)];
    const target = li && ((keep.cls && same && li.querySelector(`.${CSS.escape(keep.cls)}`)) || li.querySelector('button'));
    (target || list).focus();
  }

  function replaceKeepingFocus(oldNode, newNode) {
    const active = document.activeElement;
    const cls = active && oldNode.contains(active) ? active.classList[0] : '';
    oldNode.replaceWith(newNode);
    if (cls) {
      const target = newNode.querySelector(`.${CSS.escape(cls)}`);
      if (target) target.focus();
    }
  }

  function setCount(node, n) {
    if (n) setText(node, 'count', { n });
    else {
      delete node.dataset.i18n;
      node.textContent = '';
    }
  }

  function renderQueue() {
    const entries = state.queue;
    setCount(dom.queueCount, entries.length);
    dom.queueEmpty.hidden = entries.length > 0;
    rerenderList(dom.queueList, entries.map(renderQueueItem));
  }

  function priorityBadge(priority) {
    if (priority >= 100) return makeLabel('span', 'badge badge-urgent', 'prioComplaint');
    if (priority >= 50) return makeLabel('span', 'badge badge-warn', 'prioTicket');
    return null;
  }

  function renderQueueItem(e, i) {
    const li = make('li', 'item queue-item');
    li.dataset.conversation = e.conversation;
    const pos = int(e.position, i + 1);
    const priority = int(e.priority, 0);
    if (priority >= 100) li.classList.add('is-urgent');

    const head = make('p', 'item-head');
    head.append(make('span', 'queue-pos', t('position', { n: pos })),
      make('span', 'badge badge-channel', channelLabel(str(e.channel))),
      make('span', 'item-group', groupLabel(str(e.group))));
    const badge = priorityBadge(priority);
    if (badge) head.append(badge);
    if (e.head === true) head.append(makeLabel('span', 'badge', 'headBadge'));

    const reason = make('p', 'item-line', reasonLabel(str(e.reason)));
    const wait = make('p', 'item-line queue-wait');
    const since = make('span', 'wait-time', clock(Date.now() - parseTime(e.waiting_since)));
    if (parseTime(e.waiting_since)) since.dataset.since = e.waiting_since;
    wait.append(makeLabel('span', '', 'waited'), ' ', since);
    li.append(head, reason, wait);
    if (str(e.note)) li.append(make('p', 'item-note', e.note));

    const vars = { n: pos, channel: channelLabel(str(e.channel)), group: groupLabel(str(e.group)) };
    const actions = make('div', 'item-actions');
    if (isSupervisor()) {
      const view = makeButton('view-btn btn', 'view');
      view.setAttribute('aria-label', t('viewLabel', vars));
      actions.append(view);
    }
    const accept = makeButton('accept-btn btn btn-primary', 'accept');
    accept.setAttribute('aria-label', t('acceptLabel', vars));
    setBusy(accept, state.accepting === e.conversation);
    actions.append(accept);
    li.append(actions);
    return li;
  }

  function onQueueClick(ev) {
    const btn = ev.target.closest('button');
    const li = btn && btn.closest('li[data-conversation]');
    if (!li || isBusy(btn)) return;
    const id = li.dataset.conversation;
    if (btn.classList.contains('accept-btn')) {
      if (sendReq({ type: 'accept', conversation: id }, { kind: 'accept', conv: id })) {
        state.wantSelect = id;
        state.accepting = id;
        setBusy(btn, true);
      } else {
        showNotice(t('notConnectedYet'));
      }
    } else if (btn.classList.contains('view-btn')) {
      if (state.convs.has(id) && state.convs.get(id).view) selectConversation(id, { tab: true });
      if (sendReq({ type: 'open', conversation: id }, { kind: 'open', conv: id })) state.wantSelect = id;
      else showNotice(t('notConnectedYet'));
    }
  }

  function renderMine() {
    const ids = state.mineOrder.filter((id) => state.convs.has(id));
    setCount(dom.mineCount, ids.length);
    dom.mineEmpty.hidden = ids.length > 0;
    rerenderList(dom.mineList, ids.map((id) => renderMineItem(state.convs.get(id))));
    renderMe(); // the load follows
    updateTitle();
  }

  function renderMineItem(conv) {
    const v = conv.view || {};
    const entry = v.entry || {};
    const li = make('li', 'item mine-item');
    li.dataset.conversation = conv.id;
    const btn = make('button', 'conv-btn');
    btn.type = 'button';
    if (conv.id === state.selected) btn.setAttribute('aria-current', 'true');

    const head = make('span', 'conv-btn-head');
    head.append(make('span', 'conv-btn-title', convTitle(conv)));
    if (conv.unread) {
      const badge = make('span', 'unread-badge', String(conv.unread));
      badge.setAttribute('aria-label', t('unread', { n: conv.unread }));
      head.append(badge);
    }
    const sub = make('span', 'conv-btn-sub',
      [groupLabel(str(entry.group)), reasonLabel(str(entry.reason))].filter(Boolean).join(' · '));
    const lastMsg = [...conv.messages].reverse().find((m) => m.from !== 'system');
    btn.append(head, sub);
    if (lastMsg) btn.append(make('span', 'conv-btn-last', lastMsg.text));
    li.append(btn);
    return li;
  }

  function onMineClick(ev) {
    const li = ev.target.closest('li[data-conversation]');
    if (li && ev.target.closest('.conv-btn')) selectConversation(li.dataset.conversation, { tab: true });
  }

  function renderAgents() {
    const show = isSupervisor();
    dom.agentsPanel.hidden = !show;
    if (!show) return;
    dom.agentsEmpty.hidden = state.agents.length > 0;
    rerenderList(dom.agentsList, state.agents.map(renderAgentItem));
  }

  function renderAgentItem(a) {
    const li = make('li', 'item agent-item');
    li.dataset.key = a.id;
    const head = make('p', 'item-head');
    const st = make('span', 'badge badge-state', stateLabel(str(a.state)));
    st.dataset.state = str(a.state);
    head.append(make('span', 'agent-name', str(a.name) || a.id), st,
      make('span', 'agent-load', `${int(a.load, 0)}/${int(a.max_concurrent, 0)}`));
    const groups = arr(a.groups).map((g) => groupLabel(str(g))).join('、');
    const line = make('p', 'item-line', groups ? t('groupsOf', { groups }) : '');
    const conn = makeLabel('span', a.connected === false ? 'agent-off' : 'agent-on',
      a.connected === false ? 'notConnected' : 'connected');
    line.append(groups ? ' · ' : '', conn);
    li.append(head, line);
    return li;
  }

  // ---------------------------------------------------------------------
  // Rendering: the conversation pane
  // ---------------------------------------------------------------------

  // fresh: a newly selected conversation (built anew, scrolled to the
  // bottom, its draft loaded); otherwise the open one brought up to date.
  function renderConversation(fresh) {
    const conv = selectedConv();
    dom.chatEmpty.hidden = !!conv;
    dom.convView.hidden = !conv;
    if (!conv) return;
    const v = conv.view || {};
    const entry = v.entry || {};

    dom.convTitle.textContent = convTitle(conv);
    const meta = [
      ['m_state', v.state ? tOr(`cs_${v.state}`, v.state) : ''],
      ['m_group', groupLabel(str(entry.group))],
      ['m_reason', reasonLabel(str(entry.reason))],
      ['m_agent', !conv.mine && str(entry.agent) ? agentName(entry.agent) : ''],
    ];
    const items = [];
    for (const [key, value] of meta) {
      if (!value) continue;
      const div = make('div', 'meta-item');
      div.append(makeLabel('dt', '', key), make('dd', '', value));
      items.push(div);
    }
    const badge = priorityBadge(int(entry.priority, 0));
    if (badge) {
      const div = make('div', 'meta-item');
      const dd = make('dd');
      dd.append(badge);
      div.append(makeLabel('dt', '', 'm_priority'), dd);
      items.push(div);
    }
    dom.convMeta.replaceChildren(...items);

    dom.convReadonly.hidden = conv.mine;
    const why = `rel_${conv.releasedWhy}`;
    if (!conv.mine) setText(dom.convReadonly, why in STRINGS ? why : 'viewOnly');
    setDisabled([dom.transferBtn, dom.closeBtn], !conv.mine);

    if (fresh) {
      buildTranscript(conv);
      scrollToBottom();
      loadComposer(conv);
    } else {
      const stick = isNearBottom();
      syncTranscript(conv);
      if (stick) scrollToBottom();
    }
    renderComposerState(conv);
  }

  function buildTranscript(conv) {
    const ordered = conv.messages.map((m, i) => [m, i]).sort((a, b) => {
      const sa = a[0].seq ?? Infinity;
      const sb = b[0].seq ?? Infinity;
      return sa === sb ? a[1] - b[1] : sa - sb;
    });
    dom.transcript.replaceChildren(...ordered.map(([m]) => renderMessage(conv, m)));
  }

  // Brings the transcript in line with the model without rebuilding it:
  // the log only announces what is really new (e.g. after a reconnect).
  function syncTranscript(conv) {
    const keep = new Set();
    for (const m of conv.messages) {
      let node = m.id ? dom.transcript.querySelector(`[data-id="${CSS.escape(m.id)}"]`) : null;
      if (!node && m.clientId && m.status) {
        node = dom.transcript.querySelector(`[data-client-id="${CSS.escape(m.clientId)}"]`);
      }
      if (node) {
        if (m.id) node.dataset.id = m.id;
        if (m.seq !== undefined) node.dataset.seq = String(m.seq);
        if (m.status) refreshStatus(node, m);
      } else {
        node = renderMessage(conv, m);
      }
      placeMessage(node);
      keep.add(node);
    }
    for (const node of [...dom.transcript.children]) if (!keep.has(node)) node.remove();
  }

  // <div class="msg" data-from="agent"><p class="msg-meta">who, time,
  // status</p><p class="msg-text">text</p><p class="msg-reveals">…</p></div>
  function renderMessage(conv, m) {
    const node = make('div', 'msg');
    node.dataset.from = m.from;
    if (m.id) node.dataset.id = m.id;
    if (m.seq !== undefined) node.dataset.seq = String(m.seq);
    if (m.clientId && m.status) node.dataset.clientId = m.clientId;

    const meta = make('p', 'msg-meta');
    meta.append(makeLabel('span', 'msg-who', `from_${m.from}`), ' ', timeEl(m.at));
    if (m.status) meta.append(' ', renderStatus(m));
    if (m.status) node.dataset.status = m.status;
    node.append(meta, make('p', 'msg-text', m.text));

    if (m.failedReason) showDeliveryFailure(node, m);
    if (m.id && m.masked > 0) {
      const reveals = make('p', 'msg-reveals');
      for (let i = 0; i < Math.min(m.masked, 20); i++) {
        reveals.append(renderReveal(conv, `m|${m.id}|${i}`, 'revealN', { n: i + 1 }, { message: m.id, index: i }));
      }
      node.append(reveals);
    }
    return node;
  }

  // Keeps the transcript in seq order; own replies not yet stored (no
  // seq) go last. Nodes already in place are not moved.
  function placeMessage(node) {
    const seqOf = (el) => (el.dataset.seq === undefined ? Infinity : Number(el.dataset.seq));
    const seq = seqOf(node);
    let before = null;
    for (let other = dom.transcript.lastElementChild; other; other = other.previousElementSibling) {
      if (other === node) continue;
      if (seqOf(other) > seq) before = other;
      else break;
    }
    if (node.parentNode === dom.transcript && node.nextElementSibling === before) return;
    dom.transcript.insertBefore(node, before);
  }

  function isNearBottom() {
    const el = dom.transcript;
    return el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    dom.transcript.scrollTop = dom.transcript.scrollHeight;
  }

  // The sending status of an own reply or note, with retry when failed.
  function renderStatus(obj) {
    const box = make('span', 'out-status');
    if (!obj.status) return box;
    box.append(makeLabel('span', 'out-status-text', `status_${obj.status}`));
    if (obj.status === 'failed') {
      const retry = makeButton('retry-btn link-btn', 'retry');
      retry.dataset.clientId = obj.clientId;
      box.append(' ', retry);
    }
    return box;
  }

  function refreshStatus(node, obj) {
    const old = node.querySelector('.out-status');
    if (old) old.replaceWith(renderStatus(obj));
    node.dataset.status = obj.status;
  }

  function setDisabled(nodes, disabled) {
    for (const n of nodes) n.disabled = disabled;
  }

  // A button waiting for the server's answer is marked and ignored, not
  // disabled: it keeps the keyboard focus.
  function setBusy(btn, busy) {
    if (busy) btn.setAttribute('aria-disabled', 'true');
    else btn.removeAttribute('aria-disabled');
  }

  function isBusy(btn) {
    return btn.getAttribute('aria-disabled') === 'true';
  }

  // ---------------------------------------------------------------------
  // Reveal
  // ---------------------------------------------------------------------

  // A button that reveals one masked number, and the place for it.
  function renderReveal(conv, key, labelKey, vars, payload) {
    const wrap = make('span', 'reveal');
    const value = make('span', 'revealed-value');
    value.tabIndex = -1;
    const known = conv.revealed.get(key);
    if (known !== undefined) {
      fillRevealed(value, known, payload);
      wrap.append(value);
      return wrap;
    }
    const btn = makeButton('reveal-btn link-btn', labelKey, vars);
    btn.dataset.reveal = key;
    btn.dataset.index = String(payload.index);
    if (payload.message) btn.dataset.message = payload.message;
    if (payload.detail) btn.dataset.detail = payload.detail;
    setBusy(btn, conv.revealing.has(key));
    wrap.append(btn, value);
    return wrap;
  }

  // A revealed number of a message says which one it is ("号码 2：…").
  function fillRevealed(place, value, payload) {
    place.replaceChildren();
    if (payload.message) place.append(makeLabel('span', 'revealed-label', 'revealedN', { n: payload.index + 1 }));
    place.append(value);
  }

  function onRevealClick(btn) {
    const conv = selectedConv();
    if (!conv || isBusy(btn)) return;
    const key = btn.dataset.reveal;
    const frame = { type: 'reveal', conversation: conv.id, index: Number(btn.dataset.index) || 0 };
    if (btn.dataset.message) frame.message = btn.dataset.message;
    else frame.detail = btn.dataset.detail;
    if (!sendReq(frame, { kind: 'reveal', conv: conv.id, key })) {
      showNotice(t('notConnectedYet'));
      return;
    }
    conv.revealing.add(key);
    setBusy(btn, true);
  }

  function onRevealed(frame) {
    const req = str(frame.req);
    const what = state.pending.get(req);
    if (!what || what.kind !== 'reveal') return;
    state.pending.delete(req);
    revealDone(what, str(frame.value));
  }

  // Shows a revealed value in place of its button (value undefined: the
  // reveal failed and the button comes back).
  function revealDone(what, value) {
    const conv = state.convs.get(what.conv);
    if (!conv) return;
    conv.revealing.delete(what.key);
    if (value !== undefined) conv.revealed.set(what.key, value);
    if (conv.id !== state.selected) return;
    for (const btn of document.querySelectorAll(`.reveal-btn[data-reveal="${CSS.escape(what.key)}"]`)) {
      if (value === undefined) {
        setBusy(btn, false);
        continue;
      }
      const place = btn.nextElementSibling;
      const hadFocus = document.activeElement === btn;
      fillRevealed(place, value, { message: btn.dataset.message, index: Number(btn.dataset.index) || 0 });
      btn.remove();
      if (hadFocus) place.focus();
    }
  }

  // ---------------------------------------------------------------------
  // Composer: replies and notes
  // ---------------------------------------------------------------------

  // The draft and note mode kept for a conversation, when it is selected.
  function loadComposer(conv) {
    dom.composerInput.value = conv.draft;
    dom.noteToggle.checked = conv.noteMode;
  }

  // Only the holder may write.
  function renderComposerState(conv) {
    setDisabled([dom.composerInput, dom.composerSend, dom.noteToggle, dom.cannedSelect], !conv.mine);
    updateNoteMode();
    updateCounter();
  }

  // The composer looks different (and says so) while writing a note.
  function updateNoteMode() {
    const note = dom.noteToggle.checked;
    dom.composer.classList.toggle('is-note', note);
    setText(dom.composerLabel, note ? 'composerNoteLabel' : 'composerLabel');
    setText(dom.composerSend, note ? 'saveNote' : 'send');
    dom.composerInput.dataset.i18nAttrs = `placeholder=${note ? 'placeholderNote' : 'placeholder'}`;
    dom.composerInput.placeholder = t(note ? 'placeholderNote' : 'placeholder');
  }

  function updateCounter() {
    const n = charCount(dom.composerInput.value);
    const show = n >= COUNTER_FROM;
    dom.composerCounter.textContent = show ? t('counter', { n, max: MAX_REPLY_CHARS }) : '';
    dom.composerCounter.classList.toggle('over', n > MAX_REPLY_CHARS);
  }

  function onComposerSubmit(ev) {
    ev.preventDefault();
    const conv = selectedConv();
    if (!conv || !conv.mine) return;
    const text = dom.composerInput.value.trim();
    if (!text) return;
    if (charCount(text) > MAX_REPLY_CHARS) {
      showNotice(t('tooLong', { max: MAX_REPLY_CHARS }));
      return;
    }
    const kind = dom.noteToggle.checked ? 'note' : 'reply';
    const cid = newClientId();
    const at = new Date().toISOString();
    const obj = kind === 'reply'
      ? { clientId: cid, from: 'agent', text, at, masked: 0, status: 'pending' }
      : { clientId: cid, agent: state.me ? state.me.id : '', text, at, status: 'pending' };
    const out = { conv: conv.id, kind, obj };
    state.outgoing.set(cid, out);
    if (kind === 'reply') {
      conv.messages.push(obj);
      placeMessage(renderMessage(conv, obj));
      scrollToBottom();
    } else {
      conv.notes.push(obj);
      dom.notesList.append(renderNote(obj));
      dom.notesEmpty.hidden = true;
    }
    dom.composerInput.value = '';
    conv.draft = '';
    updateCounter();
    transmit(out);
    dom.composerInput.focus();
  }

  // Sends (or resends, with the same client_id and a new req) a reply or
  // note.
  function transmit(out) {
    const frame = { type: out.kind, conversation: out.conv, client_id: out.obj.clientId, text: out.obj.text };
    const ok = sendReq(frame, { kind: out.kind, cid: out.obj.clientId, conv: out.conv });
    if (!ok) showNotice(t('notConnectedYet'));
    markOutgoing(out.obj.clientId, ok ? 'pending' : 'failed');
  }

  function markOutgoing(cid, status) {
    const out = state.outgoing.get(cid);
    if (!out) return;
    out.obj.status = status;
    if (status === 'sent') state.outgoing.delete(cid);
    if (out.conv !== state.selected) return;
    const list = out.kind === 'reply' ? dom.transcript : dom.notesList;
    const node = list.querySelector(`[data-client-id="${CSS.escape(cid)}"]`);
    if (node) refreshStatus(node, out.obj);
  }

  function onRetry(btn) {
    const out = state.outgoing.get(btn.dataset.clientId || '');
    if (!out) return;
    transmit(out);
    dom.composerInput.focus(); // the retry button itself goes away
  }

  // Enter sends, Shift+Enter is a new line; Enter that confirms an input
  // method's candidate (pinyin) is left alone.
  function onComposerKey(ev) {
    if (ev.key !== 'Enter' || ev.shiftKey || ev.altKey || ev.isComposing || ev.keyCode === 229) return;
    ev.preventDefault();
    dom.composer.requestSubmit();
  }

  // Canned replies of the UI language first, the others after.
  function renderCanned() {
    const sel = dom.cannedSelect;
    const items = state.cfg.canned;
    const langOf = (c) => (str(c.lang).toLowerCase().startsWith('en') ? 'en' : str(c.lang) ? 'zh' : '');
    const here = items.filter((c) => !langOf(c) || langOf(c) === state.lang);
    const other = items.filter((c) => langOf(c) && langOf(c) !== state.lang);
    sel.replaceChildren(option('', t('cannedPick')));
    for (const [key, list] of [['cannedThisLang', here], ['cannedOtherLang', other]]) {
      if (!list.length) continue;
      const group = make('optgroup');
      group.label = t(key);
      for (const c of list) group.append(option(str(c.id) || c.text, str(c.title) || c.text.slice(0, 30)));
      sel.append(group);
    }
    sel.hidden = items.length === 0;
  }

  function onCannedPick() {
    const id = dom.cannedSelect.value;
    dom.cannedSelect.value = '';
    const c = state.cfg.canned.find((x) => (str(x.id) || x.text) === id);
    if (!c) return;
    const name = state.me ? str(state.me.name) : '';
    const text = name ? c.text.split('{name}').join(name) : c.text;
    const ta = dom.composerInput;
    ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
    ta.focus();
    updateCounter();
  }

  // ---------------------------------------------------------------------
  // Side panel: details, tickets, notes
  // ---------------------------------------------------------------------

  function renderInfo() {
    const conv = selectedConv();
    dom.infoEmpty.hidden = !!conv;
    dom.infoBody.hidden = !conv;
    if (!conv) return;
    const v = conv.view || { details: [] };

    dom.detailsList.replaceChildren(...v.details.map((d) => renderDetail(conv, d)));
    dom.detailsEmpty.hidden = v.details.length > 0;

    dom.ticketsList.replaceChildren(...conv.tickets.map((x) => renderTicket(conv, x)));
    dom.ticketsEmpty.hidden = conv.tickets.length > 0;

    dom.notesList.replaceChildren(...conv.notes.map(renderNote));
    dom.notesEmpty.hidden = conv.notes.length > 0;

    ticketFormReady();
    dom.ticketError.textContent = '';
  }

  // Only the holder opens tickets.
  function ticketFormReady() {
    const conv = selectedConv();
    setDisabled([dom.ticketKind, dom.ticketCategory, dom.ticketSummary, dom.ticketSubmit], !conv || !conv.mine);
  }

  function renderDetail(conv, d) {
    const li = make('li', 'detail');
    li.dataset.key = d.key;
    li.append(make('span', 'detail-label', str(d.label) || d.key), make('span', 'detail-value', str(d.value)));
    if (d.sensitive === true) {
      li.append(renderReveal(conv, `d|${d.key}`, 'revealDetail', null, { detail: d.key, index: 0 }));
    }
    return li;
  }

  function renderTicket(conv, x) {
    const li = make('li', 'item ticket');
    li.dataset.ticket = x.id;
    li.dataset.key = x.id;
    const status = str(x.status);
    const head = make('p', 'item-head');
    head.append(make('span', 'ticket-id', x.id), make('span', 'badge', kindLabel(str(x.kind))),
      make('span', 'badge badge-status', status ? tOr(`ts_${status}`, status) : ''));
    li.append(head);
    if (str(x.category)) li.append(make('p', 'item-line', categoryLabel(x.category)));
    if (str(x.summary)) li.append(make('p', 'ticket-summary', x.summary));

    const risky = x.risk === 'at_risk' || x.risk === 'breached' || x.breached === true;
    if (parseTime(x.resolve_by) && !DONE_TICKET.includes(status)) {
      const due = make('p', 'ticket-due');
      due.classList.toggle('is-risk', risky);
      const left = make('span', 'due-left', dueText(x.resolve_by));
      left.dataset.due = x.resolve_by;
      due.append(left);
      if (risky) due.append(' ', makeLabel('span', 'badge badge-urgent', x.breached === true || x.risk === 'breached' ? 'riskBreached' : 'riskAt'));
      li.append(due);
    }

    const form = make('form', 'ticket-update');
    const sel = make('select', 'ticket-status field');
    sel.setAttribute('aria-label', t('ticketNewStatus'));
    for (const s of TICKET_MOVES) sel.append(option(s, t(`ts_${s}`)));
    sel.value = status === 'in_progress' ? 'resolved' : 'in_progress';
    const note = make('input', 'ticket-note field');
    note.type = 'text';
    note.maxLength = 500;
    note.setAttribute('aria-label', t('ticketNote'));
    note.placeholder = t('ticketNotePh');
    const btn = make('button', 'ticket-update-btn btn', t('ticketUpdate'));
    btn.type = 'submit';
    btn.setAttribute('aria-label', t('ticketUpdateLabel', { id: x.id }));
    setDisabled([sel, note, btn], !conv.mine);
    form.append(sel, note, btn);
    li.append(form);
    return li;
  }

  function dueText(iso) {
    const left = parseTime(iso) - Date.now();
    return left >= 0 ? t('dueLeft', { time: duration(left) }) : t('dueOver', { time: duration(-left) });
  }

  function onTicketUpdate(ev) {
    const form = ev.target.closest('form.ticket-update');
    if (!form) return;
    ev.preventDefault();
    const conv = selectedConv();
    const li = form.closest('[data-ticket]');
    const btn = form.querySelector('.ticket-update-btn');
    if (!conv || !li || isBusy(btn)) return;
    const ticket = li.dataset.ticket;
    const frame = {
      type: 'ticket_update',
      conversation: conv.id,
      ticket,
      status: form.querySelector('.ticket-status').value,
      note: form.querySelector('.ticket-note').value.trim(),
    };
    if (!sendReq(frame, { kind: 'ticket_update', conv: conv.id, ticket })) {
      showNotice(t('notConnectedYet'));
      return;
    }
    setTicketBusy(ticket, true, false);
  }

  // Waiting for an answer about a ticket: its button is off; on success
  // its note field is cleared.
  function setTicketBusy(ticket, busy, clear) {
    const li = dom.ticketsList.querySelector(`[data-ticket="${CSS.escape(ticket)}"]`);
    if (!li) return;
    setBusy(li.querySelector('.ticket-update-btn'), busy);
    if (clear) li.querySelector('.ticket-note').value = '';
  }

  function fillTicketForm() {
    const kinds = state.cfg.ticketKinds.length ? state.cfg.ticketKinds : DEFAULT_TICKET_KINDS;
    const kindNow = dom.ticketKind.value;
    dom.ticketKind.replaceChildren(...kinds.map((k) => option(kindId(k), kindLabel(kindId(k)))));
    if (kindNow) dom.ticketKind.value = kindNow;
    fillCategories();
  }

  // Categories that name a kind are offered for that kind only.
  function fillCategories() {
    const kind = dom.ticketKind.value;
    const cats = state.cfg.categories.filter((c) => !str(c.kind) || c.kind === kind);
    const now = dom.ticketCategory.value;
    dom.ticketCategory.replaceChildren(option('', t('pickCategory')),
      ...cats.map((c) => option(categoryId(c), bilingual(c, categoryId(c)))));
    if (cats.some((c) => categoryId(c) === now)) dom.ticketCategory.value = now;
    dom.ticketCategoryField.hidden = cats.length === 0;
    dom.ticketForm.hidden = !state.cfg.tickets;
  }

  function onTicketOpen(ev) {
    ev.preventDefault();
    const conv = selectedConv();
    if (!conv || !conv.mine || isBusy(dom.ticketSubmit)) return;
    const summary = dom.ticketSummary.value.trim();
    const needCategory = !dom.ticketCategoryField.hidden;
    if (needCategory && !dom.ticketCategory.value) {
      setText(dom.ticketError, 'needCategory');
      dom.ticketCategory.focus();
      return;
    }
    if (!summary) {
      setText(dom.ticketError, 'needSummary');
      dom.ticketSummary.focus();
      return;
    }
    dom.ticketError.textContent = '';
    const frame = {
      type: 'ticket_open',
      conversation: conv.id,
      kind: dom.ticketKind.value,
      category: needCategory ? dom.ticketCategory.value : '',
      summary,
    };
    if (!sendReq(frame, { kind: 'ticket_open', conv: conv.id })) {
      showNotice(t('notConnectedYet'));
      return;
    }
    setBusy(dom.ticketSubmit, true);
  }

  function renderNote(n) {
    const li = make('li', 'item note-item');
    if (n.id) li.dataset.key = n.id;
    if (n.clientId && n.status) li.dataset.clientId = n.clientId;
    const meta = make('p', 'note-meta');
    meta.append(make('span', 'note-agent', agentName(n.agent)), ' ', timeEl(n.at));
    if (n.status) meta.append(' ', renderStatus(n));
    li.append(meta, make('p', 'note-text', n.text));
    return li;
  }

  // ---------------------------------------------------------------------
  // Dialogs: transfer and close
  // ---------------------------------------------------------------------

  function openDialog(dialog, opener, first) {
    const conv = selectedConv();
    if (!conv || !conv.mine) return;
    dialog.dataset.conversation = conv.id;
    dialog.querySelector('.form-error').textContent = '';
    dialogBusy(dialog, false);
    state.dialogOpener = opener;
    dialog.showModal();
    first.focus();
  }

  function dialogBusy(dialog, busy) {
    setBusy(dialog.querySelector('button[type="submit"]'), busy);
  }

  function finishDialog(dialog) {
    dialogBusy(dialog, false);
    if (dialog.open) dialog.close();
  }

  // Focus goes back to the button that opened the dialog (or, when that
  // is gone or disabled, to the conversation pane).
  function onDialogClose() {
    const opener = state.dialogOpener;
    state.dialogOpener = null;
    if (opener && opener.isConnected && !opener.disabled && !opener.closest('[hidden]')) opener.focus();
    else dom.convPane.focus();
  }

  function openTransfer() {
    fillTransferTargets();
    dom.transferNote.value = '';
    openDialog(dom.transferDialog, dom.transferBtn, dom.transferTarget);
  }

  // Groups (back to their queue) and the other agents, those who cannot
  // take it now disabled.
  function fillTransferTargets() {
    const sel = dom.transferTarget;
    const now = sel.value;
    sel.replaceChildren(option('', t('pick')));
    if (state.cfg.groups.length) {
      const g = make('optgroup');
      g.label = t('groupsOpt');
      for (const grp of state.cfg.groups) {
        const id = groupId(grp);
        g.append(option(`group:${id}`, t('toGroup', { group: groupLabel(id) })));
      }
      sel.append(g);
    }
    const others = state.agents.filter((a) => !state.me || a.id !== state.me.id);
    if (others.length) {
      const g = make('optgroup');
      g.label = t('agentsOpt');
      for (const a of others) {
        const load = int(a.load, 0);
        const max = int(a.max_concurrent, 0);
        const connected = a.connected !== false;
        let text = t('agentOption', { name: str(a.name) || a.id, state: stateLabel(str(a.state)), load, max });
        if (!connected) text += ` · ${t('notConnected')}`;
        g.append(option(`agent:${a.id}`, text, !connected || a.state !== 'ready' || load >= max));
      }
      sel.append(g);
    }
    const still = [...sel.options].find((o) => o.value === now && !o.disabled);
    sel.value = still ? now : '';
  }

  function onTransferSubmit(ev) {
    ev.preventDefault();
    const target = dom.transferTarget.value;
    const conversation = dom.transferDialog.dataset.conversation;
    if (!target) {
      setText(dom.transferError, 'pickTarget');
      dom.transferTarget.focus();
      return;
    }
    const frame = { type: 'transfer', conversation, note: dom.transferNote.value.trim() };
    const sep = target.indexOf(':');
    frame[target.slice(0, sep) === 'group' ? 'group' : 'agent'] = target.slice(sep + 1);
    sendDialogFrame(dom.transferDialog, frame, 'transfer');
  }

  function openClose() {
    fillCloseCodes();
    dom.closeSummary.value = '';
    openDialog(dom.closeDialog, dom.closeBtn, dom.closeCode);
  }

  function fillCloseCodes() {
    const now = dom.closeCode.value;
    dom.closeCode.replaceChildren(option('', t('pick')),
      ...state.cfg.wrapCodes.map((c) => option(c.code, bilingual(c, c.code))));
    if (state.cfg.wrapCodes.some((c) => c.code === now)) dom.closeCode.value = now;
  }

  function onCloseSubmit(ev) {
    ev.preventDefault();
    const code = dom.closeCode.value;
    if (!code) {
      setText(dom.closeError, 'pickCode');
      dom.closeCode.focus();
      return;
    }
    const frame = {
      type: 'close',
      conversation: dom.closeDialog.dataset.conversation,
      code,
      summary: dom.closeSummary.value.trim(),
    };
    sendDialogFrame(dom.closeDialog, frame, 'close');
  }

  function sendDialogFrame(dialog, frame, kind) {
    if (isBusy(dialog.querySelector('button[type="submit"]'))) return;
    dialog.querySelector('.form-error').textContent = '';
    if (!sendReq(frame, { kind, conv: frame.conversation })) {
      setText(dialog.querySelector('.form-error'), 'notConnectedYet');
      return;
    }
    dialogBusy(dialog, true);
  }

  // ---------------------------------------------------------------------
  // Tabs (phones) and keyboard
  // ---------------------------------------------------------------------

  const TABS = { queue: 'tab-queue', chat: 'tab-chat', info: 'tab-info' };

  function setTab(name, focus) {
    state.tab = name;
    for (const [key, id] of Object.entries(TABS)) {
      const tab = document.getElementById(id);
      const on = key === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).classList.toggle('is-active', on);
      if (on && focus) tab.focus();
    }
  }

  function onTabClick(ev) {
    const tab = ev.target.closest('[role="tab"]');
    if (!tab) return;
    const name = Object.keys(TABS).find((k) => TABS[k] === tab.id);
    if (name) setTab(name);
  }

  // Arrow keys, Home and End move between the tabs.
  function onTabKey(ev) {
    const names = Object.keys(TABS);
    let at = names.indexOf(state.tab);
    if (ev.key === 'ArrowRight') at = (at + 1) % names.length;
    else if (ev.key === 'ArrowLeft') at = (at - 1 + names.length) % names.length;
    else if (ev.key === 'Home') at = 0;
    else if (ev.key === 'End') at = names.length - 1;
    else return;
    ev.preventDefault();
    setTab(names[at], true);
  }

  function onGlobalKey(ev) {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown') return;
    if (dom.console.hidden || document.querySelector('dialog[open]')) return;
    ev.preventDefault();
    moveSelection(ev.key === 'ArrowDown' ? 1 : -1);
  }

  // Clicks inside lists that are re-rendered are handled where they land.
  function onDocumentClick(ev) {
    const reveal = ev.target.closest('.reveal-btn');
    if (reveal) {
      onRevealClick(reveal);
      return;
    }
    const retry = ev.target.closest('.retry-btn');
    if (retry) onRetry(retry);
  }

  // ---------------------------------------------------------------------
  // Clocks: waiting times, wrap-up countdown, ticket deadlines
  // ---------------------------------------------------------------------

  function tick() {
    if (dom.console.hidden) return;
    const now = Date.now();
    for (const el of dom.queueList.querySelectorAll('.wait-time[data-since]')) {
      const text = clock(now - parseTime(el.dataset.since));
      if (el.textContent !== text) el.textContent = text;
    }
    for (const el of dom.ticketsList.querySelectorAll('.due-left[data-due]')) {
      const text = dueText(el.dataset.due);
      if (el.textContent !== text) el.textContent = text;
    }
    updateCountdown();
  }

  // ---------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------

  function bindEvents() {
    dom.signinForm.addEventListener('submit', onSignIn);
    dom.signoutBtn.addEventListener('click', signOut);
    dom.langBtn.addEventListener('click', switchLanguage);
    dom.stateSelect.addEventListener('change', onStateChange);
    dom.queueList.addEventListener('click', onQueueClick);
    dom.mineList.addEventListener('click', onMineClick);
    dom.composer.addEventListener('submit', onComposerSubmit);
    dom.composerInput.addEventListener('keydown', onComposerKey);
    dom.composerInput.addEventListener('input', updateCounter);
    dom.noteToggle.addEventListener('change', updateNoteMode);
    dom.cannedSelect.addEventListener('change', onCannedPick);
    dom.ticketsList.addEventListener('submit', onTicketUpdate);
    dom.ticketForm.addEventListener('submit', onTicketOpen);
    dom.ticketKind.addEventListener('change', fillCategories);
    dom.transferBtn.addEventListener('click', openTransfer);
    dom.closeBtn.addEventListener('click', openClose);
    dom.transferForm.addEventListener('submit', onTransferSubmit);
    dom.closeForm.addEventListener('submit', onCloseSubmit);
    for (const d of [dom.transferDialog, dom.closeDialog]) {
      d.addEventListener('close', onDialogClose);
      d.querySelector('.dialog-cancel').addEventListener('click', () => d.close());
    }
    dom.tabbar.addEventListener('click', onTabClick);
    dom.tabbar.addEventListener('keydown', onTabKey);
    document.addEventListener('keydown', onGlobalKey);
    document.addEventListener('click', onDocumentClick);
    window.addEventListener('online', () => {
      if (state.me && !state.ws) connect();
    });
  }

  function init() {
    // dom.fooBar is the element with id "foo-bar".
    for (const el of document.querySelectorAll('[id]')) {
      dom[el.id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = el;
    }
    state.lang = store.get(LANG_KEY) === 'en' ? 'en' : 'zh'; // Chinese first
    bindEvents();
    applyLanguage();
    setTab('queue');
    setInterval(tick, 1000);
    boot();
  }

  init();
})();
