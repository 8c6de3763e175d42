// Hotline supervisors' dashboard. It signs in with the agent console's
// session, reads the reports API and draws everything with DOM calls:
// text from the server (subscribers' questions, agents' names) only ever
// goes into text nodes, never into markup.
(function () {
  'use strict';

  const API = '/api/v1/reports/';
  const LIVE_EVERY_MS = 15000;
  const GAPS_PAGE = 20;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const SERIES = 6; // colours and patterns in dashboard.css

  const CHANNELS = {
    webchat: ['网页聊天', 'Web chat'],
    wechat: ['微信', 'WeChat'],
    sms: ['短信', 'SMS'],
    api: ['后台接口', 'Back-office API'],
  };
  const KINDS = {
    fault: ['故障报修', 'Fault'],
    complaint: ['投诉', 'Complaint'],
    request: ['业务办理', 'Request'],
  };
  const STATES = {
    ready: ['就绪', 'Ready', '●'],
    busy: ['忙碌', 'Busy', '◆'],
    wrap_up: ['整理中', 'Wrap-up', '◐'],
    break: ['小休', 'Break', '‖'],
    offline: ['离线', 'Offline', '○'],
  };
  const STATE_ORDER = ['ready', 'busy', 'wrap_up', 'break', 'offline'];
  const GROUPS = {
    '': ['全部坐席', 'Any agent'],
    broadband: ['宽带', 'Broadband'],
    mobile: ['移动业务', 'Mobile'],
    billing: ['账单', 'Billing'],
    complaints: ['投诉', 'Complaints'],
  };
  const CSV_NAMES = {
    daily: ['每日访问量', 'daily visits'],
    channels: ['渠道', 'channels'],
    tickets: ['工单时效', 'ticket deadlines'],
    satisfaction: ['满意度', 'satisfaction'],
    gaps: ['知识库缺口', 'knowledge-base gaps'],
  };

  const state = {
    period: { days: 30 },  // or { from, to }
    tz: '',
    summary: null,
    gaps: [],
    gapsShown: GAPS_PAGE,
    epoch: 0,              // bumps on every load, so late answers are dropped
    liveTimer: 0,
    liveEpoch: 0,
    liveText: '',
    metric: 'visits',      // the daily chart's: visits or tickets
    view: '',
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------
  // DOM helpers
  // ---------------------------------------------------------------------

  // el builds an element; children are nodes or strings (text nodes).
  function el(tag, cls, ...children) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const c of children) append(e, c);
    return e;
  }

  function append(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach((x) => append(parent, x)); return; }
    parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }

  // bi is Chinese text with its English beside it (or under it, by CSS).
  function bi(zh, en) {
    const f = document.createDocumentFragment();
    f.appendChild(document.createTextNode(zh + ' '));
    const s = el('span', 'en', en);
    s.lang = 'en';
    f.appendChild(s);
    return f;
  }

  function label(map, key) {
    const l = map[key];
    return l ? bi(l[0], l[1]) : document.createTextNode(key);
  }

  function labelText(map, key) {
    const l = map[key];
    return l ? l[0] + ' ' + l[1] : key;
  }

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // table builds a table from header cells and rows of cells; the first
  // cell of each row is its header.
  function table(caption, head, rows, total) {
    const t = el('table');
    if (caption) t.appendChild(el('caption', 'visually-hidden', caption));
    const tr = el('tr');
    head.forEach((h) => { const th = el('th', '', h); th.scope = 'col'; tr.appendChild(th); });
    t.appendChild(el('thead', '', tr));
    const body = el('tbody');
    const addRow = (cells, cls) => {
      const r = el('tr', cls || '');
      cells.forEach((c, i) => {
        const cell = el(i === 0 ? 'th' : 'td', '', c);
        if (i === 0) cell.scope = 'row';
        r.appendChild(cell);
      });
      body.appendChild(r);
    };
    rows.forEach((r) => addRow(r));
    if (total) addRow(total, 'total');
    t.appendChild(body);
    return t;
  }

  // ---------------------------------------------------------------------
  // Formatting
  // ---------------------------------------------------------------------

  const numFmt = new Intl.NumberFormat('zh-CN');
  function num(n) { return numFmt.format(n || 0); }

  function pct(rate) { return (rate * 100).toFixed(1) + '%'; }

  // pctOf is a rate, or a dash when there was nothing to divide.
  function pctOf(rate, whole) { return whole > 0 ? pct(rate) : '—'; }

  // dur is a number of seconds in words: [Chinese, English].
  function dur(secs) {
    secs = Math.max(0, Math.round(secs || 0));
    if (secs < 60) return [secs + '秒', secs + ' s'];
    const d = Math.floor(secs / 86400);
    const h = Math.floor((secs % 86400) / 3600);
    const m = Math.floor((secs % 3600) / 60);
    const s = secs % 60;
    if (secs < 3600) {
      return s ? [m + '分' + s + '秒', m + ' min ' + s + ' s'] : [m + '分钟', m + ' min'];
    }
    if (secs < 86400) {
      return m ? [h + '小时' + m + '分', h + ' h ' + m + ' min'] : [h + '小时', h + ' h'];
    }
    return h ? [d + '天' + h + '小时', d + ' d ' + h + ' h'] : [d + '天', d + ' d'];
  }

  function durNode(secs) { const [zh, en] = dur(secs); return bi(zh, en); }

  function durText(secs) { const [zh, en] = dur(secs); return zh + ' (' + en + ')'; }

  function dateParts(date, tz) {
    const opts = { year: 'numeric', month: '2-digit', day: '2-digit' };
    if (tz) opts.timeZone = tz;
    let parts;
    try {
      parts = new Intl.DateTimeFormat('en-US', opts).formatToParts(date);
    } catch (e) {
      delete opts.timeZone;
      parts = new Intl.DateTimeFormat('en-US', opts).formatToParts(date);
    }
    const get = (t) => (parts.find((p) => p.type === t) || {}).value;
    return get('year') + '-' + get('month') + '-' + get('day');
  }

  function today() { return dateParts(new Date(), state.tz); }

  // addDays moves a YYYY-MM-DD date by n days.
  function addDays(date, n) {
    const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + n * 86400000;
    return new Date(t).toISOString().slice(0, 10);
  }

  function daysBetween(from, to) {
    const out = [];
    for (let d = from; d <= to && out.length < 800; d = addDays(d, 1)) out.push(d);
    return out;
  }

  function dateTime(iso) {
    const opts = { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (state.tz) opts.timeZone = state.tz;
    try {
      return new Intl.DateTimeFormat('zh-CN', opts).format(new Date(iso));
    } catch (e) {
      return iso;
    }
  }

  // clock is a time of day on the viewer's own clock.
  function clock(iso) {
    const opts = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    try {
      return new Intl.DateTimeFormat('zh-CN', opts).format(new Date(iso));
    } catch (e) {
      return iso;
    }
  }

  // ---------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------

  // call answers {status, data}; status 0 when the server was unreachable.
  async function call(method, path, body) {
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
      return { status: res.status, data: data && typeof data === 'object' ? data : null };
    } catch (e) {
      return { status: 0, data: null };
    }
  }

  // ---------------------------------------------------------------------
  // Views: sign-in, refusal, dashboard
  // ---------------------------------------------------------------------

  function setStatus(text) {
    $('status').textContent = text || '';
  }

  function show(view) {
    state.view = view;
    $('signin-view').hidden = view !== 'signin';
    $('denied-view').hidden = view !== 'denied';
    $('dash').hidden = view !== 'dash';
    if (view !== 'dash') {
      stopLive();
      state.epoch++;
      state.summary = null;
      clearFigures();
    }
  }

  function clearFigures() {
    ['kpis', 'daily-legend', 'daily-chart', 'daily-table', 'rates-legend', 'rates-chart', 'rates-table',
      'kinds-chart', 'ontime-chart', 'sat-chart', 'channels-table', 'sat-table', 'kinds-table', 'gaps', 'live-queue', 'live-states', 'live-roster', 'live-convs',
      'live-tickets'].forEach((id) => clear($(id)));
    $('live-summary').textContent = '';
    $('live-at').textContent = '';
    state.liveText = '';
    CHARTS.forEach((c) => { c.width = 0; });
    delete $('dash').dataset.from;
    delete $('dash').dataset.to;
  }

  function showSignIn(message) {
    show('signin');
    $('me-box').hidden = true;
    $('signin-error').textContent = message || '';
    $('signin-name').focus();
  }

  function showDenied() {
    show('denied');
    const h = $('denied-title');
    h.tabIndex = -1;
    h.focus();
  }

  function setMe(agent) {
    $('me-name').textContent = agent.name || agent.id || '';
    $('me-box').hidden = false;
  }

  function enter(agent, fromForm) {
    setMe(agent);
    setStatus('');
    if (agent.role !== 'supervisor') {
      showDenied();
      return;
    }
    show('dash');
    if (fromForm) $('main').focus();
    loadFigures();
    startLive();
  }

  async function boot() {
    readPeriodFromURL();
    const res = await call('GET', '/agent/api/me');
    if (res.status === 200 && res.data && res.data.agent) {
      enter(res.data.agent, false);
    } else if (res.status === 401) {
      showSignIn('');
    } else {
      setStatus('无法连接服务器，5 秒后重试。 Cannot reach the server; trying again in 5 seconds.');
      setTimeout(boot, 5000);
    }
  }

  async function onSignIn(ev) {
    ev.preventDefault();
    const btn = $('signin-submit');
    if (btn.disabled) return;
    const name = $('signin-name').value.trim();
    const password = $('signin-password').value;
    const err = $('signin-error');
    if (!name || !password) {
      err.textContent = '请输入账号和密码。 Please enter your user name and password.';
      (name ? $('signin-password') : $('signin-name')).focus();
      return;
    }
    err.textContent = '';
    btn.disabled = true;
    const res = await call('POST', '/agent/api/signin', { name, password });
    btn.disabled = false;
    if (res.status === 200 && res.data && res.data.agent) {
      $('signin-password').value = '';
      enter(res.data.agent, true);
      return;
    }
    if (res.status === 401) {
      err.textContent = '账号或密码不正确。 Wrong user name or password.';
      $('signin-password').value = '';
      $('signin-password').focus();
    } else if (res.status === 429) {
      const wait = (res.data && res.data.retry_after) || 60;
      err.textContent = '尝试次数过多，请 ' + wait + ' 秒后再试。 Too many attempts; try again in ' + wait + ' s.';
    } else if (res.status === 0) {
      err.textContent = '无法连接服务器，请检查网络。 Cannot reach the server.';
    } else {
      err.textContent = '登录未成功，请稍后再试。 Sign-in did not succeed; please try again later.';
    }
  }

  async function signOut() {
    await call('POST', '/agent/api/signout');
    showSignIn('');
  }

  // ---------------------------------------------------------------------
  // Period
  // ---------------------------------------------------------------------

  function readPeriodFromURL() {
    const q = new URLSearchParams(location.search);
    const from = q.get('from');
    const to = q.get('to');
    const days = +q.get('days');
    const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '');
    if (isDate(from) && isDate(to)) state.period = { from, to };
    else if ([7, 30, 90].includes(days)) state.period = { days };
  }

  function writePeriodToURL() {
    const p = state.period;
    const q = p.days ? '?days=' + p.days : '?from=' + p.from + '&to=' + p.to;
    try { history.replaceState(null, '', location.pathname + q); } catch (e) { /* a file: page */ }
  }

  // periodQuery is the from and to of the chosen period; the API's
  // default (30 days to today) before the time zone is known.
  function periodQuery() {
    const p = state.period;
    if (p.from) return { from: p.from, to: p.to };
    if (!state.tz && p.days === 30) return null;
    const to = today();
    return { from: addDays(to, 1 - p.days), to };
  }

  function qs(span, extra) {
    const q = new URLSearchParams();
    if (span) { q.set('from', span.from); q.set('to', span.to); }
    if (extra) for (const k in extra) q.set(k, extra[k]);
    const s = q.toString();
    return s ? '?' + s : '';
  }

  function markPeriodButtons() {
    document.querySelectorAll('.seg-btn').forEach((b) => {
      b.setAttribute('aria-pressed', String(+b.dataset.days === state.period.days));
    });
  }

  function onPeriodButton(ev) {
    const b = ev.currentTarget;
    state.period = { days: +b.dataset.days };
    $('period-error').textContent = '';
    markPeriodButtons();
    writePeriodToURL();
    loadFigures();
  }

  function onCustom(ev) {
    ev.preventDefault();
    const from = $('from-date').value;
    const to = $('to-date').value;
    const err = $('period-error');
    if (!from || !to) {
      err.textContent = '请选择开始和结束日期。 Please choose both dates.';
      return;
    }
    if (from > to) {
      err.textContent = '开始日期不能晚于结束日期。 The start date is after the end date.';
      return;
    }
    err.textContent = '';
    state.period = { from, to };
    markPeriodButtons();
    writePeriodToURL();
    loadFigures();
  }

  // ---------------------------------------------------------------------
  // Figures of the period
  // ---------------------------------------------------------------------

  async function loadFigures() {
    const epoch = ++state.epoch;
    const span = periodQuery();
    markPeriodButtons();
    $('dash').setAttribute('aria-busy', 'true');
    $('period-text').textContent = '正在加载… Loading…';
    const [s, g] = await Promise.all([call('GET', API + 'summary' + qs(span)), call('GET', API + 'gaps' + qs(span))]);
    if (epoch !== state.epoch) return;
    $('dash').removeAttribute('aria-busy');
    if (s.status === 401 || g.status === 401) {
      showSignIn('登录已过期，请重新登录。 Your session ended; please sign in again.');
      return;
    }
    if (s.status === 403 || g.status === 403) {
      showDenied();
      return;
    }
    if (s.status === 400 && s.data) {
      $('period-error').textContent = '周期无效：' + (s.data.reason || '') + ' Invalid period.';
      $('period-text').textContent = '';
      return;
    }
    if (s.status !== 200 || !s.data) {
      setStatus('统计数据暂时无法读取，请稍后刷新。 The figures cannot be read now; please refresh shortly.');
      $('period-text').textContent = '';
      return;
    }
    setStatus('');
    const sum = s.data;
    state.summary = sum;
    state.tz = sum.timezone || state.tz;
    state.gaps = g.status === 200 && g.data && Array.isArray(g.data.gaps) ? g.data.gaps : [];
    state.gapsShown = GAPS_PAGE;

    $('from-date').value = sum.from;
    $('to-date').value = sum.to;
    $('from-date').max = $('to-date').max = today();
    const n = sum.from && sum.to ? daysBetween(sum.from, sum.to).length : 0;
    $('period-text').textContent = sum.from + ' 至 ' + sum.to + '，共 ' + n + ' 天 · ' + n + ' days, ' +
      sum.from + ' to ' + sum.to + ' · 时区 Time zone ' + sum.timezone;
    $('dash').dataset.from = sum.from;
    $('dash').dataset.to = sum.to;

    setCSVLinks({ from: sum.from, to: sum.to });
    renderKPIs(sum);
    CHARTS.forEach((c) => { c.width = 0; });
    renderRates(sum);
    renderDaily(sum);
    renderChannels(sum);
    renderSatisfaction(sum);
    renderKinds(sum);
    renderGaps(g.status === 200);
  }

  function setCSVLinks(span) {
    document.querySelectorAll('a.csv').forEach((a) => {
      const r = a.dataset.report;
      a.href = API + r + qs(span, { format: 'csv' });
      const n = CSV_NAMES[r] || [r, r];
      a.setAttribute('aria-label', '下载' + n[0] + ' CSV（' + span.from + ' 至 ' + span.to + '） Download ' +
        n[1] + ' as CSV');
    });
  }

  // ---- KPI tiles ----

  function onTime(kinds, part) {
    let count = 0;
    let on = 0;
    for (const k of kinds) {
      const c = (k[part] && k[part].count) || 0;
      count += c;
      on += Math.round((part === 'response' ? k.response_on_time : k.resolution_on_time) * c);
    }
    return { count, on, rate: count ? on / count : 0 };
  }

  function renderKPIs(s) {
    const t = s.totals;
    const asked = t.answered + t.unanswered;
    const fr = s.first_reply;
    const resp = onTime(s.kinds, 'response');
    const res = onTime(s.kinds, 'resolution');
    const none = bi('暂无数据', 'No data yet');
    const tiles = [
      { key: 'visits', zh: '访问量', en: 'Visits', value: num(t.visits),
        note: bi('新建工单 ' + num(t.tickets) + ' 张', num(t.tickets) + ' tickets') },
      { key: 'self_service', zh: '自助解决率', en: 'Self-service rate', value: pctOf(t.self_service_rate, t.visits),
        note: t.visits ? num(t.self_service) + ' / ' + num(t.visits) : none },
      { key: 'handoff', zh: '转人工率', en: 'Hand-off rate', value: pctOf(t.handoff_rate, t.visits),
        note: t.visits ? num(t.handoffs) + ' / ' + num(t.visits) : none.cloneNode(true) },
      { key: 'kb_hit', zh: '知识库命中率', en: 'Knowledge-base hit rate', value: pctOf(t.kb_hit_rate, asked),
        note: asked ? bi(num(t.answered) + ' / ' + num(asked) + ' 个问题', 'questions') : none.cloneNode(true) },
      { key: 'first_reply', zh: '首次回复时长', en: 'First reply (p50 / p90)', pair: true,
        value: fr.count ? dur(fr.p50_secs)[0] + ' / ' + dur(fr.p90_secs)[0] : '—',
        sub: fr.count ? dur(fr.p50_secs)[1] + ' / ' + dur(fr.p90_secs)[1] : '',
        note: fr.count ? bi('共 ' + num(fr.count) + ' 次转人工回复', num(fr.count) + ' hand-offs answered')
          : none.cloneNode(true) },
      { key: 'responded', zh: '工单按时响应', en: 'Tickets responded on time', value: pctOf(resp.rate, resp.count),
        note: resp.count ? bi(num(resp.on) + ' / ' + num(resp.count) + ' 张', 'tickets') : none.cloneNode(true) },
      { key: 'resolved', zh: '工单按时解决', en: 'Tickets resolved on time', value: pctOf(res.rate, res.count),
        note: res.count ? bi(num(res.on) + ' / ' + num(res.count) + ' 张', 'tickets') : none.cloneNode(true) },
    ];
    const list = $('kpis');
    clear(list);
    for (const k of tiles) {
      const li = el('li', 'kpi');
      li.dataset.kpi = k.key;
      li.appendChild(el('span', 'kpi-label', bi(k.zh, k.en)));
      li.appendChild(el('span', 'kpi-value' + (k.pair ? ' kpi-pair' : ''), k.value));
      if (k.sub) { const sub = el('span', 'kpi-note en', k.sub); sub.lang = 'en'; li.appendChild(sub); }
      li.appendChild(el('span', 'kpi-note', k.note));
      list.appendChild(li);
    }
  }

  // ---- Charts ----

  // Every chart is drawn at its box's width, so its labels keep their
  // size on a phone and on a wide screen; a chart is drawn again when its
  // box changes width.
  const CHARTS = [
    { id: 'daily-chart', draw: drawDaily },
    { id: 'rates-chart', draw: drawRates },
    { id: 'kinds-chart', draw: drawKinds },
    { id: 'ontime-chart', draw: drawOnTime },
    { id: 'sat-chart', draw: drawSatisfaction },
  ];

  function drawCharts(force) {
    const s = state.summary;
    if (!s) return;
    for (const c of CHARTS) {
      const box = $(c.id);
      if (box.offsetParent === null) continue;
      const width = Math.max(260, Math.floor(box.clientWidth));
      if (!force && width === c.width) continue;
      c.width = width;
      const root = c.draw(s, width);
      clear(box);
      box.appendChild(root);
    }
  }

  // chartRoot is a chart's <svg>: an image whose label says its numbers.
  function chartRoot(width, height, title, desc) {
    const root = svg('svg', { width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': desc });
    root.appendChild(svg('title', {})).textContent = title;
    return root;
  }

  // text is an SVG text; en, when given, follows the Chinese in smaller type.
  function text(x, y, zh, attrs, en) {
    const t = svg('text', Object.assign({ x, y }, attrs || {}));
    t.appendChild(document.createTextNode(zh));
    if (en) {
      const e = svg('tspan', { class: 'en-t', dx: 4 });
      e.textContent = en;
      t.appendChild(e);
    }
    return t;
  }

  function tip(parent, s) {
    parent.appendChild(svg('title', {})).textContent = s;
  }

  // textWidth is about how wide s is at the charts' 11 px.
  function textWidth(s) {
    let w = 0;
    for (const ch of s) w += ch.codePointAt(0) >= 0x2e80 ? 11 : 6.2;
    return w;
  }

  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  // seriesOf gives every channel of the period its colour and pattern, the
  // same for visits and tickets, and answers those with a figure of the
  // metric: the back office's API opens tickets, not visits.
  function seriesOf(s, metric) {
    const names = [];
    for (const c of s.channels) if (c.visits > 0 || c.tickets > 0) names.push(c.channel);
    for (const d of s.daily) if ((d.visits > 0 || d.tickets > 0) && !names.includes(d.channel)) names.push(d.channel);
    const has = new Set(s.daily.filter((d) => d[metric] > 0).map((d) => d.channel));
    return names.map((name, i) => ({ name, n: (i % SERIES) + 1 })).filter((x) => has.has(x.name));
  }

  // ensurePatterns adds, once, the fills that tell the series apart by
  // texture as well as colour.
  function ensurePatterns() {
    if (document.getElementById('series-patterns')) return;
    const s = svg('svg', { id: 'series-patterns', width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false' });
    s.classList.add('visually-hidden');
    const defs = svg('defs', {});
    const marks = {
      1: [],
      2: [['path', { d: 'M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2', class: 'pattern-mark' }]],
      3: [['circle', { cx: 2, cy: 2, r: 1.3, class: 'pattern-dot' }], ['circle', { cx: 6, cy: 6, r: 1.3, class: 'pattern-dot' }]],
      4: [['path', { d: 'M0,2 h8 M0,6 h8', class: 'pattern-mark' }]],
      5: [['path', { d: 'M0,0 l8,8 M8,0 l-8,8', class: 'pattern-mark' }]],
      6: [['path', { d: 'M2,0 v8 M6,0 v8', class: 'pattern-mark' }]],
    };
    for (let n = 1; n <= SERIES; n++) {
      const p = svg('pattern', { id: 'pat-' + n, width: 8, height: 8, patternUnits: 'userSpaceOnUse' });
      p.appendChild(svg('rect', { width: 8, height: 8, class: 'series-' + n }));
      for (const [tag, attrs] of marks[n]) {
        const m = svg(tag, attrs);
        m.classList.add('pattern-on-' + n);
        p.appendChild(m);
      }
      defs.appendChild(p);
    }
    // Bars of few ratings: the first colour, widely hatched.
    const few = svg('pattern', { id: 'pat-few', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)' });
    few.appendChild(svg('rect', { width: 6, height: 6, class: 'series-1' }));
    few.appendChild(svg('rect', { width: 3, height: 6, class: 'pattern-dot' }));
    defs.appendChild(few);
    s.appendChild(defs);
    document.body.appendChild(s);
  }

  function niceStep(max, ticks) {
    const raw = Math.max(max / ticks, 1);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  function periodDaysOf(s) { return s.from && s.to ? daysBetween(s.from, s.to) : []; }

  function swatch(fill, cls) {
    const sw = svg('svg', { width: 16, height: 12, 'aria-hidden': 'true', focusable: 'false' });
    sw.appendChild(svg('rect', { width: 16, height: 12, fill, class: cls || '' }));
    return sw;
  }

  // dateAxis writes a day's MM-DD under every few slots of a day axis.
  // The last one keeps inside the chart's right edge.
  function dateAxis(g, days, m, slot, pw, y) {
    const n = days.length;
    const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(pw / 46))));
    const edge = m.left + pw + m.right;
    days.forEach((d, i) => {
      if (i % every !== 0 && i !== n - 1) return;
      if (i === n - 1 && i % every !== 0 && (n - 1) % every < every / 2) return;
      const x = m.left + slot * (i + 0.5);
      const atEdge = x + 17 > edge;
      g.appendChild(text(atEdge ? edge - 1 : x, y, d.slice(5), { 'text-anchor': atEdge ? 'end' : 'middle' }));
    });
  }

  // ---- Daily visits or tickets per channel ----

  const METRICS = {
    visits: { zh: '访问', en: 'visits', title: ['每日访问量', 'Daily visits'], unit: '次' },
    tickets: { zh: '新建工单', en: 'tickets', title: ['每日新建工单', 'Daily tickets opened'], unit: '张' },
  };

  function dailyData(s, metric) {
    const series = seriesOf(s, metric);
    const days = periodDaysOf(s);
    const byDay = new Map(days.map((d) => [d, {}]));
    for (const r of s.daily) {
      const row = byDay.get(r.date);
      if (row) row[r.channel] = (row[r.channel] || 0) + r[metric];
    }
    const rows = days.map((d) => {
      const v = byDay.get(d);
      const total = series.reduce((a, x) => a + (v[x.name] || 0), 0);
      return { date: d, v, total };
    });
    return { series, rows };
  }

  function markMetricButtons() {
    document.querySelectorAll('.metric-btn').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.metric === state.metric));
    });
  }

  function onMetricButton(ev) {
    state.metric = ev.currentTarget.dataset.metric;
    markMetricButtons();
    if (state.summary) renderDaily(state.summary);
  }

  function renderDaily(s) {
    ensurePatterns();
    const metric = state.metric;
    const mt = METRICS[metric];
    const { series, rows } = dailyData(s, metric);
    const legend = $('daily-legend');
    clear(legend);
    for (const x of series) legend.appendChild(el('li', '', swatch('url(#pat-' + x.n + ')'), label(CHANNELS, x.name)));
    if (!series.length) legend.appendChild(el('li', 'muted', bi('本周期没有' + mt.zh, 'No ' + mt.en + ' in this period')));
    $('daily-chart').dataset.metric = metric;
    const daily = CHARTS.find((c) => c.id === 'daily-chart');
    daily.width = 0;
    drawCharts(false);

    // The same figures as a table, for screen readers and for reading off.
    const head = [bi('日期', 'Date')].concat(series.map((x) => label(CHANNELS, x.name)), [bi('合计', 'Total')]);
    const body = rows.map((r) => [r.date].concat(series.map((x) => num(r.v[x.name] || 0)), [num(r.total)]));
    const tw = $('daily-table');
    clear(tw);
    tw.setAttribute('aria-label', mt.title[0] + '数据表 ' + mt.title[1] + ' table');
    tw.appendChild(table(mt.title[0] + ' ' + mt.title[1] + ' per channel', head, body));
  }

  // drawDaily draws the visits or tickets per day stacked by channel.
  function drawDaily(s, width) {
    const metric = state.metric;
    const mt = METRICS[metric];
    const { series, rows } = dailyData(s, metric);
    const height = width < 520 ? 220 : 280;
    const m = { top: 12, right: 8, bottom: 30, left: 44 };
    const pw = width - m.left - m.right;
    const ph = height - m.top - m.bottom;
    const max = rows.reduce((a, r) => Math.max(a, r.total), 0);
    const step = niceStep(max || 4, 4);
    const top = Math.max(step, Math.ceil(max / step) * step);
    const y = (v) => m.top + ph - (v / top) * ph;
    const n = rows.length || 1;
    const slot = pw / n;
    const bar = Math.max(1, Math.min(32, slot * 0.72));

    const total = rows.reduce((a, r) => a + r.total, 0);
    const peak = rows.reduce((a, r) => (r.total > a.total ? r : a), { total: -1, date: '' });
    const perChannel = series.map((x) => labelText(CHANNELS, x.name) + ' ' +
      rows.reduce((a, r) => a + (r.v[x.name] || 0), 0)).join('，');
    const desc = mt.title[0] + '堆叠柱状图，' + s.from + ' 至 ' + s.to + '，共 ' + rows.length + ' 天，' + mt.zh + ' ' +
      total + ' ' + mt.unit + (total ? '；最多为 ' + peak.date + ' 的 ' + peak.total + ' ' + mt.unit + '；各渠道：' + perChannel : '') +
      '。 Stacked bar chart of ' + mt.title[1].toLowerCase() + ', ' + rows.length + ' days, ' + total + ' ' + mt.en + ' in all' +
      (total ? '; peak ' + peak.total + ' on ' + peak.date : '') + '. 详细数字见下方数据表。 The table below has every figure.';

    const root = chartRoot(width, height, mt.title[0] + ' ' + mt.title[1], desc);
    root.dataset.metric = metric;
    const axis = svg('g', { 'aria-hidden': 'true' });
    for (let v = 0; v <= top; v += step) {
      const yy = Math.round(y(v)) + 0.5;
      axis.appendChild(svg('line', { x1: m.left, x2: width - m.right, y1: yy, y2: yy, class: v ? 'grid-line' : 'axis-line' }));
      axis.appendChild(text(m.left - 6, yy + 4, num(v), { 'text-anchor': 'end' }));
    }
    dateAxis(axis, rows.map((r) => r.date), m, slot, pw, height - m.bottom + 16);
    root.appendChild(axis);

    const bars = svg('g', { class: 'bars' });
    rows.forEach((r, i) => {
      const g = svg('g', { class: 'day', 'data-date': r.date, 'data-total': r.total });
      const x = m.left + slot * i + (slot - bar) / 2;
      g.appendChild(svg('rect', { x: m.left + slot * i, y: m.top, width: slot, height: ph, class: 'day-hit' }));
      let acc = 0;
      for (const sr of series) {
        const v = r.v[sr.name] || 0;
        if (!v) continue;
        const y0 = y(acc);
        const y1 = y(acc + v);
        g.appendChild(svg('rect', { x, y: y1, width: bar, height: Math.max(0.5, y0 - y1),
          fill: 'url(#pat-' + sr.n + ')', class: 'seg-rect', 'data-channel': sr.name }));
        acc += v;
      }
      tip(g, r.date + '：' + r.total + ' ' + mt.unit + ' ' + mt.en + series.filter((sr) => r.v[sr.name])
        .map((sr) => '\n' + labelText(CHANNELS, sr.name) + ': ' + r.v[sr.name]).join(''));
      bars.appendChild(g);
    });
    root.appendChild(bars);
    if (!total) {
      root.appendChild(text(m.left + pw / 2, m.top + ph / 2, '本周期没有' + mt.zh, { 'text-anchor': 'middle', class: 'empty-text' },
        'No ' + mt.en + ' in this period'));
    }
    return root;
  }

  // ---- Daily rates ----

  // The rates of a day are of its visits (self-service, hand-offs) and of
  // its questions (knowledge-base hits); a day without any is a gap.
  const RATES = [
    { key: 'self_service', zh: '自助解决率', en: 'Self-service', n: 2, shape: 'circle', dash: '' },
    { key: 'handoff', zh: '转人工率', en: 'Hand-off', n: 3, shape: 'square', dash: '7 4' },
    { key: 'kb_hit', zh: '知识库命中率', en: 'KB hit', n: 1, shape: 'triangle', dash: '2 3' },
  ];

  function ratesData(s) {
    const days = periodDaysOf(s);
    const byDay = new Map(days.map((d) => [d, { visits: 0, self: 0, hand: 0, answered: 0, asked: 0 }]));
    for (const r of s.daily) {
      const d = byDay.get(r.date);
      if (!d) continue;
      d.visits += r.visits;
      d.self += r.self_service;
      d.hand += r.handoffs;
      d.answered += r.answered;
      d.asked += r.answered + r.unanswered;
    }
    return days.map((date) => {
      const d = byDay.get(date);
      return Object.assign({ date }, d, {
        self_service: d.visits ? d.self / d.visits : null,
        handoff: d.visits ? d.hand / d.visits : null,
        kb_hit: d.asked ? d.answered / d.asked : null,
      });
    });
  }

  function renderRates(s) {
    const legend = $('rates-legend');
    clear(legend);
    for (const r of RATES) {
      const sw = svg('svg', { width: 28, height: 12, 'aria-hidden': 'true', focusable: 'false', class: 'line-swatch' });
      sw.appendChild(svg('line', { x1: 1, x2: 27, y1: 6, y2: 6, class: 'rate-line stroke-' + r.n, 'stroke-dasharray': r.dash }));
      sw.appendChild(marker(r, 14, 6, 3.5));
      legend.appendChild(el('li', '', sw, bi(r.zh, r.en + ' rate')));
    }
    const rows = ratesData(s);
    const cell = (v) => (v === null ? '—' : pct(v));
    const tw = $('rates-table');
    clear(tw);
    tw.appendChild(table('每日服务率 Daily rates', [bi('日期', 'Date'), bi('访问', 'Visits'), bi('自助解决率', 'Self-service'),
      bi('转人工率', 'Hand-off'), bi('问题数', 'Questions'), bi('知识库命中率', 'KB hit')],
    rows.map((r) => [r.date, num(r.visits), cell(r.self_service), cell(r.handoff), num(r.asked), cell(r.kb_hit)])));
  }

  function marker(r, x, y, size) {
    const cls = 'rate-mark series-' + r.n;
    if (r.shape === 'square') return svg('rect', { x: x - size, y: y - size, width: 2 * size, height: 2 * size, class: cls });
    if (r.shape === 'triangle') {
      const h = size * 1.2;
      return svg('path', { d: 'M' + x + ',' + (y - h) + ' L' + (x + h) + ',' + (y + h * 0.8) + ' L' + (x - h) + ',' +
        (y + h * 0.8) + ' Z', class: cls });
    }
    return svg('circle', { cx: x, cy: y, r: size, class: cls });
  }

  function drawRates(s, width) {
    const rows = ratesData(s);
    const height = width < 520 ? 220 : 260;
    const m = { top: 12, right: 12, bottom: 30, left: 44 };
    const pw = width - m.left - m.right;
    const ph = height - m.top - m.bottom;
    const y = (v) => m.top + ph - v * ph;
    const n = rows.length || 1;
    const slot = pw / n;
    const cx = (i) => m.left + slot * (i + 0.5);
    const size = Math.max(2.5, Math.min(4, slot / 3));

    const t = s.totals;
    const withVisits = rows.filter((r) => r.visits > 0);
    const withAsked = rows.filter((r) => r.asked > 0);
    const range = (key, list) => {
      if (!list.length) return '';
      const vals = list.map((r) => r[key]);
      return pct(Math.min(...vals)) + '–' + pct(Math.max(...vals));
    };
    let desc = '每日服务率折线图，' + rows.length + ' 天中 ' + withVisits.length + ' 天有访问、' + withAsked.length +
      ' 天有提问；没有访问的日子不画点。整个周期：自助解决率 ' + pctOf(t.self_service_rate, t.visits) + '（每日 ' +
      (range('self_service', withVisits) || '—') + '），转人工率 ' + pctOf(t.handoff_rate, t.visits) + '（每日 ' +
      (range('handoff', withVisits) || '—') + '），知识库命中率 ' + pctOf(t.kb_hit_rate, t.answered + t.unanswered) +
      '（每日 ' + (range('kb_hit', withAsked) || '—') + '）。 Line chart of the daily rates over ' + rows.length + ' days, ' +
      withVisits.length + ' with visits; days without visits are gaps. Period: self-service ' +
      pctOf(t.self_service_rate, t.visits) + ', hand-off ' + pctOf(t.handoff_rate, t.visits) + ', KB hit ' +
      pctOf(t.kb_hit_rate, t.answered + t.unanswered) + '.';
    if (withVisits.length && withVisits.length <= 7) {
      desc += ' 逐日 By day: ' + withVisits.map((r) => r.date + ' ' + RATES.map((x) => x.zh + ' ' +
        (r[x.key] === null ? '—' : pct(r[x.key]))).join(' ')).join('；') + '。';
    }
    const root = chartRoot(width, height, '每日服务率 Daily rates', desc);
    const axis = svg('g', { 'aria-hidden': 'true' });
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      const yy = Math.round(y(v)) + 0.5;
      axis.appendChild(svg('line', { x1: m.left, x2: width - m.right, y1: yy, y2: yy, class: v ? 'grid-line' : 'axis-line' }));
      axis.appendChild(text(m.left - 6, yy + 4, Math.round(v * 100) + '%', { 'text-anchor': 'end' }));
    }
    dateAxis(axis, rows.map((r) => r.date), m, slot, pw, height - m.bottom + 16);
    root.appendChild(axis);

    for (const r of RATES) {
      const g = svg('g', { class: 'rate-series', 'data-series': r.key });
      // The line breaks at every gap.
      let d = '';
      let prev = false;
      rows.forEach((row, i) => {
        const v = row[r.key];
        if (v === null) { prev = false; return; }
        d += (prev ? ' L' : ' M') + cx(i).toFixed(1) + ',' + y(v).toFixed(1);
        prev = true;
      });
      if (d) g.appendChild(svg('path', { d: d.trim(), class: 'rate-line stroke-' + r.n, 'stroke-dasharray': r.dash }));
      rows.forEach((row, i) => {
        const v = row[r.key];
        if (v === null) return;
        const p = svg('g', { class: 'rate-point', 'data-series': r.key, 'data-date': row.date, 'data-value': v.toFixed(4) });
        p.appendChild(marker(r, cx(i), y(v), size));
        const of = r.key === 'kb_hit' ? row.answered + ' / ' + row.asked + ' 个问题 questions'
          : (r.key === 'handoff' ? row.hand : row.self) + ' / ' + row.visits + ' 次访问 visits';
        tip(p, row.date + ' ' + r.zh + ' ' + r.en + ' rate: ' + pct(v) + '（' + of + '）');
        g.appendChild(p);
      });
      root.appendChild(g);
    }
    if (!withVisits.length && !withAsked.length) {
      root.appendChild(text(m.left + pw / 2, m.top + ph / 2, '本周期没有访问', { 'text-anchor': 'middle', class: 'empty-text' },
        'No visits in this period'));
    }
    return root;
  }

  // ---- Ticket deadlines per kind ----

  const MEASURES = [
    { key: 'response', zh: '首次响应', en: 'First response', target: 'response_target', onTime: 'response_on_time' },
    { key: 'resolution', zh: '解决', en: 'Resolution', target: 'resolution_target', onTime: 'resolution_on_time' },
  ];

  // kindLabel is a kind's Chinese and English name.
  function kindLabel(kind) { return KINDS[kind] || [kind, '']; }

  function kindsDesc(s) {
    const part = (k, ms, zh) => {
      const sp = k[ms.key];
      const tg = k[ms.target];
      const target = tg.count ? (zh ? '，目标 ' + dur(tg.p50_secs)[0] : ', target ' + dur(tg.p50_secs)[1]) : '';
      if (!sp.count) return (zh ? ms.zh + '暂无数据' : ms.en + ' no data') + target;
      return zh ? ms.zh + ' p50 ' + dur(sp.p50_secs)[0] + '，p90 ' + dur(sp.p90_secs)[0] + target + '（' + sp.count + ' 张）'
        : ms.en.toLowerCase() + ' p50 ' + dur(sp.p50_secs)[1] + ', p90 ' + dur(sp.p90_secs)[1] + target + ' (' + sp.count + ' tickets)';
    };
    return '各类工单首次响应与解决时长（p50、p90）对比目标：' +
      s.kinds.map((k) => kindLabel(k.kind)[0] + '：' + MEASURES.map((ms) => part(k, ms, true)).join('；')).join('。') +
      '。 Response and resolution times against the targets: ' +
      s.kinds.map((k) => (kindLabel(k.kind)[1] || k.kind) + ': ' + MEASURES.map((ms) => part(k, ms, false)).join('; ')).join('. ') + '.';
  }

  function noTickets(width) {
    const root = chartRoot(width, 60, '工单 Tickets', '本周期没有已响应或已解决的工单。 No tickets were answered or resolved in this period.');
    root.appendChild(text(width / 2, 34, '本周期没有工单数据', { 'text-anchor': 'middle', class: 'empty-text' }, 'No ticket figures'));
    return root;
  }

  // drawKinds draws, per measure, each kind's p50 and p90 as bars on one
  // time scale with the target as a dashed line across them.
  function drawKinds(s, width) {
    const kinds = s.kinds;
    if (!kinds.length) return noTickets(width);
    const cols = width >= 640 ? 2 : 1;
    const gap = 32;
    const panelW = (width - gap * (cols - 1)) / cols;
    const title = 22;
    const head = 20;
    const barH = 14;
    const rowGap = 5;
    const groupH = head + 2 * (barH + rowGap) + 12;
    const panelH = title + kinds.length * groupH;
    const height = cols === 2 ? panelH : 2 * panelH + 16;
    const left = 34;
    const right = width < 420 ? 78 : 96;
    const root = chartRoot(width, height, '工单时效 Ticket deadlines', kindsDesc(s));

    MEASURES.forEach((ms, pi) => {
      const ox = cols === 2 ? pi * (panelW + gap) : 0;
      const oy = cols === 2 ? 0 : pi * (panelH + 16);
      const barW = panelW - left - right;
      const max = Math.max(1, ...kinds.map((k) => Math.max(k[ms.key].count ? k[ms.key].p90_secs : 0,
        k[ms.target].count ? k[ms.target].p50_secs : 0)));
      const x = (v) => ox + left + (v / max) * barW;
      const panel = svg('g', { class: 'kind-panel', 'data-measure': ms.key });
      panel.appendChild(text(ox, oy + 14, ms.zh, { class: 'panel-title' }, ms.en));
      kinds.forEach((k, ki) => {
        const sp = k[ms.key];
        const tg = k[ms.target];
        const gy = oy + title + ki * groupH;
        const kl = kindLabel(k.kind);
        const g = svg('g', { class: 'kind-group', 'data-kind': k.kind, 'data-measure': ms.key });
        g.appendChild(text(ox, gy + 14, kl[0], { class: 'group-label' }, kl[1]));
        g.appendChild(text(ox + panelW, gy + 14, tg.count ? '目标 ' + dur(tg.p50_secs)[0] : '无目标',
          { class: 'target-text', 'text-anchor': 'end' }, tg.count ? 'Target' : 'No target'));
        const by = gy + head + 4;
        if (!sp.count) {
          g.appendChild(text(ox + left, by + barH + 3, '暂无数据', { class: 'none-text' }, 'No ' + ms.en.toLowerCase() + ' yet'));
        }
        ['p50', 'p90'].forEach((stat, si) => {
          if (!sp.count) return;
          const yy = by + si * (barH + rowGap);
          g.appendChild(text(ox, yy + barH - 3, stat, { class: 'stat-label' }));
          g.appendChild(svg('rect', { x: ox + left, y: yy, width: barW, height: barH, class: 'bar-track' }));
          const v = sp[stat + '_secs'];
          const over = tg.count && v > tg.p50_secs;
          const b = svg('rect', { x: ox + left, y: yy, width: Math.max(1.5, x(v) - ox - left), height: barH,
            fill: stat === 'p50' ? 'url(#pat-1)' : 'url(#pat-4)', class: 'kind-bar' + (over ? ' over' : ''), 'data-stat': stat });
          tip(b, kl[0] + ' ' + ms.zh + ' ' + stat + '：' + durText(v) + (tg.count ? '，目标 target ' + durText(tg.p50_secs) : ''));
          g.appendChild(b);
          const [zh] = dur(v);
          g.appendChild(text(ox + panelW, yy + barH - 3, (over ? '⚠ ' : '') + zh,
            { class: 'value-text' + (over ? ' over-text' : ''), 'text-anchor': 'end' }));
        });
        if (tg.count) {
          const tx = Math.round(x(tg.p50_secs)) + 0.5;
          g.appendChild(svg('line', { x1: tx, x2: tx, y1: by - 4, y2: by + 2 * barH + rowGap + 4, class: 'target-line' }));
        }
        panel.appendChild(g);
      });
      root.appendChild(panel);
    });
    return root;
  }

  // drawOnTime draws each kind's shares responded and resolved on time.
  function drawOnTime(s, width) {
    const kinds = s.kinds;
    if (!kinds.length) return noTickets(width);
    const head = 20;
    const barH = 14;
    const rowGap = 6;
    const groupH = head + 2 * (barH + rowGap) + 10;
    const left = 78;
    const axisH = 18;
    const height = kinds.length * groupH + axisH;
    const figure = (k, ms) => {
      const c = k[ms.key].count;
      return c ? pct(k[ms.onTime]) + ' · ' + Math.round(k[ms.onTime] * c) + '/' + c : '';
    };
    const right = Math.max(40, ...kinds.map((k) => Math.max(textWidth(figure(k, MEASURES[0])),
      textWidth(figure(k, MEASURES[1]))))) + 10;
    const barW = width - left - right;
    const x = (r) => left + r * barW;
    const shares = (k, ms) => {
      const c = k[ms.key].count;
      return c ? pct(k[ms.onTime]) + '（' + Math.round(k[ms.onTime] * c) + '/' + c + '）' : '暂无 —';
    };
    const desc = '各类工单按时率：' + kinds.map((k) => kindLabel(k.kind)[0] + ' 按时响应 ' + shares(k, MEASURES[0]) +
      '，按时解决 ' + shares(k, MEASURES[1])).join('；') + '。 On-time share per kind: ' +
      kinds.map((k) => (kindLabel(k.kind)[1] || k.kind) + ' responded ' + shares(k, MEASURES[0]) + ', resolved ' +
        shares(k, MEASURES[1])).join('; ') + '.';
    const root = chartRoot(width, height, '按时率 On-time share', desc);
    const axis = svg('g', { 'aria-hidden': 'true' });
    for (const v of [0, 0.5, 1]) {
      axis.appendChild(text(x(v), height - 4, Math.round(v * 100) + '%', { 'text-anchor': v ? (v === 1 ? 'end' : 'middle') : 'start' }));
    }
    root.appendChild(axis);
    kinds.forEach((k, ki) => {
      const gy = ki * groupH;
      const kl = kindLabel(k.kind);
      const g = svg('g', { class: 'ontime-group', 'data-kind': k.kind });
      g.appendChild(text(0, gy + 14, kl[0], { class: 'group-label' }, kl[1]));
      const by = gy + head + 4;
      gridLines(g, x, by - 3, by + 2 * barH + rowGap + 3);
      MEASURES.forEach((ms, mi) => {
        const yy = by + mi * (barH + rowGap);
        const c = k[ms.key].count;
        g.appendChild(text(0, yy + barH - 3, ms.key === 'response' ? '响应' : '解决', { class: 'stat-label' },
          ms.key === 'response' ? 'Resp.' : 'Resol.'));
        g.appendChild(svg('rect', { x: left, y: yy, width: barW, height: barH, class: 'bar-track' }));
        const rate = k[ms.onTime];
        if (c) {
          const b = svg('rect', { x: left, y: yy, width: Math.max(1.5, rate * barW), height: barH,
            fill: ms.key === 'response' ? 'url(#pat-2)' : 'url(#pat-6)', class: 'ontime-bar', 'data-measure': ms.key });
          tip(b, kl[0] + ' ' + (ms.key === 'response' ? '按时响应 responded on time' : '按时解决 resolved on time') + '：' + shares(k, ms));
          g.appendChild(b);
          g.appendChild(text(width, yy + barH - 3, figure(k, ms), { class: 'value-text', 'text-anchor': 'end' }));
        } else {
          g.appendChild(text(left + 4, yy + barH - 3, '暂无', { class: 'none-text' }, 'No data'));
        }
      });
      root.appendChild(g);
    });
    return root;
  }

  // gridLines marks 0, 50 and 100% across one group of bars.
  function gridLines(g, x, y1, y2) {
    for (const v of [0, 0.5, 1]) {
      const xx = Math.round(x(v)) + 0.5;
      g.appendChild(svg('line', { x1: xx, x2: xx, y1, y2, class: v ? 'grid-line' : 'axis-line', 'aria-hidden': 'true' }));
    }
  }

  // ---- Satisfaction ----

  const FEW_RATINGS = 5;

  // drawSatisfaction draws each agent's and the bot's share of good
  // ratings, each with how many ratings it is of: bars of few ratings are
  // hatched, so one rating does not look like a hundred.
  function drawSatisfaction(s, width) {
    const rows = s.agents.map((a) => ({ key: a.agent, name: a.name || a.agent, id: a.name && a.name !== a.agent ? a.agent : '', r: a }));
    rows.push({ key: 'bot', name: '机器人建单', en: 'Bot-opened tickets', r: s.bot });
    const head = 18;
    const barH = 14;
    const rowH = head + barH + 12;
    const axisH = 18;
    const height = rows.length * rowH + axisH;
    const figure = (r) => (r.count ? pct(r.good_share) + ' · n=' + r.count : '');
    const right = Math.max(40, ...rows.map((w) => textWidth(figure(w.r)))) + 10;
    const barW = width - right;
    const x = (v) => v * barW;
    const share = (r) => (r.count ? pct(r.good_share) : '—');
    const desc = '各坐席与机器人建单的好评率（4–5 分占比）横向条形图：' + rows.map((w) => w.name + ' ' + share(w.r) + '（' +
      w.r.count + ' 条评价）').join('；') + '。 Share of ratings of 4 or 5, per agent and for the bot: ' +
      rows.map((w) => (w.en || w.name) + ' ' + share(w.r) + ' of ' + w.r.count + ' rating' + (w.r.count === 1 ? '' : 's')).join('; ') +
      '. 评价少于 ' + FEW_RATINGS + ' 条的以斜线表示。 Bars of fewer than ' + FEW_RATINGS + ' ratings are hatched.';
    const root = chartRoot(width, height, '好评率 Good share', desc);
    const axis = svg('g', { 'aria-hidden': 'true' });
    for (const v of [0, 0.5, 1]) {
      axis.appendChild(text(x(v), height - 4, Math.round(v * 100) + '%', { 'text-anchor': v ? (v === 1 ? 'end' : 'middle') : 'start' }));
    }
    root.appendChild(axis);
    const room = Math.max(6, Math.floor((width - 100) / 12));
    rows.forEach((w, i) => {
      const gy = i * rowH;
      const r = w.r;
      const few = r.count > 0 && r.count < FEW_RATINGS;
      const g = svg('g', { class: 'sat-row' + (few ? ' few' : ''), 'data-who': w.key, 'data-count': r.count });
      g.appendChild(text(0, gy + 13, clip(w.name, room), { class: 'group-label' }, w.en || clip(w.id, Math.max(4, room - w.name.length))));
      const yy = gy + head;
      gridLines(g, x, yy - 3, yy + barH + 3);
      g.appendChild(svg('rect', { x: 0, y: yy, width: barW, height: barH, class: 'bar-track' }));
      if (r.count) {
        const b = svg('rect', { x: 0, y: yy, width: Math.max(1.5, x(r.good_share)), height: barH,
          fill: few ? 'url(#pat-few)' : 'url(#pat-1)', class: 'sat-bar' + (few ? ' few' : '') });
        tip(b, w.name + '：好评率 good share ' + pct(r.good_share) + '（' + r.good + '/' + r.count + '），平均 average ' +
          r.average.toFixed(2));
        g.appendChild(b);
        g.appendChild(text(width, yy + barH - 3, figure(r), { class: few ? 'value-text few-text' : 'value-text', 'text-anchor': 'end' }));
      } else {
        g.appendChild(text(4, yy + barH - 3, '暂无评价', { class: 'none-text' }, 'No ratings · n=0'));
      }
      root.appendChild(g);
    });
    return root;
  }

  // ---- Tables ----

  function renderChannels(s) {
    const head = [bi('渠道', 'Channel'), bi('访问', 'Visits'), bi('自助解决', 'Self-service'),
      bi('转人工', 'Hand-offs'), bi('工单', 'Tickets'), bi('自助率', 'Self-service rate'),
      bi('转人工率', 'Hand-off rate'), bi('知识库命中率', 'KB hit rate')];
    const row = (name, c) => [name, num(c.visits), num(c.self_service), num(c.handoffs), num(c.tickets),
      pctOf(c.self_service_rate, c.visits), pctOf(c.handoff_rate, c.visits),
      pctOf(c.kb_hit_rate, c.answered + c.unanswered)];
    const w = $('channels-table');
    clear(w);
    if (!s.channels.length) {
      w.appendChild(el('p', 'empty', bi('本周期没有访问。', 'No visits in this period.')));
      return;
    }
    w.appendChild(table('', head, s.channels.map((c) => row(label(CHANNELS, c.channel), c)),
      row(bi('合计', 'All'), s.totals)));
  }

  function renderSatisfaction(s) {
    const head = [bi('服务方', 'Served by'), bi('评价数', 'Ratings'), bi('好评', 'Good'),
      bi('好评率', 'Good share'), bi('平均分', 'Average')];
    const row = (who, r) => [who, num(r.count), num(r.good), pctOf(r.good_share, r.count),
      r.count ? r.average.toFixed(2) : '—'];
    const rows = s.agents.map((a) => {
      const who = el('span', '', a.name || a.agent);
      if (a.name && a.name !== a.agent) { const id = el('span', 'en', a.agent); who.appendChild(id); }
      return row(who, a);
    });
    rows.push(row(bi('机器人建单', 'Bot-opened tickets'), s.bot));
    const w = $('sat-table');
    clear(w);
    w.appendChild(table('', head, rows));
  }

  function overTarget(value, target) {
    if (!target || value <= target) return null;
    return el('span', 'badge badge-warn', '超目标 Over');
  }

  function onTimeCell(rate, count) {
    if (!count) return '—';
    const on = Math.round(rate * count);
    return [pct(rate), el('span', 'en', on + ' / ' + count)];
  }

  function renderKinds(s) {
    const head = [bi('工单类型', 'Kind'),
      bi('已响应', 'Responded'), bi('响应 p50', 'Response p50'), bi('响应 p90', 'Response p90'),
      bi('响应目标', 'Response target'), bi('按时响应', 'On time'),
      bi('已解决', 'Resolved'), bi('解决 p50', 'Resolution p50'), bi('解决 p90', 'Resolution p90'),
      bi('解决目标', 'Resolution target'), bi('按时解决', 'On time'), bi('好评率', 'Good ratings')];
    const spreadCell = (sp, target, which) => (sp.count ? [durNode(sp[which]), overTarget(sp[which], target.p50_secs)] : '—');
    const rows = s.kinds.map((k) => [label(KINDS, k.kind),
      num(k.response.count), spreadCell(k.response, k.response_target, 'p50_secs'),
      spreadCell(k.response, k.response_target, 'p90_secs'),
      k.response_target.count ? durNode(k.response_target.p50_secs) : '—',
      onTimeCell(k.response_on_time, k.response.count),
      num(k.resolution.count), spreadCell(k.resolution, k.resolution_target, 'p50_secs'),
      spreadCell(k.resolution, k.resolution_target, 'p90_secs'),
      k.resolution_target.count ? durNode(k.resolution_target.p50_secs) : '—',
      onTimeCell(k.resolution_on_time, k.resolution.count),
      pctOf(k.satisfaction.good_share, k.satisfaction.count)]);
    const w = $('kinds-table');
    clear(w);
    if (!rows.length) {
      w.appendChild(el('p', 'empty', bi('本周期没有已响应或已解决的工单。', 'No tickets were answered or resolved in this period.')));
      return;
    }
    w.appendChild(table('', head, rows));
  }

  // ---- Gaps ----

  function renderGaps(ok) {
    const list = $('gaps');
    clear(list);
    const gaps = state.gaps;
    $('gaps-empty').hidden = !ok || gaps.length > 0;
    if (!ok) list.appendChild(el('li', 'empty', bi('缺口列表暂时无法读取。', 'The gaps cannot be read now.')));
    for (const g of gaps.slice(0, state.gapsShown)) {
      const li = el('li', 'gap');
      li.appendChild(el('p', 'gap-size', el('strong', '', num(g.size)), el('span', '', '次提问'),
        el('span', '', 'questions')));
      li.appendChild(el('p', 'gap-text', g.representative));
      if (g.examples && g.examples.length) {
        const ex = el('ul', 'gap-examples');
        ex.setAttribute('aria-label', '其他问法 Other wordings');
        for (const e of g.examples) ex.appendChild(el('li', '', e));
        li.appendChild(ex);
      }
      const entry = g.best_entry ? el('code', '', g.best_entry) : bi('无', 'none');
      li.appendChild(el('p', 'gap-meta',
        el('span', '', bi('会话', 'Conversations'), '：' + num(g.conversations)),
        el('span', '', bi('给出建议', 'Suggested'), '：' + num(g.suggested) + ' · ', bi('无答案', 'No answer'),
          '：' + num(g.unknown)),
        el('span', '', bi('最接近条目', 'Closest entry'), '：', entry),
        el('span', '', bi('最近提问', 'Last asked'), '：' + dateTime(g.last_at))));
      list.appendChild(li);
    }
    const more = $('gaps-more');
    const left = gaps.length - state.gapsShown;
    more.hidden = left <= 0;
    if (left > 0) {
      clear(more);
      more.appendChild(bi('再显示 ' + Math.min(left, GAPS_PAGE) + ' 组（共 ' + gaps.length + ' 组）',
        'Show ' + Math.min(left, GAPS_PAGE) + ' more of ' + gaps.length));
    }
  }

  function onMoreGaps() {
    const first = state.gapsShown;
    state.gapsShown += GAPS_PAGE;
    renderGaps(true);
    const next = $('gaps').children[first];
    if (next) { next.tabIndex = -1; next.focus(); }
  }

  // ---------------------------------------------------------------------
  // Live panel
  // ---------------------------------------------------------------------

  function startLive() {
    stopLive();
    loadLive();
    state.liveTimer = setInterval(() => { if (!document.hidden) loadLive(); }, LIVE_EVERY_MS);
  }

  function stopLive() {
    if (state.liveTimer) clearInterval(state.liveTimer);
    state.liveTimer = 0;
    state.liveEpoch++;
  }

  async function loadLive() {
    const epoch = ++state.liveEpoch;
    const res = await call('GET', API + 'live');
    if (epoch !== state.liveEpoch || state.view !== 'dash') return;
    if (res.status === 401) {
      showSignIn('登录已过期，请重新登录。 Your session ended; please sign in again.');
      return;
    }
    if (res.status === 403) { showDenied(); return; }
    if (res.status !== 200 || !res.data) {
      $('live-at').textContent = '实时数据更新失败，稍后自动重试。 Live update failed; retrying shortly.';
      return;
    }
    renderLive(res.data);
  }

  function renderLive(l) {
    $('live').dataset.at = l.at;
    $('live-at').textContent = '更新于 ' + clock(l.at) + ' · Updated ' + clock(l.at) + ' · 每 15 秒刷新 refreshes every 15 s';

    // Queues.
    const queue = l.queue || [];
    const qw = $('live-queue');
    clear(qw);
    const qrows = queue.map((q) => [label(GROUPS, q.group), num(q.waiting), num(q.assigned),
      q.waiting ? el('span', q.longest_wait_secs >= 300 ? 'wait-long' : '', durNode(q.longest_wait_secs),
        q.longest_wait_secs >= 300 ? ' ⚠' : '') : '—']);
    if (!qrows.length) qw.appendChild(el('p', 'empty', bi('目前没有排队或处理中的会话。', 'Nobody is waiting or being served.')));
    else qw.appendChild(table('', [bi('技能组', 'Group'), bi('排队', 'Waiting'), bi('处理中', 'With an agent'),
      bi('最长等待', 'Longest wait')], qrows));

    // Agents by state.
    const states = l.agents || {};
    const sw = $('live-states');
    clear(sw);
    const keys = STATE_ORDER.filter((k) => k in states || k === 'ready' || k === 'busy')
      .concat(Object.keys(states).filter((k) => !STATE_ORDER.includes(k)));
    for (const k of keys) {
      const st = STATES[k] || [k, k, '•'];
      const mark = el('span', 'chip-mark', st[2]);
      mark.setAttribute('aria-hidden', 'true');
      const chip = el('li', 'chip state-' + k, mark, bi(st[0], st[1]), el('strong', '', num(states[k] || 0)));
      chip.dataset.state = k;
      sw.appendChild(chip);
    }
    const rw = $('live-roster');
    clear(rw);
    const roster = l.roster || [];
    if (roster.length) {
      rw.appendChild(table('', [bi('坐席', 'Agent'), bi('状态', 'State'), bi('会话', 'Chats'), bi('连接', 'Console')],
        roster.map((a) => {
          const st = STATES[a.state];
          return [a.name || a.id, st ? bi(st[2] + ' ' + st[0], st[1]) : a.state, num(a.conversations),
            a.connected ? bi('在线', 'Connected') : bi('已断开', 'Away')];
        })));
    } else {
      rw.appendChild(el('p', 'empty', bi('目前没有坐席在线。', 'No agent is on the desk.')));
    }

    // Open conversations per channel.
    const convs = l.conversations || {};
    const cw = $('live-convs');
    clear(cw);
    let open = 0;
    for (const ch of Object.keys(convs).sort()) {
      open += convs[ch];
      cw.appendChild(el('li', 'chip', label(CHANNELS, ch), el('strong', '', num(convs[ch]))));
    }
    cw.appendChild(el('li', 'chip', bi('合计', 'All'), el('strong', '', num(open))));

    // Tickets at risk and breached.
    const tk = l.tickets || {};
    const tw = $('live-tickets');
    clear(tw);
    const total = l.tickets_total || { at_risk: 0, breached: 0 };
    const trows = Object.keys(tk).sort().map((k) => [label(KINDS, k), num(tk[k].at_risk), riskCell(tk[k].breached)]);
    tw.appendChild(table('', [bi('工单类型', 'Kind'), bi('临近超时', 'At risk'), bi('已超时', 'Breached')], trows,
      [bi('合计', 'All'), num(total.at_risk), riskCell(total.breached)]));

    // One short sentence for screen readers, said only when it changes.
    const waiting = queue.reduce((a, q) => a + q.waiting, 0);
    const text = '排队 ' + waiting + ' 人，就绪坐席 ' + (states.ready || 0) + ' 人，进行中会话 ' + open +
      ' 个，临近超时工单 ' + total.at_risk + ' 张，已超时 ' + total.breached + ' 张。 ' +
      waiting + ' waiting, ' + (states.ready || 0) + ' agents ready, ' + open + ' open conversations, ' +
      total.at_risk + ' tickets at risk, ' + total.breached + ' breached.';
    if (text !== state.liveText) {
      state.liveText = text;
      $('live-summary').textContent = text;
    }
  }

  function riskCell(n) {
    return n ? el('span', 'badge badge-bad', '⚠ ' + num(n)) : num(n);
  }

  // ---------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------

  function init() {
    $('signin-form').addEventListener('submit', onSignIn);
    $('signout-btn').addEventListener('click', signOut);
    $('switch-btn').addEventListener('click', signOut);
    document.querySelectorAll('.seg-btn').forEach((b) => b.addEventListener('click', onPeriodButton));
    $('custom-form').addEventListener('submit', onCustom);
    $('gaps-more').addEventListener('click', onMoreGaps);
    document.querySelectorAll('.metric-btn').forEach((b) => b.addEventListener('click', onMetricButton));
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && state.view === 'dash') loadLive();
    });
    let pending = 0;
    const redraw = () => {
      if (pending) return;
      pending = requestAnimationFrame(() => { pending = 0; drawCharts(false); });
    };
    if (window.ResizeObserver) {
      const ro = new ResizeObserver(redraw);
      CHARTS.forEach((c) => ro.observe($(c.id)));
    } else {
      window.addEventListener('resize', redraw);
    }
    boot();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
