/*
 * csto map: draws the CSTO region into an <svg class="csto-map" data-src="/api/map?...">.
 *
 * Plain ES2019, no build step. Needs the global `topojson` (static/vendor/topojson-client.min.js)
 * and the Natural Earth outlines at static/vendor/countries-110m.json. Nothing is fetched
 * from outside the app.
 *
 * Public API: window.cstoMap
 *   render(svg, data)  -> Promise  draw `data` (the /api/map JSON) into svg
 *   refresh(svg)       -> Promise  re-fetch svg's data-src and draw it
 *   init(root)                    set up every svg.csto-map under root (default: document)
 *   project(lon, lat)  -> [x, y]  the projection, in viewBox units
 *   atlasUrl                      where the outlines come from (or data-atlas on the svg)
 *
 * Auto-initialises on DOMContentLoaded (and on htmx:load for swapped-in maps).
 * Dispatch `csto:refresh` on the svg to re-fetch and re-draw. After each draw the svg gets
 * data-state="ready" and a `csto:rendered` event; on failure data-state="error".
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var W = 960;
  var H = 520;
  // The region of interest; the box is fitted into the 960x520 viewBox and centred.
  var BOX = { lon0: 20, lon1: 140, lat0: 25, lat1: 75 };
  // Equirectangular (equidistant cylindrical) with standard parallel 45N so the
  // region is not stretched east-west; lat 25..75 fills the height exactly and
  // lon 20..140 (plus a few degrees either side) fills the width.
  var STD_PARALLEL = 45;
  var COS_PHI = Math.cos((STD_PARALLEL * Math.PI) / 180);
  var LON_C = (BOX.lon0 + BOX.lon1) / 2;
  var LAT_C = (BOX.lat0 + BOX.lat1) / 2;
  var K = Math.min(W / ((BOX.lon1 - BOX.lon0) * COS_PHI), H / (BOX.lat1 - BOX.lat0)); // px per degree
  var CULL = 40; // px margin outside the viewBox within which rings are still drawn

  var STATUS_STYLE = {
    member: { fill: "#3a6db5", stroke: "#1c3d6e", label: "CSTO member", short: "CSTO member" },
    frozen: { pattern: "frozen", stroke: "#8a5a00", label: "Participation frozen", short: "Frozen" },
    suspended: { pattern: "suspended", stroke: "#555555", label: "Suspended", short: "Suspended" },
    observer: { fill: "#8cc3cc", stroke: "#2f6b74", label: "Observer", short: "Observer" },
    partner: { fill: "#b7d0ec", stroke: "#3a6db5", label: "Partner", short: "Partner" },
    former: { fill: "#dbe5f2", stroke: "#6f8fb8", dash: "3 2", label: "Former member", short: "Former member" }
  };
  var ROLE_STYLE = {
    aggressor: { fill: "#d9534f", stroke: "#8b1e1b", label: "Aggressor state", short: "Aggressor" },
    location: { fill: "#f0932b", stroke: "#9a5406", label: "Location of crisis", short: "Crisis location" },
    third: { fill: "#cbb8e0", stroke: "#6b5291", label: "Third state", short: "Third state" }
  };
  var LEGEND_FS = 12; // legend font size
  var LEGEND_ROW = 17; // legend row height
  var STATUS_ORDER = ["member", "frozen", "suspended", "observer", "partner", "former"];
  var ROLE_ORDER = ["aggressor", "location", "third"];
  var LAND = { fill: "#e4e4e4", stroke: "#a3a3a3" };
  var SEA = "#f4f8fc";
  var INK = "#1a1a1a";
  var GREEN = "#2e8b57";
  var GREEN_DARK = "#1b5e3a";
  var RED = "#c0392b";

  var api = {
    atlasUrl: "/static/vendor/countries-110m.json",
    render: render,
    refresh: refresh,
    init: init,
    project: project
  };

  // ------------------------------------------------------------------ projection

  function project(lon, lat) {
    return [W / 2 + (lon - LON_C) * COS_PHI * K, H / 2 - (lat - LAT_C) * K];
  }

  function r1(v) {
    return Math.round(v * 10) / 10;
  }

  // One ring -> "M..L..Z", or "" when it lies wholly outside the view.
  function ringPath(ring) {
    var i;
    var minLon = Infinity;
    var maxLon = -Infinity;
    for (i = 0; i < ring.length; i++) {
      if (ring[i][0] < minLon) minLon = ring[i][0];
      if (ring[i][0] > maxLon) maxLon = ring[i][0];
    }
    // A ring that jumps across the antimeridian (e.g. Chukotka) gets its western-hemisphere
    // points moved by +360 so it stays contiguous (and falls off the east edge of the box);
    // no line is ever drawn across the map.
    var wrap = maxLon - minLon > 180;
    var pts = [];
    var x0 = Infinity;
    var x1 = -Infinity;
    var y0 = Infinity;
    var y1 = -Infinity;
    for (i = 0; i < ring.length; i++) {
      var lon = ring[i][0];
      if (wrap && lon < 0) lon += 360;
      var p = project(lon, ring[i][1]);
      var x = r1(p[0]);
      var y = r1(p[1]);
      if (pts.length && pts[pts.length - 1][0] === x && pts[pts.length - 1][1] === y) continue;
      pts.push([x, y]);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (pts.length < 3) return "";
    if (x1 < -CULL || x0 > W + CULL || y1 < -CULL || y0 > H + CULL) return "";
    var out = "M" + pts[0][0] + "," + pts[0][1];
    for (i = 1; i < pts.length; i++) out += "L" + pts[i][0] + "," + pts[i][1];
    return out + "Z";
  }

  function geometryPath(geom) {
    if (!geom) return "";
    var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
    var d = "";
    for (var i = 0; i < polys.length; i++) {
      var outer = ringPath(polys[i][0]);
      if (!outer) continue; // outer ring off-view: its holes are too
      d += outer;
      for (var j = 1; j < polys[i].length; j++) d += ringPath(polys[i][j]);
    }
    return d;
  }

  // ------------------------------------------------------------------ data loading

  var atlasPromises = {};

  // Fetches the outlines once per URL and pre-projects them (the projection is fixed).
  function loadAtlas(url) {
    if (!atlasPromises[url]) {
      atlasPromises[url] = fetch(url, { credentials: "same-origin" })
        .then(function (res) {
          if (!res.ok) throw new Error("outlines: HTTP " + res.status);
          return res.json();
        })
        .then(function (topo) {
          if (!window.topojson) throw new Error("topojson-client is not loaded");
          var fc = window.topojson.feature(topo, topo.objects.countries);
          var shapes = [];
          fc.features.forEach(function (f) {
            var d = geometryPath(f.geometry);
            if (!d) return;
            shapes.push({
              id: f.id == null ? "" : String(f.id),
              name: (f.properties && f.properties.name) || "",
              d: d
            });
          });
          return shapes;
        });
      atlasPromises[url].catch(function () {
        delete atlasPromises[url]; // allow a retry on the next refresh
      });
    }
    return atlasPromises[url];
  }

  function atlasUrlFor(svg) {
    return (svg && svg.getAttribute("data-atlas")) || api.atlasUrl;
  }

  // ------------------------------------------------------------------ svg helpers

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
      });
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function title(parent, text) {
    var t = el("title");
    t.textContent = text;
    parent.insertBefore(t, parent.firstChild);
    return t;
  }

  function text(parent, x, y, str, attrs) {
    var a = {
      x: r1(x),
      y: r1(y),
      "font-size": 11,
      "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
      fill: INK,
      stroke: "#ffffff",
      "stroke-width": 3,
      "stroke-linejoin": "round",
      "paint-order": "stroke"
    };
    if (attrs) Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
    var t = el("text", a, parent);
    t.textContent = str;
    return t;
  }

  function fmt(n) {
    var v = Number(n);
    if (!isFinite(v)) return "?";
    var s = String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return v < 0 ? "-" + s : s;
  }

  function numCode(v) {
    if (v === undefined || v === null || v === "") return "";
    var s = String(v).trim();
    return /^\d+$/.test(s) ? ("000" + s).slice(-3) : s;
  }

  function hasPoint(o) {
    return o && isFinite(Number(o.lat)) && isFinite(Number(o.lon)) && o.lat !== null && o.lon !== null;
  }

  function reducedMotion() {
    try {
      return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    } catch (e) {
      return false;
    }
  }

  var uid = 0;

  // ------------------------------------------------------------------ label placement

  // Greedy: try a few positions around an anchor; pick the first that overlaps nothing placed.
  function Placer() {
    this.boxes = [];
  }
  Placer.prototype.block = function (x0, y0, x1, y1) {
    this.boxes.push([x0, y0, x1, y1]);
  };
  // Area of b that overlaps placed boxes or sticks out of the view (0 = free).
  Placer.prototype.cost = function (b) {
    var c = 0;
    var out = Math.max(0, 2 - b[0]) + Math.max(0, b[2] - (W - 2)) + Math.max(0, 2 - b[1]) + Math.max(0, b[3] - (H - 2));
    if (out > 0) c += out * 1000;
    for (var i = 0; i < this.boxes.length; i++) {
      var o = this.boxes[i];
      var dx = Math.min(b[2], o[2]) - Math.max(b[0], o[0]);
      var dy = Math.min(b[3], o[3]) - Math.max(b[1], o[1]);
      if (dx > 0 && dy > 0) c += dx * dy;
    }
    return c;
  };
  // Returns {x, y, anchor} for a text of `str` at font size fs around (cx, cy), gap g:
  // the first candidate position that is free, else the least crowded one.
  Placer.prototype.place = function (str, fs, cx, cy, g) {
    var w = str.length * fs * 0.56;
    var h = fs;
    var cands = [];
    [g, g + 12].forEach(function (d) {
      cands.push(
        { x: cx + d, y: cy + h * 0.35, anchor: "start", box: [cx + d, cy - h * 0.65, cx + d + w, cy + h * 0.35] },
        { x: cx - d, y: cy + h * 0.35, anchor: "end", box: [cx - d - w, cy - h * 0.65, cx - d, cy + h * 0.35] },
        { x: cx, y: cy - d - 2, anchor: "middle", box: [cx - w / 2, cy - d - 2 - h, cx + w / 2, cy - d - 2] },
        { x: cx, y: cy + d + h, anchor: "middle", box: [cx - w / 2, cy + d, cx + w / 2, cy + d + h] },
        { x: cx + d, y: cy - d, anchor: "start", box: [cx + d, cy - d - h, cx + d + w, cy - d] },
        { x: cx - d, y: cy - d, anchor: "end", box: [cx - d - w, cy - d - h, cx - d, cy - d] },
        { x: cx + d, y: cy + d + h, anchor: "start", box: [cx + d, cy + d, cx + d + w, cy + d + h] },
        { x: cx - d, y: cy + d + h, anchor: "end", box: [cx - d - w, cy + d, cx - d, cy + d + h] }
      );
    });
    var best = null;
    var bestCost = Infinity;
    for (var i = 0; i < cands.length; i++) {
      var c = this.cost(cands[i].box);
      if (c === 0) {
        best = cands[i];
        break;
      }
      if (c < bestCost) {
        bestCost = c;
        best = cands[i];
      }
    }
    this.boxes.push(best.box);
    return best;
  };

  // ------------------------------------------------------------------ drawing

  function defs(svg, prefix) {
    var d = el("defs", null, svg);
    var clip = el("clipPath", { id: prefix + "clip" }, d);
    el("rect", { x: 0, y: 0, width: W, height: H }, clip);

    var fr = el("pattern", { id: prefix + "frozen", patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" }, d);
    el("rect", { width: 6, height: 6, fill: "#f7d58e" }, fr);
    el("rect", { width: 2.5, height: 6, fill: "#c98a0b" }, fr);

    var su = el("pattern", { id: prefix + "suspended", patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(-45)" }, d);
    el("rect", { width: 6, height: 6, fill: "#dedede" }, su);
    el("rect", { width: 2, height: 6, fill: "#8c8c8c" }, su);
    return d;
  }

  function fillOf(style, prefix) {
    return style.pattern ? "url(#" + prefix + style.pattern + ")" : style.fill;
  }

  function draw(svg, data, shapes) {
    data = data || {};
    var members = Array.isArray(data.members) ? data.members : [];
    var others = Array.isArray(data.others) ? data.others : [];
    var bases = Array.isArray(data.bases) ? data.bases : [];
    var deployments = Array.isArray(data.deployments) ? data.deployments : [];
    var requests = Array.isArray(data.requests) ? data.requests : [];

    uid += 1;
    var prefix = "csto-map-" + uid + "-";

    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    if (!svg.getAttribute("preserveAspectRatio")) svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    if (!svg.getAttribute("role")) svg.setAttribute("role", "img");
    if (!svg.getAttribute("aria-label")) {
      svg.setAttribute("aria-label", "Map of the CSTO region: member states, bases, deployments and requests");
    }

    defs(svg, prefix);
    el("rect", { class: "map-sea", x: 0, y: 0, width: W, height: H, fill: SEA }, svg);

    // country classification by ISO numeric code (others override members if both given)
    var byNum = {};
    members.forEach(function (m) {
      var n = numCode(m.numeric);
      var st = STATUS_STYLE[m.status] ? m.status : "member";
      if (n) byNum[n] = { kind: "member", key: st, iso3: m.iso3, name: m.name, style: STATUS_STYLE[st], what: STATUS_STYLE[st].label };
    });
    others.forEach(function (o) {
      var n = numCode(o.numeric);
      var role = ROLE_STYLE[o.role] ? o.role : "third";
      if (n) byNum[n] = { kind: "other", key: role, iso3: o.iso3, name: o.name, style: ROLE_STYLE[role], what: ROLE_STYLE[role].label };
    });

    var map = el("g", { class: "map-body", "clip-path": "url(#" + prefix + "clip)" }, svg);
    var gLand = el("g", { class: "countries", "stroke-width": 0.5, "stroke-linejoin": "round" }, map);
    var highlighted = [];
    shapes.forEach(function (s) {
      var info = byNum[s.id];
      if (info) {
        highlighted.push({ s: s, info: info });
        return;
      }
      var p = el("path", { d: s.d, class: "country", fill: LAND.fill, stroke: LAND.stroke, "data-numeric": s.id || null }, gLand);
      if (s.name) title(p, s.name);
    });
    // highlighted countries drawn last so their outlines sit on top of the grey ones
    var gHi = el("g", { class: "countries-highlighted", "stroke-width": 0.9, "stroke-linejoin": "round" }, map);
    highlighted.forEach(function (h) {
      var st = h.info.style;
      var p = el("path", {
        d: h.s.d,
        class: "country " + h.info.kind + " " + (h.info.kind === "member" ? "status-" : "role-") + h.info.key,
        fill: fillOf(st, prefix),
        stroke: st.stroke,
        "stroke-dasharray": st.dash || null,
        "data-iso3": h.info.iso3 || null,
        "data-numeric": h.s.id,
        "data-status": h.info.kind === "member" ? h.info.key : null,
        "data-role": h.info.kind === "other" ? h.info.key : null
      }, gHi);
      title(p, (h.info.name || h.s.name) + " \u2014 " + h.info.what);
    });

    var placer = new Placer();
    var gMarks = el("g", { class: "markers" }, map);
    var gLabels = el("g", { class: "labels" }, map);

    // reserve the legend area first so labels avoid it (bottom-left, over the Middle East,
    // kept low and compact so it never hides the Caucasus or Central Asia)
    var legend = legendLayout(legendRows(members, others));
    legend.x = 8;
    legend.y = H - 8 - legend.h;
    placer.block(legend.x, legend.y, legend.x + legend.w, legend.y + legend.h);

    // capitals (dots now, labels after the more important markers)
    var gCap = el("g", { class: "capitals" }, gMarks);
    var capLabels = [];
    members.forEach(function (m) {
      if (!m.capital || !hasPoint(m.capital)) return;
      var p = project(Number(m.capital.lon), Number(m.capital.lat));
      var c = el("circle", { class: "capital", cx: r1(p[0]), cy: r1(p[1]), r: 2.5, fill: INK, stroke: "#ffffff", "stroke-width": 1, "data-iso3": m.iso3 || null }, gCap);
      title(c, (m.capital.name || "Capital") + (m.name ? " (" + m.name + ")" : ""));
      placer.block(p[0] - 3, p[1] - 3, p[0] + 3, p[1] + 3);
      if (m.capital.name) capLabels.push({ str: m.capital.name, x: p[0], y: p[1] });
    });

    // bases: small dark triangles
    var gBases = el("g", { class: "bases" }, gMarks);
    bases.forEach(function (b) {
      if (!hasPoint(b)) return;
      var p = project(Number(b.lon), Number(b.lat));
      var x = r1(p[0]);
      var y = r1(p[1]);
      var t = el("path", {
        class: "base-marker",
        d: "M" + x + "," + r1(y - 6) + "L" + r1(x + 5.5) + "," + r1(y + 4) + "L" + r1(x - 5.5) + "," + r1(y + 4) + "Z",
        fill: "#222222",
        stroke: "#ffffff",
        "stroke-width": 1,
        "data-id": b.id || null
      }, gBases);
      var parts = [b.name || b.id || "Base"];
      if (b.operator) parts.push("operator: " + b.operator);
      if (b.host) parts.push("host: " + b.host);
      if (b.personnel !== undefined && b.personnel !== null) parts.push("personnel: " + fmt(b.personnel));
      title(t, parts.join("; "));
      placer.block(x - 6, y - 7, x + 6, y + 5);
    });

    // deployments: green circles, area proportional to on_ground (min radius 6px)
    var gDep = el("g", { class: "deployments" }, gMarks);
    var depLabels = [];
    deployments
      .filter(hasPoint)
      .slice()
      .sort(function (a, b) { return (Number(b.on_ground) || 0) - (Number(a.on_ground) || 0); }) // small on top
      .forEach(function (dep) {
        var p = project(Number(dep.lon), Number(dep.lat));
        var n = Math.max(0, Number(dep.on_ground) || 0);
        var r = Math.max(6, Math.min(48, 0.35 * Math.sqrt(n)));
        var c = el("circle", {
          class: "deployment-marker",
          cx: r1(p[0]),
          cy: r1(p[1]),
          r: r1(r),
          fill: GREEN,
          "fill-opacity": 0.55,
          stroke: GREEN_DARK,
          "stroke-width": 1.5,
          "data-id": dep.id || null,
          "data-on-ground": n,
          "data-tasked": dep.tasked !== undefined && dep.tasked !== null ? dep.tasked : null
        }, gDep);
        var label = (dep.name || dep.id || "Deployment") + ": " + fmt(n) +
          (dep.tasked !== undefined && dep.tasked !== null ? " / " + fmt(dep.tasked) : "") + " on the ground";
        var tip = [label];
        if (dep.by_state && typeof dep.by_state === "object") {
          Object.keys(dep.by_state).sort().forEach(function (k) { tip.push(k + ": " + fmt(dep.by_state[k])); });
        }
        title(c, tip.join("\n"));
        placer.block(p[0] - r, p[1] - r, p[0] + r, p[1] + r);
        depLabels.push({ str: label, x: p[0], y: p[1], r: r, id: dep.id });
      });

    // requests: a pulsing ring
    var gReq = el("g", { class: "requests" }, gMarks);
    var reqLabels = [];
    var still = reducedMotion();
    requests.forEach(function (q) {
      if (!hasPoint(q)) return;
      var p = project(Number(q.lon), Number(q.lat));
      var g = el("g", { class: "request-marker", "data-state": q.state || null }, gReq);
      el("circle", { cx: r1(p[0]), cy: r1(p[1]), r: 7, fill: "none", stroke: RED, "stroke-width": 2.5 }, g);
      if (!still) {
        var pulse = el("circle", { class: "request-pulse", cx: r1(p[0]), cy: r1(p[1]), r: 7, fill: "none", stroke: RED, "stroke-width": 2 }, g);
        el("animate", { attributeName: "r", values: "7;20", dur: "1.6s", repeatCount: "indefinite" }, pulse);
        el("animate", { attributeName: "stroke-opacity", values: "0.9;0", dur: "1.6s", repeatCount: "indefinite" }, pulse);
      }
      title(g, (q.label || "Request") + (q.state ? " (" + q.state + ")" : ""));
      placer.block(p[0] - 9, p[1] - 9, p[0] + 9, p[1] + 9);
      if (q.label) reqLabels.push({ str: q.label, x: p[0], y: p[1] });
    });

    // labels, most important first
    reqLabels.forEach(function (l) {
      var at = placer.place(l.str, 13.5, l.x, l.y, 11);
      text(gLabels, at.x, at.y, l.str, { class: "request-label", "text-anchor": at.anchor, "font-size": 13.5, "font-weight": 700, fill: "#8b1e1b" });
    });
    depLabels.forEach(function (l) {
      var at = placer.place(l.str, 12.5, l.x, l.y, l.r + 3);
      text(gLabels, at.x, at.y, l.str, { class: "deployment-label", "text-anchor": at.anchor, "font-size": 12.5, "font-weight": 600, fill: GREEN_DARK, "data-id": l.id || null });
    });
    capLabels.forEach(function (l) {
      var at = placer.place(l.str, 11.5, l.x, l.y, 4);
      text(gLabels, at.x, at.y, l.str, { class: "capital-label", "text-anchor": at.anchor, "font-size": 11.5 });
    });

    drawLegend(svg, prefix, legend);

    var frame = el("rect", { class: "map-frame", x: 0.5, y: 0.5, width: W - 1, height: H - 1, fill: "none", stroke: "#9aa5b1" }, svg);
    frame.setAttribute("pointer-events", "none");
  }

  function legendRows(members, others) {
    var seenStatus = { member: true };
    members.forEach(function (m) { if (STATUS_STYLE[m.status]) seenStatus[m.status] = true; });
    var seenRole = {};
    others.forEach(function (o) { seenRole[ROLE_STYLE[o.role] ? o.role : "third"] = true; });
    var rows = [];
    STATUS_ORDER.forEach(function (k) { if (seenStatus[k]) rows.push({ key: "status-" + k, style: STATUS_STYLE[k] }); });
    ROLE_ORDER.forEach(function (k) { if (seenRole[k]) rows.push({ key: "role-" + k, style: ROLE_STYLE[k] }); });
    return rows;
  }

  // Legend entries (area fills, then the three symbols) in two columns, at most
  // ceil(n/2) rows, so the box stays low and never covers the Caucasus.
  function legendLayout(rows) {
    var symbols = [
      { symbol: "base", label: "Military base" },
      { symbol: "deployment", label: "Deployment (\u221D troops)" },
      { symbol: "request", label: "Request for help" }
    ];
    var all = rows.concat(symbols);
    var nRows = Math.max(symbols.length, Math.ceil(all.length / 2));
    var columns = [all.slice(0, nRows), all.slice(nRows)].filter(function (c) { return c.length; });
    var x = 8;
    var cols = columns.map(function (items) {
      var longest = items.reduce(function (m, it) {
        return Math.max(m, (it.symbol ? it.label : it.style.short || it.style.label).length);
      }, 0);
      var col = { x: x, items: items };
      x += Math.ceil(26 + longest * LEGEND_FS * 0.56 + 10);
      return col;
    });
    return { columns: cols, w: x, h: nRows * LEGEND_ROW + 10 };
  }

  function drawLegend(svg, prefix, L) {
    var g = el("g", { class: "map-legend", transform: "translate(" + L.x + "," + L.y + ")" }, svg);
    el("rect", { x: 0, y: 0, width: L.w, height: L.h, rx: 4, fill: "#ffffff", "fill-opacity": 0.93, stroke: "#8a8a8a" }, g);
    var plain = { stroke: "none", "font-size": LEGEND_FS };
    L.columns.forEach(function (col) {
      col.items.forEach(function (it, i) {
        var cy = 5 + i * LEGEND_ROW + LEGEND_ROW / 2; // row centre
        var sx = col.x + 9; // symbol centre
        var item = el("g", { class: "legend-item" }, g);
        if (it.symbol === "base") {
          el("path", { d: "M" + sx + "," + (cy - 6) + "L" + (sx + 5.5) + "," + (cy + 4) + "L" + (sx - 5.5) + "," + (cy + 4) + "Z", fill: "#222222" }, item);
          title(item, "Military base (hover a triangle for details)");
        } else if (it.symbol === "deployment") {
          el("circle", { cx: sx, cy: cy, r: 5.5, fill: GREEN, "fill-opacity": 0.55, stroke: GREEN_DARK, "stroke-width": 1.5 }, item);
          title(item, "Deployment: circle area grows with troops on the ground");
        } else if (it.symbol === "request") {
          el("circle", { cx: sx, cy: cy, r: 5, fill: "none", stroke: RED, "stroke-width": 2.5 }, item);
          title(item, "Request for assistance");
        } else {
          el("rect", {
            class: "legend-swatch " + it.key,
            x: col.x, y: cy - 5.5, width: 18, height: 11,
            fill: fillOf(it.style, prefix),
            stroke: it.style.stroke,
            "stroke-width": 1,
            "stroke-dasharray": it.style.dash || null
          }, item);
          title(item, it.style.label);
        }
        text(item, col.x + 24, cy + LEGEND_FS * 0.35, it.symbol ? it.label : it.style.short || it.style.label, plain);
      });
    });
  }

  function drawMessage(svg, msg) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    el("rect", { x: 0, y: 0, width: W, height: H, fill: SEA, stroke: "#9aa5b1" }, svg);
    text(svg, W / 2, H / 2, msg, { "text-anchor": "middle", "font-size": 16, class: "map-message" });
  }

  // ------------------------------------------------------------------ public entry points

  var seq = typeof WeakMap === "function" ? new WeakMap() : null;

  function nextSeq(svg) {
    if (!seq) return 0;
    var n = (seq.get(svg) || 0) + 1;
    seq.set(svg, n);
    return n;
  }

  function isLatest(svg, n) {
    return !seq || seq.get(svg) === n;
  }

  function fire(svg, name, detail) {
    var ev;
    try {
      ev = new CustomEvent(name, { bubbles: true, detail: detail });
    } catch (e) {
      ev = document.createEvent("CustomEvent");
      ev.initCustomEvent(name, true, false, detail);
    }
    svg.dispatchEvent(ev);
  }

  function fail(svg, err) {
    svg.setAttribute("data-state", "error");
    svg.setAttribute("data-error", String((err && err.message) || err));
    // keep an earlier good drawing if there is one; otherwise say why the map is empty
    if (!svg.querySelector(".map-body")) drawMessage(svg, "Map unavailable: " + ((err && err.message) || err));
    fire(svg, "csto:map-error", { error: err });
    if (window.console && console.warn) console.warn("csto map:", err);
  }

  // Draw `data` into `svg`. Returns a Promise that resolves when drawn.
  function render(svg, data) {
    var n = nextSeq(svg);
    return loadAtlas(atlasUrlFor(svg)).then(function (shapes) {
      if (!isLatest(svg, n)) return;
      draw(svg, data, shapes);
      svg.setAttribute("data-state", "ready");
      svg.removeAttribute("data-error");
      fire(svg, "csto:rendered", { data: data });
    }, function (err) {
      if (isLatest(svg, n)) fail(svg, err);
    });
  }

  // Re-fetch data-src and draw it. Overlapping refreshes: only the latest is drawn.
  function refresh(svg) {
    var src = svg.getAttribute("data-src");
    var n = nextSeq(svg);
    if (!src) {
      fail(svg, new Error("no data-src"));
      return Promise.resolve();
    }
    svg.setAttribute("data-state", svg.querySelector(".map-body") ? "refreshing" : "loading");
    var atlas = loadAtlas(atlasUrlFor(svg));
    var data = fetch(src, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) throw new Error("map data: HTTP " + res.status);
        return res.json();
      });
    return Promise.all([atlas, data]).then(function (both) {
      if (!isLatest(svg, n)) return;
      draw(svg, both[1], both[0]);
      svg.setAttribute("data-state", "ready");
      svg.removeAttribute("data-error");
      fire(svg, "csto:rendered", { data: both[1] });
    }, function (err) {
      if (isLatest(svg, n)) fail(svg, err);
    });
  }

  function isMap(node) {
    return node && node.nodeType === 1 && node.matches && node.matches("svg.csto-map");
  }

  function init(root) {
    root = root || document;
    var list = [];
    if (isMap(root)) list.push(root);
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll("svg.csto-map[data-src]"), function (s) { list.push(s); });
    }
    list.forEach(function (svg) {
      if (svg.getAttribute("data-csto-init")) return;
      svg.setAttribute("data-csto-init", "1");
      refresh(svg);
    });
  }

  // Capture phase on document: catches `csto:refresh` on any map, including maps swapped in
  // later and events dispatched without bubbles.
  document.addEventListener("csto:refresh", function (ev) {
    if (isMap(ev.target)) {
      ev.target.setAttribute("data-csto-init", "1");
      refresh(ev.target);
    }
  }, true);

  // htmx (if present) announces new content with htmx:load; initialise maps inside it.
  document.addEventListener("htmx:load", function (ev) {
    if (ev.target && ev.target.nodeType === 1) init(ev.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }

  window.cstoMap = api;
})();
