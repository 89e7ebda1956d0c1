// GridPlan command page: counts per level, the vessels to call next and the map, the testing
// round's progress per level and the grids not reporting, redrawn
// whenever a report is recorded (the /api/stream of server-sent events, read with fetch so the
// token travels in a header).
(function () {
  'use strict';
  var tokenKey = 'gridplan.command.token';
  var match = /token=([^&]+)/.exec(location.hash);
  if (match) {
    localStorage.setItem(tokenKey, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname);
  }
  var token = localStorage.getItem(tokenKey);
  var levels = [], testLevels = [];

  function api(path) {
    return fetch(path, {headers: {'Authorization': 'Bearer ' + token}}).then(function (r) { return r.json(); });
  }
  function cell(row, text, numeric) {
    var td = document.createElement('td');
    td.textContent = text;
    if (numeric) td.className = 'n';
    row.appendChild(td);
  }
  function status(text) { document.getElementById('status').textContent = text; }

  function drawLevels() {
    var level = document.getElementById('level').value, body = document.getElementById('levels');
    body.textContent = '';
    levels.filter(function (c) { return c.level === level; }).forEach(function (c) {
      var row = document.createElement('tr');
      row.setAttribute('data-code', c.code);
      cell(row, c.code); cell(row, c.name);
      [c.vessels, c.in_port, c.at_sea, c.overdue, c.confirmed, c.crew_ashore].forEach(function (n) { cell(row, n, true); });
      body.appendChild(row);
    });
    var city = levels.filter(function (c) { return c.level === 'city'; })[0] ||
      {vessels: 0, in_port: 0, at_sea: 0, overdue: 0, crew_ashore: 0};
    document.getElementById('total').textContent = city.vessels;
    document.getElementById('in-port').textContent = city.in_port;
    document.getElementById('at-sea').textContent = city.at_sea;
    document.getElementById('overdue').textContent = city.overdue;
    document.getElementById('ashore').textContent = city.crew_ashore;
  }

  // The plan's map (the report's layers, tagged with codes) comes once from /api/map.svg; its
  // root element carries the projection, so live marks land where the report would draw them.
  var ns = 'http://www.w3.org/2000/svg', projection = null, cells = {}, marks = {};
  function loadMap() {
    return fetch('/api/map.svg', {headers: {'Authorization': 'Bearer ' + token}}).then(function (r) {
      if (!r.ok) throw new Error('map ' + r.status);
      return r.text();
    }).then(function (text) {
      var box = document.getElementById('map-box');
      box.innerHTML = text;
      var svg = box.querySelector('svg');
      projection = {lon: +svg.getAttribute('data-min-lon'), lat: +svg.getAttribute('data-max-lat'),
        k: +svg.getAttribute('data-cos-lat'), u: +svg.getAttribute('data-units-per-degree')};
      Array.prototype.forEach.call(svg.querySelectorAll('[data-microgrid]'), function (p) {
        cells[p.getAttribute('data-microgrid')] = p;
      });
      var live = document.createElementNS(ns, 'g');
      live.setAttribute('id', 'live');
      svg.appendChild(live);
    }).catch(function (e) { status('地图无法载入：' + e.message); });
  }

  // One dot per vessel, changed only where its state or place changed: the map has tens of
  // thousands of paths, and redrawing them all after every report keeps a browser busy.
  var dots = {};
  function drawMap(vessels) {
    var live = document.getElementById('live');
    if (!live || !projection) return;
    vessels.forEach(function (v) {
      var c = dots[v.id];
      if (!c) {
        c = dots[v.id] = document.createElementNS(ns, 'circle');
        c.setAttribute('r', 3);
        c.setAttribute('data-vessel', v.id);
        c.appendChild(document.createElementNS(ns, 'title'));
        live.appendChild(c);
      }
      var cx = ((v.lon - projection.lon) * projection.k * projection.u).toFixed(1);
      var cy = ((projection.lat - v.lat) * projection.u).toFixed(1);
      var name = v.in_port ? 'port' : v.overdue ? 'overdue' : 'sea';
      var title = v.name + ' (' + v.id + ') ' + (v.in_port ? '在港' : '在海上') + ' · ' + v.responsible;
      if (c.getAttribute('cx') !== cx) c.setAttribute('cx', cx);
      if (c.getAttribute('cy') !== cy) c.setAttribute('cy', cy);
      if (c.getAttribute('class') !== name) c.setAttribute('class', name);
      if (c.firstChild.textContent !== title) c.firstChild.textContent = title;
    });
  }

  // Micro-grids coloured by testing progress; "started without a report" is worked out here from
  // the server's clock, since time alone starts a slot.
  var progressVersion = null;
  function paint(changes) {
    if (changes.full) marks = {};
    changes.microgrids.forEach(function (m) { marks[m.code] = m; });
    progressVersion = changes.version;
    var clock = new Date(Date.parse(changes.as_of) + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
    Object.keys(cells).forEach(function (code) {
      var m = marks[code], p = cells[code], due, share, name = '';
      if (m) {
        due = m.people - m.absent;
        share = due > 0 ? m.sampled / due : 1;
        name = !m.reported ? (m.slot_start <= clock ? 't-silent' : '') :
          share >= 0.9 ? 't-done' : share >= 0.5 ? 't-mid' : 't-low';
      }
      if (p.getAttribute('class') !== name) p.setAttribute('class', name);
    });
  }

  function drawCalls(calls) {
    var body = document.getElementById('calls');
    body.textContent = '';
    calls.forEach(function (c) {
      var v = c.vessel, row = document.createElement('tr');
      if (v.overdue) row.className = 'overdue';
      cell(row, v.name + ' (' + v.id + ')');
      cell(row, v.latest_departure ? new Date(v.latest_departure).toLocaleString('zh-CN', {timeZone: 'Asia/Shanghai'}) : '—');
      cell(row, v.responsible); cell(row, v.responsible_phone); cell(row, v.grid_code);
      body.appendChild(row);
    });
  }

  function drawTesting() {
    var level = document.getElementById('level').value, body = document.getElementById('t-levels');
    body.textContent = '';
    testLevels.filter(function (c) { return c.level === level; }).forEach(function (c) {
      var row = document.createElement('tr');
      row.setAttribute('data-code', c.code);
      cell(row, c.code); cell(row, c.name);
      [c.microgrids, c.people, c.sampled].forEach(function (n) { cell(row, n, true); });
      cell(row, c.people ? (100 * c.sampled / c.people).toFixed(1) + '%' : '—', true);
      [c.absent, c.retest, c.silent].forEach(function (n) { cell(row, n, true); });
      body.appendChild(row);
    });
    var city = testLevels.filter(function (c) { return c.level === 'city'; })[0];
    if (!city) return;
    ['sampled', 'people', 'absent', 'retest', 'reported', 'microgrids', 'silent'].forEach(function (k) {
      document.getElementById('t-' + k).textContent = city[k];
    });
    document.getElementById('t-share').textContent =
      city.people ? (100 * city.sampled / city.people).toFixed(1) + '%' : '—';
  }

  function drawSilent(grids) {
    var body = document.getElementById('silent');
    body.textContent = '';
    grids.forEach(function (g) {
      var row = document.createElement('tr');
      cell(row, g.grid_code); cell(row, g.unit_name); cell(row, g.microgrids.length, true); cell(row, g.people, true);
      cell(row, g.first_slot);
      cell(row, g.contacts.map(function (c) { return c.name + ' ' + c.phone; }).join('；') || '—');
      body.appendChild(row);
    });
  }

  var sequence = -1;
  // The vessels by id, as of `version`: after the first answer the page asks only for the ones
  // that changed. Overdue is worked out here from the server's clock, since time alone makes a
  // vessel overdue without any report.
  var vessels = {}, order = [], version = null;
  function merge(changes) {
    if (changes.full) {
      vessels = {}; order = []; dots = {};
      var live = document.getElementById('live');
      if (live) live.textContent = '';
    }
    changes.vessels.forEach(function (v) {
      if (!(v.id in vessels)) order.push(v.id);
      vessels[v.id] = v;
    });
    version = changes.version;
    return order.map(function (id) {
      var v = vessels[id];
      v.overdue = !v.in_port && !!v.latest_departure && v.latest_departure < changes.as_of;
      return v;
    });
  }
  function refresh() {
    var started = Date.now(), answered = 0;
    var since = version === null ? '' : '?since=' + version;
    var level = '?level=' + document.getElementById('level').value;
    var progressSince = progressVersion === null ? '' : '?since=' + progressVersion;
    return Promise.all([api('/api/levels' + level), api('/api/vessels/changes' + since), api('/api/calls?limit=200'),
      api('/api/testing/levels' + level), api('/api/testing/silent?limit=100'),
      api('/api/testing/progress' + progressSince)]).then(function (r) {
      answered = Date.now();
      var recall = !r[0].error, testing = !r[3].error;
      if (!recall && !testing) { status(r[0].error.message + '；' + r[3].error.message); return; }
      document.getElementById('recall').hidden = !recall;
      document.getElementById('testing').hidden = !testing;
      if (recall) {
        levels = r[0];
        drawLevels();
        if (!r[1].error) drawMap(merge(r[1]));
        drawCalls(r[2]);
      }
      if (testing) {
        testLevels = r[3];
        drawTesting();
        drawSilent(r[4]);
        if (!r[5].error) paint(r[5]);
      }
      document.body.setAttribute('data-sequence', sequence);
      status('更新于 ' + new Date().toLocaleTimeString('zh-CN', {timeZone: 'Asia/Shanghai'}) + ' 北京时间');
      document.body.setAttribute('data-refresh', (answered - started) + ' ms asking, ' +
        (Date.now() - answered) + ' ms drawing');
    });
  }

  // At most one refresh at a time and one a second, and always one after the last change: under a
  // steady flow of reports the page keeps up without asking the server after every single one.
  var busy = false, again = false, last = 0;
  function changed(seq) {
    sequence = seq;
    if (busy) { again = true; return; }
    busy = true;
    setTimeout(function () {
      last = Date.now();
      refresh().then(done, done);
    }, Math.max(0, 1000 - (Date.now() - last)));
  }
  function done() {
    busy = false;
    if (again) { again = false; changed(sequence); }
  }

  function listen() {
    fetch('/api/stream', {headers: {'Authorization': 'Bearer ' + token}}).then(function (response) {
      if (!response.ok) { status('无法连接实时更新（' + response.status + '）'); return; }
      var reader = response.body.getReader(), decoder = new TextDecoder(), buffer = '';
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) throw new Error('closed');
          buffer += decoder.decode(part.value, {stream: true});
          var events = buffer.split('\n\n');
          buffer = events.pop();
          events.forEach(function (e) {
            var data = /^data: (.*)$/m.exec(e);
            if (data) changed(JSON.parse(data[1]).sequence);
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      status('实时更新中断，正在重连…');
      setTimeout(listen, 2000);
    });
  }

  if (!token) {
    status('请用发给您的链接打开本页（链接里带有您的令牌）。');
  } else {
    document.getElementById('level').onchange = function () { changed(sequence); };
    loadMap().then(function () { refresh(); listen(); });
  }
})();
