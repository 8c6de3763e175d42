// Hotline web chat page: speaks the protocol of docs/webchat-protocol.md
// over one websocket at /chat/ws. Plain ES2020, no dependencies, no inline
// code or styles (the server's Content-Security-Policy forbids them).
(() => {
  'use strict';

  // ---------------------------------------------------------------------
  // Settings
  // ---------------------------------------------------------------------

  const MAX_CHARS = 1000;          // webchat.max_text_runes default
  const COUNTER_FROM = 900;        // show the counter from this many characters
  const PING_EVERY_MS = 20000;     // application-level ping while connected
  const SILENCE_LIMIT_MS = 45000;  // no frame at all for this long: reconnect
  const CONNECT_TIMEOUT_MS = 15000; // socket open + welcome must take less
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const RETRY_MIN_MS = 3000;       // resend after rate_limited / unavailable
  const RETRY_MAX_MS = 30000;
  const TYPING_TIMEOUT_MS = 20000; // hide a typing indicator nobody turned off
  const NOTICE_MS = 8000;
  const HISTORY_CACHE_MAX = 500;   // webchat.history_limit default
  const NEAR_BOTTOM_PX = 80;

  const KEYS = {
    session: 'hotline.webchat.session',
    after: 'hotline.webchat.after',
    outbox: 'hotline.webchat.outbox',
    history: 'hotline.webchat.history',
    lang: 'hotline.webchat.lang',
  };

  const ROLES = ['subscriber', 'bot', 'agent', 'system'];

  // Every string the page shows, in each language. "{x}" is filled by t().
  const STRINGS = {
    zh: {
      title: '客服中心',
      langSwitch: 'English',
      newChat: '新对话',
      confirmNewChat: '开始新对话吗？当前的对话记录将从本页面清除。',
      connecting: '正在连接…',
      connected: '已连接',
      reconnecting: '正在重新连接…',
      disconnected: '连接已断开',
      reconnectNow: '重新连接',
      policyClosed: '服务器拒绝了本次连接，请稍后点击“重新连接”或刷新页面。',
      logLabel: '对话记录',
      inputLabel: '输入您的问题',
      inputHint: '按 Enter 发送，Shift+Enter 换行',
      placeholder: '请输入您的问题…',
      send: '发送',
      welcome: '您好！请输入您的问题，例如“怎么查话费”',
      examplesLabel: '常见问题',
      example1: '话费余额',
      example2: '宽带报修',
      example3: '转人工',
      saysBot: '客服机器人说：',
      saysAgent: '人工客服说：',
      saysYou: '您说：',
      saysSystem: '系统消息：',
      nameBot: '智能客服',
      nameAgent: '人工客服',
      sending: '发送中…',
      sent: '已发送',
      retrying: '稍后自动重发',
      failed: '未发送',
      typing: '正在输入…',
      quickReplies: '快捷回复',
      links: '相关链接',
      newWindow: '（在新窗口打开）',
      counter: '{n}/{max}',
      tooLong: '消息过长，最多 {max} 个字。',
      frameTooLarge: '消息过大，未能发送。',
      genericError: '出现了一点问题，请稍后再试。',
    },
    en: {
      title: 'Customer Service',
      langSwitch: '中文',
      newChat: 'New chat',
      confirmNewChat: 'Start a new chat? The current conversation will be cleared from this page.',
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
      disconnected: 'Disconnected',
      reconnectNow: 'Reconnect',
      policyClosed: 'The server refused the connection. Press “Reconnect” later or reload the page.',
      logLabel: 'Conversation',
      inputLabel: 'Type your question',
      inputHint: 'Enter sends, Shift+Enter starts a new line',
      placeholder: 'Type your question…',
      send: 'Send',
      welcome: 'Hello! Type your question, for example “How do I check my bill?”',
      examplesLabel: 'Common questions',
      example1: 'Account balance',
      example2: 'Broadband repair',
      example3: 'Talk to an agent',
      saysBot: 'Assistant says:',
      saysAgent: 'Agent says:',
      saysYou: 'You said:',
      saysSystem: 'System message:',
      nameBot: 'Assistant',
      nameAgent: 'Agent',
      sending: 'Sending…',
      sent: 'Sent',
      retrying: 'Will retry shortly',
      failed: 'Not sent',
      typing: 'Typing…',
      quickReplies: 'Quick replies',
      links: 'Related links',
      newWindow: '(opens in a new window)',
      counter: '{n}/{max}',
      tooLong: 'Message too long: at most {max} characters.',
      frameTooLarge: 'The message was too large and was not sent.',
      genericError: 'Something went wrong. Please try again later.',
    },
  };

  // Screen-reader prefix and visible name for each sender.
  const SAYS = { subscriber: 'saysYou', bot: 'saysBot', agent: 'saysAgent', system: 'saysSystem' };
  const NAMES = { bot: 'nameBot', agent: 'nameAgent' };

  // ---------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------

  const state = {
    lang: 'zh',
    session: '',
    lastId: '',        // id of the newest message received in a `message` frame
    lastSeq: -1,
    ws: null,          // the current socket; frames from older sockets are ignored
    ready: false,      // welcome received on the current socket
    welcomed: false,   // a welcome was received since the page loaded
    attempt: 0,        // reconnect attempts since the last welcome
    reconnectTimer: 0,
    blocked: false,    // closed with 1008: wait for the user to reconnect
    idle: false,       // closed with 1000: reconnect on the next user activity
    connStartedAt: 0,
    lastFrameAt: 0,
    lastPingAt: 0,
    tickTimer: 0,
    inflight: [],      // client_ids sent on this socket, oldest first, not yet acked
    retryTimer: 0,
    retryDelay: RETRY_MIN_MS,
    typingTimer: 0,
    noticeTimer: 0,
    saveTimer: 0,
  };

  const shown = new Map();    // message id -> element
  const pending = new Map();  // client_id -> element of a not yet acked message
  let outbox = [];            // [{client_id, text, payload, at}] not yet acked
  let history = [];           // message frames kept for the next page load

  const dom = {};

  // ---------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------

  // localStorage may be disabled or full; the page then works from memory.
  const store = {
    get(key) {
      try { return localStorage.getItem(key) || ''; } catch (e) { return ''; }
    },
    set(key, value) {
      try { localStorage.setItem(key, value); } catch (e) { /* keep going in memory */ }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    },
    getList(key) {
      try {
        const v = JSON.parse(store.get(key) || '[]');
        return Array.isArray(v) ? v : [];
      } catch (e) {
        return [];
      }
    },
  };

  function t(key, vars) {
    const table = STRINGS[state.lang] || STRINGS.zh;
    const s = table[key] ?? STRINGS.zh[key] ?? key;
    if (!vars) return s;
    return s.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // An element whose text follows the language switch.
  function makeLabel(tag, className, key) {
    const node = make(tag, className, t(key));
    node.dataset.i18n = key;
    return node;
  }

  function charCount(text) {
    return [...text].length; // code points, like the server's runes
  }

  // A client_id: 1-64 characters of [A-Za-z0-9_-].
  function newClientId() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    const bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') {
      c.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function cleanClientId(id) {
    return String(id).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
  }

  // Only web, phone and mail links are shown; anything else (javascript:)
  // is dropped.
  function safeUrl(url) {
    try {
      const u = new URL(String(url), location.href);
      return ['http:', 'https:', 'tel:', 'mailto:'].includes(u.protocol) ? u.href : '';
    } catch (e) {
      return '';
    }
  }

  function formatTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const today = d.toDateString() === new Date().toDateString();
    const opts = today
      ? { hour: '2-digit', minute: '2-digit' }
      : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' };
    try {
      return new Intl.DateTimeFormat(state.lang === 'en' ? 'en' : 'zh-CN', opts).format(d);
    } catch (e) {
      return d.toLocaleTimeString();
    }
  }

  // ---------------------------------------------------------------------
  // Language
  // ---------------------------------------------------------------------

  // Fills every [data-i18n] text and every [data-i18n-attrs] attribute
  // ("aria-label=logLabel;placeholder=placeholder").
  function applyStrings(root) {
    root.querySelectorAll('[data-i18n]').forEach((node) => {
      node.textContent = t(node.dataset.i18n);
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
    document.title = t('title');
    dom.langBtn.lang = state.lang === 'en' ? 'zh-CN' : 'en'; // the button names the other language
    applyStrings(document);
    dom.log.querySelectorAll('time[datetime]').forEach((node) => {
      node.textContent = formatTime(node.dateTime);
    });
    updateCounter();
  }

  // The language is sent in `hello`, so after a switch the page reconnects
  // at once: the bot's own texts follow the new language from the next
  // reply on. Nothing is lost: the outbox is resent after the new welcome
  // and the history resumes after the last message shown. When the socket
  // is down by policy (1008) or idle, the choice waits for the next hello.
  function switchLanguage() {
    state.lang = state.lang === 'en' ? 'zh' : 'en';
    store.set(KEYS.lang, state.lang);
    applyLanguage();
    if (state.blocked || state.idle) return;
    dropSocket();
    connectNow();
  }

  // ---------------------------------------------------------------------
  // Connection
  // ---------------------------------------------------------------------

  function wsUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/chat/ws`;
  }

  function setConn(which) {
    if (dom.conn.dataset.state === which) return; // announce changes only
    dom.conn.dataset.state = which;
    dom.connText.dataset.i18n = which;
    dom.connText.textContent = t(which);
    dom.reconnectBtn.hidden = which !== 'disconnected';
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = 0;
    if (state.ws) return;
    let sock;
    try {
      sock = new WebSocket(wsUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = sock;
    state.ready = false;
    state.inflight = [];
    state.connStartedAt = Date.now();
    setConn(state.welcomed ? 'reconnecting' : 'connecting');
    sock.onopen = () => onOpen(sock);
    sock.onmessage = (ev) => onFrame(sock, ev);
    sock.onclose = (ev) => onClose(sock, ev);
    // An error is always followed by close, handled there.
    startTick();
  }

  // Connect now instead of waiting for the backoff timer.
  function connectNow() {
    if (state.ws) return;
    connect();
  }

  // Forgets the current socket (its events are ignored from now on) and
  // closes it.
  function dropSocket() {
    const sock = state.ws;
    if (!sock) return;
    state.ws = null;
    state.ready = false;
    state.inflight = [];
    stopTick();
    hideTyping();
    sock.onopen = sock.onmessage = sock.onclose = null;
    try { sock.close(1000); } catch (e) { /* already closing */ }
  }

  function scheduleReconnect() {
    if (state.blocked || state.reconnectTimer) return;
    // Exponential backoff with "equal jitter": half fixed, half random.
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    state.attempt += 1;
    setConn(navigator.onLine === false ? 'disconnected' : 'reconnecting');
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    const sock = state.ws;
    if (!sock || sock.readyState !== WebSocket.OPEN) return false;
    sock.send(JSON.stringify(frame));
    return true;
  }

  function onOpen(sock) {
    if (sock !== state.ws) return;
    state.lastFrameAt = Date.now();
    send({ type: 'hello', session: state.session, after: state.lastId, lang: state.lang });
  }

  function onClose(sock, ev) {
    if (sock !== state.ws) return;
    const lastSent = state.inflight[state.inflight.length - 1];
    state.ws = null;
    state.ready = false;
    state.inflight = [];
    stopTick();
    hideTyping();

    if (ev.code === 1008) {
      // Policy: origin not allowed or abuse. Never retry by ourselves.
      state.blocked = true;
      setConn('disconnected');
      showNotice(t('policyClosed'), true);
      return;
    }
    if (ev.code === 1000) {
      // Normal close by the server: no automatic retry, but the next
      // message, a click on "reconnect", or the page coming back to the
      // foreground or online opens a new connection.
      state.idle = true;
      setConn('disconnected');
      return;
    }
    if (ev.code === 1009 && lastSent) {
      // The frame was larger than the server's read limit: sending it
      // again would only repeat the close.
      failMessage(lastSent, t('frameTooLarge'));
    }
    scheduleReconnect();
  }

  // Keepalive and liveness, checked every second while a socket exists.
  function startTick() {
    stopTick();
    state.lastPingAt = 0;
    state.tickTimer = setInterval(tick, 1000);
  }

  function stopTick() {
    clearInterval(state.tickTimer);
    state.tickTimer = 0;
  }

  function tick() {
    const now = Date.now();
    if (!state.ready) {
      if (now - state.connStartedAt > CONNECT_TIMEOUT_MS) restartSocket();
      return;
    }
    // Dead when nothing arrived for 45 s although a ping went out a while
    // ago. Requiring the unanswered ping keeps a background tab (whose
    // timers the browser slows down) from being taken for a dead one.
    const silent = now - state.lastFrameAt;
    const pingUnanswered = state.lastPingAt > state.lastFrameAt && now - state.lastPingAt >= 5000;
    if (silent >= SILENCE_LIMIT_MS && pingUnanswered) {
      restartSocket();
      return;
    }
    if (now - state.lastPingAt >= PING_EVERY_MS) {
      state.lastPingAt = now;
      send({ type: 'ping' });
    }
  }

  function restartSocket() {
    dropSocket();
    scheduleReconnect();
  }

  // Back in the foreground or back online: reconnect without waiting, or
  // check that the open socket still answers.
  function onWakeUp() {
    if (document.visibilityState === 'hidden') return;
    if (state.ws) {
      if (state.ready) {
        state.lastPingAt = Date.now();
        send({ type: 'ping' });
      }
      return;
    }
    if (state.blocked) return;
    state.idle = false;
    connectNow();
  }

  // ---------------------------------------------------------------------
  // Incoming frames
  // ---------------------------------------------------------------------

  function onFrame(sock, ev) {
    if (sock !== state.ws) return;
    state.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'welcome': onWelcome(frame); break;
      case 'message': onMessage(frame); break;
      case 'ack': onAck(frame); break;
      case 'typing': onTyping(frame); break;
      case 'error': onError(frame); break;
      default: break; // pong and future types
    }
  }

  function onWelcome(frame) {
    const previous = state.session;
    state.session = String(frame.session || '');
    store.set(KEYS.session, state.session);
    if (frame.resumed === false && previous && previous !== state.session) {
      clearShownHistory(); // the old conversation is gone: a new one starts
    }
    state.ready = true;
    state.welcomed = true;
    state.attempt = 0;
    state.idle = false;
    state.lastPingAt = Date.now(); // first ping in 20 s
    setConn('connected');
    flushOutbox();
  }

  function onMessage(frame) {
    if (typeof frame.id !== 'string' || !frame.id) return;
    const from = ROLES.includes(frame.from) ? frame.from : 'bot';
    const cid = typeof frame.client_id === 'string' ? frame.client_id : '';
    let node = shown.get(frame.id) || (from === 'subscriber' && cid ? pending.get(cid) : null);
    if (node && node.dataset.complete) return; // seen already (replay after reconnect)

    const stick = isNearBottom() || from === 'subscriber';
    if (node) {
      completeOwnMessage(node, frame); // the echo of a message this page sent
    } else {
      node = renderMessage({ ...frame, from });
      node.dataset.complete = '1';
      shown.set(frame.id, node);
      place(node);
    }
    if (from === 'bot' || from === 'agent') hideTyping();
    rememberMessage({ ...frame, from });
    afterLogChange(stick);
  }

  function onAck(frame) {
    const cid = String(frame.client_id || '');
    state.inflight = state.inflight.filter((id) => id !== cid);
    removeFromOutbox(cid);
    state.retryDelay = RETRY_MIN_MS;
    const node = pending.get(cid);
    if (!node) return;
    pending.delete(cid);
    setStatus(node, 'sent');
    if (Number.isFinite(frame.seq)) {
      node.dataset.seq = String(frame.seq);
      place(node);
    }
    if (typeof frame.id === 'string' && frame.id && !shown.has(frame.id)) {
      node.dataset.id = frame.id;
      node.dataset.complete = '1';
      shown.set(frame.id, node);
      // The server does not echo a message back to the tab that sent it,
      // so the ack is what this page keeps for the next reload.
      const time = node.querySelector('time');
      rememberMessage({
        id: frame.id,
        seq: frame.seq,
        from: 'subscriber',
        text: node.querySelector('.text')?.textContent || '',
        at: time?.dateTime || new Date().toISOString(),
        client_id: cid,
      });
    }
  }

  function onTyping(frame) {
    clearTimeout(state.typingTimer);
    if (!frame.on) {
      hideTyping();
      return;
    }
    dom.typing.hidden = false;
    state.typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
  }

  function hideTyping() {
    clearTimeout(state.typingTimer);
    if (dom.typing) dom.typing.hidden = true;
  }

  // The server answers each message frame with one ack or one error, in
  // order, so an error belongs to the oldest message still in flight.
  function onError(frame) {
    const text = typeof frame.text === 'string' && frame.text ? frame.text : t('genericError');
    showNotice(text);
    switch (frame.code) {
      case 'rate_limited':
      case 'unavailable': {
        const cid = state.inflight.shift();
        if (cid && pending.has(cid)) setStatus(pending.get(cid), 'retrying');
        scheduleRetry();
        break;
      }
      case 'too_long':
      case 'empty': {
        const cid = state.inflight.shift();
        if (cid) failMessage(cid, '');
        break;
      }
      default:
        break; // bad_frame: a client bug; the connection stays usable
    }
  }

  // ---------------------------------------------------------------------
  // Sending and the outbox
  // ---------------------------------------------------------------------

  function sendMessage(rawText, payload) {
    const text = String(rawText).trim();
    if (!text) return false;
    if (charCount(text) > MAX_CHARS) {
      showNotice(t('tooLong', { max: MAX_CHARS }));
      return false;
    }
    const entry = {
      client_id: cleanClientId(newClientId()),
      text,
      payload: payload || '',
      at: new Date().toISOString(),
    };
    outbox.push(entry);
    saveOutbox();
    showPending(entry);
    afterLogChange(true);

    if (state.ready) {
      transmit(entry);
    } else if (!state.ws && !state.blocked) {
      state.idle = false;
      connectNow();
    }
    return true;
  }

  function transmit(entry) {
    const ok = send({ type: 'message', client_id: entry.client_id, text: entry.text, payload: entry.payload });
    if (!ok) return;
    state.inflight.push(entry.client_id);
    const node = pending.get(entry.client_id);
    if (node) setStatus(node, 'sending');
  }

  // Resends every unacked message (same client_id, so the server drops
  // repeats) that is not already waiting for its answer on this socket.
  function flushOutbox() {
    if (!state.ready) return;
    for (const entry of outbox) {
      if (!state.inflight.includes(entry.client_id)) transmit(entry);
    }
  }

  function scheduleRetry() {
    if (state.retryTimer) return;
    const delay = state.retryDelay / 2 + Math.random() * (state.retryDelay / 2);
    state.retryDelay = Math.min(RETRY_MAX_MS, state.retryDelay * 2);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = 0;
      flushOutbox();
    }, delay);
  }

  function removeFromOutbox(cid) {
    const before = outbox.length;
    outbox = outbox.filter((e) => e.client_id !== cid);
    if (outbox.length !== before) saveOutbox();
  }

  function saveOutbox() {
    store.set(KEYS.outbox, JSON.stringify(outbox));
  }

  // A message the server will never take: keep it on screen, marked.
  function failMessage(cid, reason) {
    removeFromOutbox(cid);
    const node = pending.get(cid);
    if (!node) return;
    pending.delete(cid);
    setStatus(node, 'failed');
    // Pin it after the messages it followed; unsent messages otherwise
    // sort last.
    node.dataset.seq = String(state.lastSeq + 0.5);
    if (reason) showNotice(reason);
  }

  // ---------------------------------------------------------------------
  // Rendering
  // ---------------------------------------------------------------------

  // Builds one message:
  // <div class="msg msg--bot"><div class="bubble">prefix, text, links</div>
  //   quick replies, <p class="meta">name, time, status</p></div>
  function renderMessage(m) {
    const node = make('div', `msg msg--${m.from}`);
    node.dataset.from = m.from;
    if (m.id) node.dataset.id = m.id;
    if (Number.isFinite(m.seq)) node.dataset.seq = String(m.seq);

    const bubble = make('div', 'bubble');
    bubble.append(makeLabel('span', 'visually-hidden', SAYS[m.from]));
    bubble.append(make('span', 'text', String(m.text || '')));
    const links = renderLinks(m.links);
    if (links) bubble.append(links);
    node.append(bubble);

    const replies = renderQuickReplies(m.quick_replies);
    if (replies) node.append(replies);

    node.append(renderMeta(m));
    return node;
  }

  function renderLinks(links) {
    if (!Array.isArray(links) || !links.length) return null;
    const list = make('ul', 'links');
    list.dataset.i18nAttrs = 'aria-label=links';
    list.setAttribute('aria-label', t('links'));
    for (const link of links) {
      const href = link && safeUrl(link.url);
      if (!href) continue;
      const a = make('a', 'link', String(link.title || link.url));
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.append(makeLabel('span', 'visually-hidden', 'newWindow'));
      const item = make('li');
      item.append(a);
      list.append(item);
    }
    return list.children.length ? list : null;
  }

  function renderQuickReplies(replies) {
    if (!Array.isArray(replies) || !replies.length) return null;
    const group = make('div', 'quick-replies');
    group.setAttribute('role', 'group');
    group.dataset.i18nAttrs = 'aria-label=quickReplies';
    group.setAttribute('aria-label', t('quickReplies'));
    for (const r of replies) {
      if (!r || typeof r.label !== 'string' || !r.label) continue;
      const button = make('button', 'chip', r.label);
      button.type = 'button';
      button.dataset.payload = typeof r.payload === 'string' ? r.payload : '';
      group.append(button);
    }
    return group.children.length ? group : null;
  }

  function renderMeta(m) {
    const meta = make('p', 'meta');
    if (NAMES[m.from]) {
      const name = makeLabel('span', 'name', NAMES[m.from]);
      name.setAttribute('aria-hidden', 'true'); // the hidden prefix already says it
      meta.append(name);
    }
    const time = make('time', 'time', formatTime(m.at));
    if (m.at) time.dateTime = m.at;
    meta.append(time);
    if (m.from === 'subscriber') meta.append(make('span', 'status'));
    return meta;
  }

  function setStatus(node, status) {
    node.dataset.status = status;
    const span = node.querySelector('.status');
    if (!span) return;
    span.dataset.i18n = status;
    span.textContent = t(status);
  }

  // Shows a message typed here that the server has not acked yet.
  function showPending(entry) {
    const node = renderMessage({ from: 'subscriber', text: entry.text, at: entry.at });
    node.dataset.clientId = entry.client_id;
    setStatus(node, 'sending');
    pending.set(entry.client_id, node);
    place(node);
    return node;
  }

  // The server's copy of a message shown as pending: adopt its id, seq and
  // time; keep the bubble.
  function completeOwnMessage(node, frame) {
    const cid = node.dataset.clientId;
    if (cid && pending.get(cid) === node) {
      pending.delete(cid);
      removeFromOutbox(cid); // stored, so it needs no resend
    }
    node.dataset.id = frame.id;
    node.dataset.complete = '1';
    shown.set(frame.id, node);
    if (node.dataset.status !== 'failed') setStatus(node, 'sent');
    const time = node.querySelector('time');
    if (time && frame.at) {
      time.dateTime = frame.at;
      time.textContent = formatTime(frame.at);
    }
    if (Number.isFinite(frame.seq)) {
      node.dataset.seq = String(frame.seq);
      place(node);
    }
  }

  // Keeps the log in conversation order: by seq, and messages not yet
  // stored (no seq) last. Messages mostly arrive in order, so the search
  // starts from the end. A node already in place is not moved (moving it
  // would make screen readers announce it again).
  function place(node) {
    const seq = node.dataset.seq === undefined ? Infinity : Number(node.dataset.seq);
    let before = null;
    for (let other = dom.log.lastElementChild; other; other = other.previousElementSibling) {
      if (other === node) continue;
      const otherSeq = other.dataset.seq === undefined ? Infinity : Number(other.dataset.seq);
      if (otherSeq > seq) before = other;
      else break;
    }
    if (node.parentNode === dom.log && node.nextElementSibling === before) return;
    dom.log.insertBefore(node, before);
  }

  // Quick replies stay only on the latest message to the subscriber (from
  // the bot, an agent, or a system notice such as a rating question).
  function updateQuickReplies() {
    const items = Array.from(dom.log.children);
    let latest = null;
    for (let i = items.length - 1; i >= 0; i--) {
      const from = items[i].dataset.from;
      if (from !== 'subscriber') {
        latest = items[i];
        break;
      }
    }
    for (const item of items) {
      if (item === latest) continue;
      const group = item.querySelector('.quick-replies');
      if (group) group.remove();
    }
  }

  function updateWelcome() {
    dom.welcome.hidden = dom.log.children.length > 0;
  }

  function isNearBottom() {
    const log = dom.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX;
  }

  function afterLogChange(stickToBottom) {
    updateQuickReplies();
    updateWelcome();
    if (stickToBottom) dom.log.scrollTop = dom.log.scrollHeight;
  }

  // A short notice under the log (role=status). Sticky ones stay until
  // replaced.
  function showNotice(text, sticky) {
    clearTimeout(state.noticeTimer);
    dom.notice.textContent = text;
    if (!sticky) {
      state.noticeTimer = setTimeout(() => { dom.notice.textContent = ''; }, NOTICE_MS);
    }
  }

  // ---------------------------------------------------------------------
  // History kept across page loads
  // ---------------------------------------------------------------------

  // The page keeps the messages it has shown (newest HISTORY_CACHE_MAX) so
  // that a reload shows them at once and `hello` can ask only for what
  // came after the last one.
  function rememberMessage(frame) {
    if (Number.isFinite(frame.seq) && frame.seq > state.lastSeq) {
      state.lastSeq = frame.seq;
      state.lastId = frame.id;
      store.set(KEYS.after, frame.id);
    }
    const { type, ...message } = frame;
    history.push(message);
    if (!state.saveTimer) state.saveTimer = setTimeout(saveHistory, 300);
  }

  function saveHistory() {
    state.saveTimer = 0;
    history.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    if (history.length > HISTORY_CACHE_MAX) history = history.slice(-HISTORY_CACHE_MAX);
    store.set(KEYS.history, JSON.stringify(history));
  }

  function restoreHistory() {
    history = store.getList(KEYS.history).filter((m) => m && typeof m.id === 'string' && m.id);
    for (const m of history) {
      if (shown.has(m.id)) continue;
      const from = ROLES.includes(m.from) ? m.from : 'bot';
      const node = renderMessage({ ...m, from });
      node.dataset.complete = '1';
      shown.set(m.id, node);
      place(node);
      if (Number.isFinite(m.seq) && m.seq > state.lastSeq) {
        state.lastSeq = m.seq;
        state.lastId = m.id;
      }
    }
    // `after` is only sent when the page can show what came before it;
    // otherwise the server replays the whole history.
    const stored = store.get(KEYS.after);
    if (stored && shown.has(stored)) state.lastId = stored;
  }

  function restoreOutbox() {
    outbox = store.getList(KEYS.outbox).filter((e) => e && typeof e.text === 'string' && e.client_id);
    for (const entry of outbox) {
      entry.client_id = cleanClientId(entry.client_id);
      entry.payload = typeof entry.payload === 'string' ? entry.payload : '';
      showPending(entry);
    }
  }

  // Forgets the messages shown (not the outbox: what the subscriber typed
  // but the server has not stored goes to the new conversation).
  function clearShownHistory() {
    for (const node of shown.values()) node.remove();
    shown.clear();
    history = [];
    clearTimeout(state.saveTimer);
    state.saveTimer = 0;
    state.lastId = '';
    state.lastSeq = -1;
    store.remove(KEYS.history);
    store.remove(KEYS.after);
    afterLogChange(false);
  }

  function startNewChat() {
    if (!window.confirm(t('confirmNewChat'))) return;
    dropSocket();
    clearTimeout(state.reconnectTimer);
    clearTimeout(state.retryTimer);
    state.reconnectTimer = state.retryTimer = 0;
    clearShownHistory();
    dom.log.replaceChildren();
    pending.clear();
    outbox = [];
    store.remove(KEYS.outbox);
    state.session = '';
    store.remove(KEYS.session);
    state.blocked = state.idle = false;
    state.attempt = 0;
    showNotice('');
    afterLogChange(false);
    connect();
    dom.input.focus();
  }

  // ---------------------------------------------------------------------
  // Composer
  // ---------------------------------------------------------------------

  function updateCounter() {
    const n = charCount(dom.input.value);
    dom.counter.hidden = n < COUNTER_FROM;
    // Empty while hidden: the textarea's aria-describedby reads it.
    dom.counter.textContent = dom.counter.hidden ? '' : t('counter', { n, max: MAX_CHARS });
    dom.counter.classList.toggle('over', n > MAX_CHARS);
    // Grow with the text up to 5 lines where CSS field-sizing is missing.
    const lines = dom.input.value.split('\n').length;
    dom.input.rows = Math.min(5, Math.max(1, lines));
  }

  function onSubmit(ev) {
    ev.preventDefault();
    if (sendMessage(dom.input.value, '')) {
      dom.input.value = '';
      updateCounter();
    }
    dom.input.focus();
  }

  // Enter sends, Shift+Enter is a new line. Enter that confirms an input
  // method's candidate (pinyin) is left alone.
  function onKeyDown(ev) {
    if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing || ev.keyCode === 229) return;
    ev.preventDefault();
    dom.form.requestSubmit();
  }

  function onLogClick(ev) {
    const button = ev.target.closest('.quick-replies button');
    if (!button || button.disabled) return;
    sendMessage(button.textContent, button.dataset.payload || '');
  }

  function onExampleClick(ev) {
    const button = ev.target.closest('button[data-example]');
    if (!button) return;
    sendMessage(t(button.dataset.example), '');
    dom.input.focus();
  }

  // ---------------------------------------------------------------------
  // Start
  // ---------------------------------------------------------------------

  function bindEvents() {
    dom.form.addEventListener('submit', onSubmit);
    dom.input.addEventListener('keydown', onKeyDown);
    dom.input.addEventListener('input', updateCounter);
    dom.log.addEventListener('click', onLogClick);
    dom.welcome.addEventListener('click', onExampleClick);
    dom.langBtn.addEventListener('click', switchLanguage);
    dom.newChatBtn.addEventListener('click', startNewChat);
    dom.reconnectBtn.addEventListener('click', () => {
      state.blocked = state.idle = false;
      state.attempt = 0;
      showNotice('');
      connectNow();
    });
    document.addEventListener('visibilitychange', onWakeUp);
    window.addEventListener('online', onWakeUp);
    window.addEventListener('offline', () => {
      if (!state.ready) setConn('disconnected');
    });
  }

  function init() {
    const byId = (id) => document.getElementById(id);
    Object.assign(dom, {
      log: byId('log'),
      welcome: byId('welcome'),
      typing: byId('typing'),
      notice: byId('notice'),
      form: byId('composer'),
      input: byId('input'),
      counter: byId('counter'),
      conn: byId('conn'),
      connText: byId('conn-text'),
      reconnectBtn: byId('reconnect-btn'),
      langBtn: byId('lang-btn'),
      newChatBtn: byId('new-chat-btn'),
    });
    state.lang = store.get(KEYS.lang) === 'en' ? 'en' : 'zh'; // Chinese first
    state.session = store.get(KEYS.session);
    applyLanguage();
    restoreHistory();
    restoreOutbox();
    afterLogChange(true);
    bindEvents();
    connect();
  }

  init();
})();
