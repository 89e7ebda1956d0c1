// GridPlan plan report: zoom and pan by rewriting the map's viewBox; micro-grids and labels
// appear past a zoom level; the scale bar is recomputed from the viewBox and the drawn width.
// Inlined into the HTML file by `gridplan report`; it loads nothing from the network.
(function () {
  var svg = document.getElementById('map');
  if (!svg) return;
  var full = svg.viewBox.baseVal, W = full.width, H = full.height;
  var mpu = parseFloat(svg.dataset.metresPerUnit);
  var v = {x: 0, y: 0, w: W, h: H};

  function apply() {
    svg.setAttribute('viewBox', v.x + ' ' + v.y + ' ' + v.w + ' ' + v.h);
    var z = W / v.w;
    svg.classList.toggle('micro-on', z >= 3 && document.getElementById('show-micro').checked);
    svg.classList.toggle('labels-on', z >= 6 && document.getElementById('show-labels').checked);
    scale();
  }

  // A bar of 1, 2 or 5 × 10^k metres, at most 120 px wide.
  function scale() {
    var px = svg.getBoundingClientRect().width || 1000, unitsPerPx = v.w / px;
    var target = 120 * unitsPerPx * mpu;
    var p = Math.pow(10, Math.floor(Math.log10(target)));
    var m = [1, 2, 5, 10].map(function (k) { return k * p; })
      .filter(function (x) { return x <= target; }).pop() || p;
    document.getElementById('scale-bar').style.width = (m / mpu / unitsPerPx) + 'px';
    document.getElementById('scale-label').textContent = m >= 1000 ? (m / 1000) + ' km' : m + ' m';
  }

  function zoom(f, cx, cy) {
    var nw = Math.min(W, Math.max(W / 400, v.w / f)), nh = nw * H / W;
    v.x = cx - (cx - v.x) * nw / v.w;
    v.y = cy - (cy - v.y) * nh / v.h;
    v.w = nw;
    v.h = nh;
    apply();
  }

  function toSvg(e) {
    var r = svg.getBoundingClientRect();
    return {x: v.x + (e.clientX - r.left) / r.width * v.w, y: v.y + (e.clientY - r.top) / r.height * v.h};
  }

  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var p = toSvg(e);
    zoom(e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, {passive: false});

  var drag = null;
  svg.addEventListener('pointerdown', function (e) {
    drag = {x: e.clientX, y: e.clientY, vx: v.x, vy: v.y};
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    v.x = drag.vx - (e.clientX - drag.x) / r.width * v.w;
    v.y = drag.vy - (e.clientY - drag.y) / r.height * v.h;
    apply();
  });
  svg.addEventListener('pointerup', function () { drag = null; });

  document.getElementById('zoom-in').onclick = function () { zoom(1.5, v.x + v.w / 2, v.y + v.h / 2); };
  document.getElementById('zoom-out').onclick = function () { zoom(1 / 1.5, v.x + v.w / 2, v.y + v.h / 2); };
  document.getElementById('zoom-reset').onclick = function () { v = {x: 0, y: 0, w: W, h: H}; apply(); };
  document.getElementById('show-micro').onchange = apply;
  document.getElementById('show-labels').onchange = apply;
  window.addEventListener('resize', scale);
  apply();
})();
