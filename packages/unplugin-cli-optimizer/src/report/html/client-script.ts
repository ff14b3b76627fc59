/**
 * The HTML report's script: plain ES2020 run by the browser, kept as a string so the page is one
 * self-contained file. It reads the JSON payload from `#report-data`, builds the treemap of the
 * selected view (chunks → packages → modules) and the tables. Text is always set with
 * `textContent`, never parsed as HTML, so module names cannot inject markup.
 * Written without template literals so it can live in this string.
 */
export const CLIENT_SCRIPT = String.raw`
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var MODES = ['raw', 'gzip', 'brotli'];
  var state = { mode: 'raw', view: 0, path: [] };
  var pkgs = data.packages;

  function fmt(n) {
    var a = Math.abs(n), s = n < 0 ? '-' : '';
    if (a < 1024) return s + Math.round(a) + ' B';
    if (a < 1048576) return s + (a / 1024).toFixed(1) + ' KiB';
    return s + (a / 1048576).toFixed(2) + ' MiB';
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function hue(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    return h % 360;
  }
  function colorOf(node) {
    if (node.kind === 'chunk') return 'hsl(220, 12%, 30%)';
    var pkg = node.pkg;
    if (pkg === '[app]') return 'hsl(205, 70%, 52%)';
    if (pkg === '[unattributed]') return 'hsl(0, 0%, 62%)';
    return 'hsl(' + hue(pkg) + ', 55%, ' + (node.kind === 'module' ? '62%' : '50%') + ')';
  }
  function modeIndex() { return MODES.indexOf(state.mode); }
  function size(node) { return node.size[modeIndex()]; }

  // Tree of one view: root → chunks → packages → modules. Module gzip/brotli figures are the
  // chunk's ratio applied to the module's raw bytes (the page says so).
  function buildTree(files) {
    var root = { name: data.views[state.view].label, kind: 'root', size: [0, 0, 0], children: [] };
    files.forEach(function (fi) {
      var c = data.chunks[fi];
      var chunk = { name: c[0], kind: 'chunk', size: [c[1], c[2], c[3]], children: [], file: c[0] };
      var groups = {};
      var mods = data.modules[fi];
      for (var i = 0; i < mods.length; i++) {
        var m = mods[i];
        var pkg = m[1] < 0 ? '[unattributed]' : pkgs[m[1]];
        var g = groups[pkg];
        if (!g) { g = groups[pkg] = { name: pkg, pkg: pkg, kind: 'package', size: [0, 0, 0], children: [] }; chunk.children.push(g); }
        var raw = m[2];
        var ratioG = c[1] ? c[2] / c[1] : 0, ratioB = c[1] ? c[3] / c[1] : 0;
        var s = [raw, raw * ratioG, raw * ratioB];
        g.children.push({ name: m[0], pkg: pkg, kind: 'module', size: s, children: [] });
        for (var k = 0; k < 3; k++) g.size[k] += s[k];
      }
      for (var k2 = 0; k2 < 3; k2++) root.size[k2] += chunk.size[k2];
      root.children.push(chunk);
    });
    return root;
  }

  function squarify(items, x, y, w, h) {
    var out = [];
    var total = 0;
    items.forEach(function (it) { total += it.v; });
    if (total <= 0 || w <= 0 || h <= 0) return out;
    var scale = (w * h) / total;
    var rest = items.map(function (it) { return { it: it, a: it.v * scale }; });
    var i = 0;
    while (i < rest.length) {
      var short = Math.min(w, h);
      var row = [rest[i]], sum = rest[i].a, min = rest[i].a, max = rest[i].a;
      var worst = Math.max((short * short * max) / (sum * sum), (sum * sum) / (short * short * min));
      i++;
      while (i < rest.length) {
        var a = rest[i].a, s2 = sum + a, mn = Math.min(min, a), mx = Math.max(max, a);
        var w2 = Math.max((short * short * mx) / (s2 * s2), (s2 * s2) / (short * short * mn));
        if (w2 > worst) break;
        row.push(rest[i]); sum = s2; min = mn; max = mx; worst = w2; i++;
      }
      var thick = sum / short;
      if (w >= h) {
        var yy = y;
        row.forEach(function (r) { var hh = r.a / thick; out.push({ it: r.it, x: x, y: yy, w: thick, h: hh }); yy += hh; });
        x += thick; w -= thick;
      } else {
        var xx = x;
        row.forEach(function (r) { var ww = r.a / thick; out.push({ it: r.it, x: xx, y: y, w: ww, h: thick }); xx += ww; });
        y += thick; h -= thick;
      }
    }
    return out;
  }

  var tree = null;
  function current() {
    var node = tree;
    for (var i = 0; i < state.path.length; i++) {
      var next = node.children.filter(function (c) { return c.name === state.path[i]; })[0];
      if (!next) { state.path = state.path.slice(0, i); break; }
      node = next;
    }
    return node;
  }

  var HEADER = 18;
  function drawCells(container, node, x, y, w, h, depth) {
    var items = node.children
      .map(function (c) { return { node: c, v: size(c) }; })
      .filter(function (it) { return it.v > 0; })
      .sort(function (a, b) { return b.v - a.v; });
    var rects = squarify(items, x, y, w, h);
    var drawn = 0;
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i], child = r.it.node;
      if (r.w < 3 || r.h < 3) continue;
      var cell = el('div', { class: 'cell kind-' + child.kind, 'data-kind': child.kind, 'data-name': child.name, role: 'button', tabindex: depth === 0 ? '0' : '-1' });
      cell.style.left = r.x + 'px'; cell.style.top = r.y + 'px';
      cell.style.width = Math.max(0, r.w - 1) + 'px'; cell.style.height = Math.max(0, r.h - 1) + 'px';
      cell.style.background = colorOf(child);
      cell.title = child.name + '\n' + fmt(size(child)) + ' ' + state.mode + (child.kind === 'module' && state.mode !== 'raw' ? ' (estimated)' : '');
      if (r.w > 40 && r.h > 14) {
        var label = el('div', { class: 'label' });
        label.appendChild(el('span', { class: 'name' }, shortName(child)));
        label.appendChild(el('span', { class: 'size' }, ' ' + fmt(size(child))));
        cell.appendChild(label);
      }
      cell.__node = child;
      cell.__depth = depth;
      container.appendChild(cell);
      drawn++;
      if (depth === 0 && child.children.length > 0 && r.w > 60 && r.h > HEADER + 24) {
        drawCells(container, child, r.x + 2, r.y + HEADER, r.w - 5, r.h - HEADER - 3, 1);
      }
    }
    return drawn;
  }
  function shortName(node) {
    if (node.kind !== 'module') return node.name;
    var at = node.name.lastIndexOf('node_modules/');
    if (at < 0) return node.name;
    var rest = node.name.slice(at + 13).split('/');
    return rest.slice(rest[0].charAt(0) === '@' ? 2 : 1).join('/');
  }

  function render() {
    var view = data.views[state.view];
    tree = buildTree(view.files);
    var node = current();
    var map = document.getElementById('treemap');
    map.textContent = '';
    var w = map.clientWidth, h = map.clientHeight;
    drawCells(map, node, 0, 0, w, h, 0);
    var crumbs = document.getElementById('crumbs');
    crumbs.textContent = '';
    var trail = [tree];
    var n = tree;
    state.path.forEach(function (name) { n = n.children.filter(function (c) { return c.name === name; })[0]; trail.push(n); });
    trail.forEach(function (t, i) {
      if (i > 0) crumbs.appendChild(el('span', { class: 'sep' }, ' › '));
      var b = el('button', { class: 'crumb', 'data-depth': String(i) }, t.name);
      b.addEventListener('click', function () { state.path = state.path.slice(0, i); render(); });
      crumbs.appendChild(b);
    });
    document.getElementById('total').textContent = fmt(size(node));
    document.getElementById('total').setAttribute('data-bytes', String(Math.round(size(node))));
    document.getElementById('total-kind').textContent = node.kind === 'root' ? view.label : node.kind + ' ' + node.name;
    document.getElementById('estimate-note').hidden = state.mode === 'raw';
    MODES.forEach(function (m) {
      var b = document.querySelector('button[data-mode="' + m + '"]');
      b.setAttribute('aria-pressed', String(m === state.mode));
    });
    renderTables();
  }

  document.getElementById('treemap').addEventListener('click', function (ev) {
    var t = ev.target;
    while (t && !t.__node) t = t.parentElement;
    if (!t) return;
    var node = t.__node;
    if (node.kind === 'module') { showDetails(node); if (t.__depth === 0) return; }
    // A click on a nested cell zooms one level: into the cell that contains it.
    var parentName = t.__depth === 1 ? findParent(node) : null;
    if (parentName) state.path.push(parentName);
    if (node.kind !== 'module') state.path.push(node.name);
    render();
  });
  function findParent(node) {
    var cur = current();
    for (var i = 0; i < cur.children.length; i++) if (cur.children[i].children.indexOf(node) >= 0) return cur.children[i].name;
    return null;
  }
  document.getElementById('treemap').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && ev.target.__node) ev.target.click();
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && state.path.length > 0) { state.path.pop(); render(); }
  });
  function showDetails(node) {
    var d = document.getElementById('details');
    d.textContent = node.name + ' · ' + (node.pkg === '[app]' ? 'app code' : 'package ' + node.pkg) + ' · ' + fmt(node.size[0]) + ' raw, ~' + fmt(node.size[1]) + ' gzip, ~' + fmt(node.size[2]) + ' brotli (estimated)';
  }
  MODES.forEach(function (m) {
    document.querySelector('button[data-mode="' + m + '"]').addEventListener('click', function () { state.mode = m; render(); });
  });
  var select = document.getElementById('view');
  data.views.forEach(function (v, i) { select.appendChild(el('option', { value: String(i) }, v.label)); });
  select.addEventListener('change', function () { state.view = Number(select.value); state.path = []; render(); });
  window.addEventListener('resize', function () { render(); });

  function sumFiles(files) {
    var s = 0;
    files.forEach(function (fi) { s += data.chunks[fi][1 + modeIndex()]; });
    return s;
  }
  function fillTable(id, head, rows, limit) {
    var t = document.getElementById(id);
    if (!t) return;
    t.textContent = '';
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    var thead = el('thead'); thead.appendChild(tr); t.appendChild(thead);
    var body = el('tbody');
    if (rows.length === 0) {
      var none = el('tr', { class: 'none' });
      none.appendChild(el('td', { colspan: String(head.length) }, 'None.'));
      body.appendChild(none);
    }
    rows.slice(0, limit || 500).forEach(function (row) {
      var r = el('tr');
      row.forEach(function (c) { r.appendChild(el('td', null, c)); });
      body.appendChild(r);
    });
    t.appendChild(body);
    if (rows.length > (limit || 500)) {
      var more = el('tr'); var td = el('td', { colspan: String(head.length) }, '… and ' + (rows.length - (limit || 500)) + ' more');
      more.appendChild(td); body.appendChild(more);
    }
  }
  function renderTables() {
    fillTable('views-table', ['View', 'Kind', 'Entry', 'Loads (' + state.mode + ')', 'Beyond the initial load', 'Files'], data.views.map(function (v) {
      return [v.name, v.kind, v.entry, fmt(sumFiles(v.files)), v.kind === 'all' ? '' : fmt(sumFiles(v.own)), String(v.files.length)];
    }));
    var pk = {};
    data.chunks.forEach(function (c, fi) {
      data.modules[fi].forEach(function (m) {
        var name = m[1] < 0 ? '[unattributed]' : pkgs[m[1]];
        var ratio = c[1] ? data.chunks[fi][1 + modeIndex()] / c[1] : 0;
        pk[name] = (pk[name] || 0) + m[2] * ratio;
      });
    });
    var list = Object.keys(pk).map(function (k) { return [k, pk[k]]; }).sort(function (a, b) { return b[1] - a[1]; });
    fillTable('packages-table', ['Package', 'Size (' + state.mode + (state.mode === 'raw' ? '' : ', estimated') + ')'], list.map(function (p) { return [p[0], fmt(p[1])]; }), 50);
  }

  function staticTables() {
    fillTable('budgets-table', ['Result', 'Rule', 'Subject', 'Details'], data.budgets.map(function (b) {
      return [b.passed ? 'pass' : b.severity, b.rule, b.subject, b.message];
    }));
    fillTable('opportunities-table', ['Kind', 'Subject', 'Saved at startup (raw)', 'Saved in all (raw)', 'Advice', 'Evidence'], data.opportunities.map(function (o) {
      return [o.kind, o.subject, o.startupBytes === null ? '—' : fmt(o.startupBytes), o.savedBytes === null ? '—' : fmt(o.savedBytes), o.location ? o.advice + ' (' + o.location + ')' : o.advice, o.detail];
    }));
    fillTable('duplicates-table', ['Package', 'Copies', 'Extra bytes', 'Folders'], data.duplicates.map(function (d) {
      return [d.name, String(d.instances.length), fmt(d.wastedBytes), d.instances.map(function (i) { return i.path + ' (' + fmt(i.bytes) + ')'; }).join(', ')];
    }));
    fillTable('transforms-table', ['Kind', 'Applied', 'Where', 'Reason'], data.transforms.map(function (t) {
      return [t.kind, t.applied ? 'applied' : 'refused', t.where, t.reason];
    }));
    if (data.comparison) {
      var c = data.comparison;
      fillTable('comparison-entries', ['Entry', 'Initial base → head', 'Δ initial', 'Total base → head', 'Δ total', 'Status'], c.entries.map(function (e) {
        return [e.name, fmt(e.initial.base) + ' → ' + fmt(e.initial.head), fmt(e.initial.delta), fmt(e.total.base) + ' → ' + fmt(e.total.head), fmt(e.total.delta), e.status];
      }));
      fillTable('comparison-changes', ['Kind', 'Name', 'Base', 'Head', 'Δ', 'Status'], c.chunks.map(function (r) { return ['chunk', r.name, fmt(r.change.base), fmt(r.change.head), fmt(r.change.delta), r.change.status]; })
        .concat(c.packages.map(function (r) { return ['package', r.name, fmt(r.change.base), fmt(r.change.head), fmt(r.change.delta), r.change.status]; })), 200);
    }
    document.querySelectorAll('[data-count]').forEach(function (n) {
      var list = data[n.getAttribute('data-count')];
      n.textContent = '(' + (list ? list.length : 0) + ')';
    });
  }
  staticTables();
  render();
  document.body.setAttribute('data-ready', 'true');
})();
`
