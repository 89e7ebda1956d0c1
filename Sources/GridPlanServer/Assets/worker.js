// GridPlan worker page: the vessels this grid worker answers for, one tap per report, and the
// micro-grids of their grids in the testing round (counts as running totals).
// Reports wait in the phone's storage until the server has acknowledged them (each with its own
// Idempotency-Key, so a retry after a lost answer is counted once).
(function () {
  'use strict';
  var tokenKey = 'gridplan.worker.token', queueKey = 'gridplan.worker.queue';
  var match = /token=([^&]+)/.exec(location.hash);
  if (match) {
    localStorage.setItem(tokenKey, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  var token = localStorage.getItem(tokenKey);
  var labels = {
    confirmed: '已确认', arrived: '已到港', crew_ashore: '人已上岸', hauled_out: '已拖上岸', departed: '已离港'
  };
  var vessels = [], microgrids = [];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function queue() { return JSON.parse(localStorage.getItem(queueKey) || '[]'); }
  function saveQueue(q) { localStorage.setItem(queueKey, JSON.stringify(q)); }
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({'Authorization': 'Bearer ' + token}, options.headers || {});
    return fetch(path, options);
  }
  function showNetwork() {
    var n = queue().length, net = document.getElementById('net');
    net.className = navigator.onLine ? '' : 'offline';
    net.textContent = (navigator.onLine ? '在线' : '离线：上报会保存在手机里，联网后自动发送') +
      (n ? ' · 待发送 ' + n + ' 条' : ' · 全部已送达');
  }

  function render() {
    var list = document.getElementById('list'), pending = {};
    queue().forEach(function (r) {
      if (r.vessel) pending[r.vessel] = (pending[r.vessel] || []).concat(r.event);
    });
    list.textContent = '';
    if (!vessels.length && !microgrids.length) list.appendChild(el('p', {}, '没有由您负责的渔船或核酸检测微网格。'));
    if (vessels.length) list.appendChild(el('h2', {'class': 'part'}, '渔船回港 · 定人联船'));
    vessels.forEach(function (v) {
      var card = el('section', {'class': 'card', 'data-vessel': v.id});
      card.appendChild(el('h2', {}, v.name + ' (' + v.id + ')'));
      var state = el('span', {'class': 'state' + (v.in_port ? ' port' : v.overdue ? ' overdue' : '')},
        v.in_port ? '在港' : v.overdue ? '在海上 · 已过最晚返航时间' : '在海上');
      card.appendChild(state);
      card.appendChild(el('p', {'class': 'meta'},
        '避风港 ' + (v.port_name || '—') + ' · 船员 ' + v.crew + ' 人' +
        (v.latest_departure ? ' · 最晚返航 ' + new Date(v.latest_departure).toLocaleString('zh-CN', {timeZone: 'Asia/Shanghai'}) : '') +
        (v.last_event ? ' · 最近上报 ' + (labels[v.last_event.split(' ')[0]] || '') +
          v.last_event.slice(v.last_event.indexOf(' ')) : '')));
      if (pending[v.id]) {
        card.appendChild(el('p', {'class': 'pending'},
          '待发送：' + pending[v.id].map(function (e) { return labels[e]; }).join('、')));
      }
      var actions = el('div', {'class': 'actions'});
      Object.keys(labels).forEach(function (event) {
        var done = (event === 'arrived' && v.in_port) || (event === 'confirmed' && v.confirmed) ||
          (event === 'crew_ashore' && v.crew_ashore);
        var b = el('button', {'type': 'button', 'data-event': event, 'class': done ? 'done' : ''}, labels[event]);
        b.onclick = function () { report(v.id, event); };
        actions.appendChild(b);
      });
      card.appendChild(actions);
      list.appendChild(card);
    });
    renderMicrogrids(list);
    showNetwork();
  }

  // Testing round: per micro-grid the people sampled so far, away and to re-test. Each report
  // sends the totals as they stand, so sending twice never counts twice.
  var countLabels = {sampled: '已采样', absent: '外出', retest: '需复检'};
  function renderMicrogrids(list) {
    if (!microgrids.length) return;
    var pending = {};
    queue().forEach(function (r) { if (r.microgrid) pending[r.microgrid] = r; });
    list.appendChild(el('h2', {'class': 'part'}, '核酸检测 · 微网格'));
    microgrids.forEach(function (m) {
      var card = el('section', {'class': 'card', 'data-microgrid': m.code});
      card.appendChild(el('h2', {}, '微网格 ' + m.code));
      card.appendChild(el('span', {'class': 'state' + (m.silent ? ' overdue' : m.reported ? ' port' : '')},
        m.silent ? '已开始 · 尚未上报' : m.reported ? '已上报' : '未开始'));
      card.appendChild(el('p', {'class': 'meta'},
        '应检 ' + m.people + ' 人 · 已采 ' + m.sampled + ' · 外出 ' + m.absent + ' · 复检 ' + m.retest +
        ' · 待采 ' + m.remaining + ' · 采样点 ' + m.site_name + ' · ' + m.slot_start.slice(11) + '–' +
        m.slot_end.slice(11) + (m.last_report ? ' · 最近上报 ' + m.last_report : '')));
      var wait = pending[m.code];
      if (wait) card.appendChild(el('p', {'class': 'pending'}, '待发送：已采 ' + wait.counts.sampled));
      var form = el('div', {'class': 'counts'}), inputs = {};
      Object.keys(countLabels).forEach(function (k) {
        var label = el('label', {}, countLabels[k]);
        var input = el('input', {'type': 'number', 'min': '0', 'inputmode': 'numeric', 'name': k,
          'value': String(wait ? wait.counts[k] : m[k])});
        inputs[k] = input;
        label.appendChild(input);
        form.appendChild(label);
      });
      var send = el('button', {'type': 'button', 'class': 'send'}, '上报');
      send.onclick = function () {
        var counts = {};
        for (var k in inputs) {
          var n = parseInt(inputs[k].value, 10);
          if (!(n >= 0)) { document.getElementById('error').textContent = countLabels[k] + '须为 0 或正整数'; return; }
          counts[k] = n;
        }
        document.getElementById('error').textContent = '';
        var q = queue();
        q.push({key: newKey(), microgrid: m.code, counts: counts, time: new Date().toISOString()});
        saveQueue(q);
        render();
        flush();
      };
      form.appendChild(send);
      card.appendChild(form);
      list.appendChild(card);
    });
  }

  function report(vessel, event) {
    var q = queue();
    q.push({key: newKey(), vessel: vessel, event: event, time: new Date().toISOString()});
    saveQueue(q);
    render();
    flush();
  }

  var flushing = false;
  function flush() {
    if (flushing) return;
    var q = queue();
    if (!q.length) { showNetwork(); return; }
    flushing = true;
    var r = q[0];
    var path = r.microgrid ? '/api/microgrids/' + encodeURIComponent(r.microgrid) + '/counts'
      : '/api/vessels/' + encodeURIComponent(r.vessel) + '/events';
    var body = r.microgrid ? Object.assign({time: r.time}, r.counts) : {event: r.event, time: r.time};
    api(path, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Idempotency-Key': r.key},
      body: JSON.stringify(body)
    }).then(function (response) {
      flushing = false;
      if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 408 &&
          response.status !== 429)) {
        // Acknowledged, or refused for good (shown): either way it leaves the queue.
        saveQueue(queue().filter(function (x) { return x.key !== r.key; }));
        if (!response.ok) {
          response.json().then(function (b) { document.getElementById('error').textContent = b.error.message; });
        }
        load();
        flush();
      } else {
        showNetwork();
      }
    }, function () { flushing = false; showNetwork(); });
  }

  function load() {
    if (!token) {
      document.getElementById('who').textContent = '请用发给您的链接打开本页（链接里带有您的令牌）。';
      return;
    }
    api('/api/me').then(function (r) { return r.json(); }).then(function (me) {
      if (me.error) { document.getElementById('who').textContent = me.error.message; return; }
      document.getElementById('who').textContent = me.name + (me.person_id ? ' (' + me.person_id + ')' : '');
    }, showNetwork);
    api('/api/vessels').then(function (r) { return r.json(); }).then(function (list) {
      if (Array.isArray(list)) { vessels = list; render(); }
    }, showNetwork);
    api('/api/microgrids').then(function (r) { return r.json(); }).then(function (list) {
      if (Array.isArray(list)) { microgrids = list; render(); }
    }, showNetwork);
  }

  window.addEventListener('online', function () { showNetwork(); flush(); });
  window.addEventListener('offline', showNetwork);
  setInterval(flush, 5000);
  load();
  flush();
})();
