/* geo: draws a story's places on a Leaflet map from JSON data.
 *
 * Every string from the place list reaches the page through textContent or
 * through esc(), never as markup: a place name is text wherever it shows.
 * Nothing here fetches anything: the tile basemaps ask their servers, and when
 * they cannot, the page switches to the offline basemap it carries (base).
 */
function geoStory(map, data, basemaps, base, world) {
  "use strict";

  var KINDS = data.style.kinds;  /* geo/static/kinds.json, shared with the render and the KML */

  function kindOf(place) { return KINDS[place.kind] || KINDS.other; }

  function esc(text) {
    var span = document.createElement("span");
    span.textContent = String(text);
    return span.innerHTML;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function latlngs(coords) {
    return coords.map(function (c) { return [c[1], c[0]]; });
  }

  function popup(place) {
    var box = el("div", "geo-popup");
    box.appendChild(el("h3", null, place.name));
    var precision = place.precision !== "exact" ? "approximate, within " + place.radiusKm.toFixed(1) + " km"
      : place.outline ? "an area: its outline" : "exact position";
    box.appendChild(el("p", "geo-meta", kindOf(place)[0] + " · " + place.kind + " · " + precision));
    if (place.unverified) {
      box.appendChild(el("p", "geo-warning", "Unverified: the gazetteer's best guess for this name (confidence "
        + place.confidence.toFixed(2) + "). Check it before publishing."));
    }
    if (place.aliases.length) { box.appendChild(el("p", "geo-aliases", "Also: " + place.aliases.join(", "))); }
    if (place.notes) { box.appendChild(el("p", "geo-notes", place.notes)); }
    if (place.quotes && place.quotes.length) {
      var quotes = el("div", "geo-quotes");
      place.quotes.forEach(function (quote) {
        var q = el("blockquote");
        var at = 0;
        quote.marks.forEach(function (mark) {
          q.appendChild(document.createTextNode(quote.text.slice(at, mark[0])));
          q.appendChild(el("mark", null, quote.text.slice(mark[0], mark[1])));
          at = mark[1];
        });
        q.appendChild(document.createTextNode(quote.text.slice(at)));
        quotes.appendChild(q);
      });
      box.appendChild(quotes);
    }
    if (place.events.length) {
      var events = el("ul", "geo-events");
      place.events.forEach(function (event) {
        var li = el("li");
        li.appendChild(el("time", null, event.date));
        li.appendChild(document.createTextNode(" " + event.text));
        events.appendChild(li);
      });
      box.appendChild(events);
    }
    if (place.sources.length) {
      var sources = el("ul", "geo-sources");
      place.sources.forEach(function (source) { sources.appendChild(el("li", null, source)); });
      box.appendChild(el("p", "geo-heading", "Sources"));
      box.appendChild(sources);
    }
    box.appendChild(el("p", "geo-origin", "Coordinates: " + place.origin
      + (place.ref ? " · confidence " + place.confidence.toFixed(2) : "")));
    return box;
  }

  var container = map.getContainer();
  var TILE_PATIENCE_MS = 8000;

  /* --- The offline basemap: land, coasts, borders, country and town names --- */

  map.createPane("geo-base").style.zIndex = 150;
  map.createPane("geo-base-labels").style.zIndex = 380;
  var baseRenderer = L.svg({pane: "geo-base", padding: 0.5});
  /* Names the offline basemap writes (towns, countries): they take the room the story's labels leave. */
  var baseLabels = [];

  /* A line or ring comes as [x0, y0, dx1, dy1, ...] in 1/units of a degree. */
  function decode(values, units) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < values.length; i += 2) {
      x += values[i]; y += values[i + 1];
      out.push([y / units, x / units]);
    }
    return out;
  }

  /* The coast is a land ring less its cuts: the edges of the tier and of the grid it is stored in. */
  function coastRuns(values, tier) {
    var grid = base.grid * tier.units, r = tier.rect, u = tier.units;
    function cut(a, b, low, high) { return a === b && (a % grid === 0 || a === low || a === high); }
    var runs = [], run = [], x = 0, y = 0;
    for (var i = 0; i < values.length; i += 2) {
      var px = x, py = y;
      x += values[i]; y += values[i + 1];
      if (i > 0 && (cut(px, x, r[1], r[3]) || cut(py, y, r[0], r[2]))) {
        if (run.length > 1) { runs.push(run); }
        run = [];
      }
      run.push([y / u, x / u]);
    }
    if (run.length > 1) { runs.push(run); }
    return runs;
  }

  function baseLabel(lat, lon, text, className, minZoom, maxZoom, centred) {
    var marker = L.marker([lat, lon], {
      icon: L.divIcon({className: "geo-base-label " + className, html: el("span", null, text), iconSize: null}),
      pane: "geo-base-labels", interactive: false, keyboard: false
    });
    marker.geoMinZoom = minZoom;
    marker.geoMaxZoom = maxZoom;
    marker.geoCentred = centred;
    baseLabels.push(marker);
    return marker;
  }

  function townMinZoom(population) {
    return population >= 5e6 ? 3 : population >= 1e6 ? 4 : population >= 3e5 ? 6 : population >= 1e5 ? 7
      : population >= 5e4 ? 8 : population >= 1.5e4 ? 9 : 10;
  }

  var offline = L.layerGroup([], {attribution: base.credit});
  [world].concat(base.tiers).forEach(function (tier, index) {
    var u = tier.units, r = tier.rect;
    if (index > 0) {  /* hides the coarser tiers under this one */
      L.rectangle([[r[0] / u, r[1] / u], [r[2] / u, r[3] / u]], {
        renderer: baseRenderer, stroke: false, fillOpacity: 1, className: "geo-base-sea", interactive: false
      }).addTo(offline);
    }
    var coast = [];
    var land = tier.land.map(function (rings) {
      rings.forEach(function (ring) { coast.push.apply(coast, coastRuns(ring, tier)); });
      return rings.map(function (ring) { return decode(ring, u); });
    });
    if (land.length) {
      L.polygon(land, {renderer: baseRenderer, stroke: false, fillOpacity: 1, className: "geo-base-land", interactive: false})
        .addTo(offline);
    }
    if (coast.length) {
      L.polyline(coast, {renderer: baseRenderer, weight: 1, className: "geo-base-coast", interactive: false}).addTo(offline);
    }
    if (tier.borders.length) {
      L.polyline(tier.borders.map(function (line) { return decode(line, u); }), {
        renderer: baseRenderer, weight: 1.2, className: "geo-base-border", interactive: false
      }).addTo(offline);
    }
  });
  /* Countries come in the order Natural Earth names them (the larger first), towns largest first. */
  base.countries.forEach(function (c) {
    baseLabel(c[0], c[1], c[2], "geo-base-country", Math.max(2, Math.floor(c[3])), 8, true).addTo(offline);
  });
  base.towns.forEach(function (t) {
    baseLabel(t[0], t[1], t[2], "geo-base-town", townMinZoom(t[3]), 30, false).addTo(offline);
  });
  offline.on("add", function () { container.classList.add("geo-offline"); });
  offline.on("remove", function () { container.classList.remove("geo-offline"); });

  /* --- Basemap choice, and the switch to the offline one when tiles fail --- */

  var note = L.control({position: "bottomleft"});
  note.onAdd = function () {
    var box = el("div", "geo-note");
    box.setAttribute("role", "status");
    box.appendChild(el("span", null, "Map tiles could not be loaded, so this is the offline basemap. Other basemaps are in the layer list."));
    var close = el("button", "geo-note-close", "\u00d7");
    close.type = "button";
    close.title = "Close this note";
    close.setAttribute("aria-label", close.title);
    L.DomEvent.on(close, "click", function () { note.remove(); });
    box.appendChild(close);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };

  function tilesFailed(layer) {
    if (!map.hasLayer(layer)) { return; }
    map.removeLayer(layer);
    offline.addTo(map);
    if (!note.getContainer()) { note.addTo(map); }
    scheduleDeclutter();
  }

  function watch(layer) {
    layer.geoLoaded = 0;
    layer.on("tileload", function () { layer.geoLoaded += 1; });
    layer.on("tileerror", function () { if (!layer.geoLoaded) { tilesFailed(layer); } });
    function wait() {
      window.setTimeout(function () { if (!layer.geoLoaded) { tilesFailed(layer); } }, TILE_PATIENCE_MS);
    }
    layer.on("add", wait);
    if (map.hasLayer(layer)) { wait(); }  /* added by folium before this script ran */
  }

  var basemapTitles = new Map();
  Object.keys(basemaps).forEach(function (title) { watch(basemaps[title]); basemapTitles.set(basemaps[title], title); });
  basemaps[esc(base.title)] = offline;
  basemapTitles.set(offline, base.title);
  map.on("baselayerchange", function (e) { if (e.layer !== offline && note.getContainer()) { note.remove(); } });

  var startTiles = Object.keys(basemaps).map(function (t) { return basemaps[t]; }).filter(function (l) { return map.hasLayer(l); })[0];
  if (base.start || !startTiles) {
    offline.addTo(map);
  } else if (navigator.onLine === false) {
    tilesFailed(startTiles);
  }

  /* --- The story's places --- */

  /* Layer ids and titles are the user's: a Map, never a plain object, holds them
     (an id such as "__proto__" would otherwise set the object's prototype). */
  /* Countries and regions are drawn beneath every other place: a country's outline must not
     cover, or take the clicks of, the towns and sites inside it. */
  map.createPane("geoAreas").style.zIndex = 350;

  /* A story of many places draws all but its most important ones on canvas: where SVG
     makes an element for each shape, and Leaflet a layer for each marker, a crowd of
     thousands would take seconds to draw and to zoom. The important places (the main
     place, the focus, then by mentions and kind: the first IMPORTANT by priority) keep
     their own SVG elements, like every place of a smaller story. */
  var MANY = 500;
  var IMPORTANT = 50;
  var crowded = data.places.length > MANY;
  var crowdRenderers = crowded ? {overlayPane: L.canvas(), geoAreas: L.canvas({pane: "geoAreas"})} : null;
  function inCrowd(place) { return crowded && place.priority >= IMPORTANT; }
  function rendered(place, options) {
    if (inCrowd(place)) { options.renderer = crowdRenderers[options.pane || "overlayPane"]; }
    return options;
  }

  /* The point markers of a crowd: one canvas, redrawn after each move from the points'
     positions at that zoom (projected once per zoom); a click on a point opens its popup.
     Each style of marker is drawn once, into a small image, and stamped at every point:
     a copy of pixels, where drawing each circle anew would take the most of a zoom step. */
  function stamp(style) {
    var ratio = window.devicePixelRatio || 1, half = Math.ceil(style.radius + style.weight);
    var image = document.createElement("canvas");
    image.width = image.height = 2 * half * ratio;
    var ctx = image.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.beginPath();
    ctx.arc(half, half, style.radius, 0, 2 * Math.PI);
    ctx.globalAlpha = style.fillOpacity;
    ctx.fillStyle = style.fillColor;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.setLineDash(style.dashArray ? style.dashArray.split(" ").map(Number) : []);
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = style.weight;
    ctx.strokeStyle = style.color;
    ctx.stroke();
    return {image: image, half: half};
  }

  var CROWD_MARGIN = 0.2;
  var Crowd = L.Layer.extend({
    initialize: function () { this.points = []; this.stamps = new Map(); this.zoom = null; },
    add: function (place, latlng, style) {
      var key = JSON.stringify(style);
      if (!this.stamps.has(key)) { this.stamps.set(key, stamp(style)); }
      this.points.push({place: place, latlng: L.latLng(latlng), style: style, stamp: this.stamps.get(key), at: null});
    },
    getBounds: function () { return L.latLngBounds(this.points.map(function (point) { return point.latlng; })); },
    getEvents: function () { return {moveend: this.draw, zoomstart: this.hide, resize: this.draw, click: this.click, mousemove: this.hover}; },
    onAdd: function () {
      this.canvas = L.DomUtil.create("canvas", "geo-crowd", this.getPane());
      this.draw();
    },
    onRemove: function () { L.DomUtil.remove(this.canvas); map.getContainer().classList.remove("geo-crowd-hover"); },
    hide: function () { this.canvas.style.visibility = "hidden"; },
    /* Calls visit(point, x, y) for each point with its position on screen. */
    each: function (visit) {
      var zoom = map.getZoom();
      if (this.zoom !== zoom) {
        this.points.forEach(function (point) { point.at = map.project(point.latlng, zoom); });
        this.zoom = zoom;
      }
      var shift = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
      this.points.forEach(function (point) { visit(point, point.at.x - shift.x, point.at.y - shift.y); });
    },
    /* Draws the view and a margin around it (CROWD_MARGIN of its size), which a pan brings in before it ends. */
    draw: function () {
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this.canvas;
      var pad = size.multiplyBy(CROWD_MARGIN).round(), full = size.add(pad.multiplyBy(2));
      canvas.width = full.x * ratio;
      canvas.height = full.y * ratio;
      canvas.style.width = full.x + "px";
      canvas.style.height = full.y + "px";
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint(pad.multiplyBy(-1)));
      canvas.style.visibility = "";
      var ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      this.each(function (point, x, y) {
        var half = point.stamp.half, left = Math.round(x) + pad.x - half, top = Math.round(y) + pad.y - half;
        if (left < -2 * half || top < -2 * half || left > full.x || top > full.y) { return; }
        ctx.drawImage(point.stamp.image, left, top, 2 * half, 2 * half);
      });
    },
    /* The point drawn on top under a position on screen, if any. */
    at: function (p) {
      var found = null;
      this.each(function (point, x, y) {
        var r = point.style.radius + point.style.weight / 2;
        if ((x - p.x) * (x - p.x) + (y - p.y) * (y - p.y) <= r * r) { found = point; }
      });
      return found;
    },
    onShape: function (e) { return e.originalEvent && L.DomUtil.hasClass(e.originalEvent.target, "leaflet-interactive"); },
    click: function (e) {
      var point = !this.onShape(e) && this.at(e.containerPoint);
      if (!point) { return; }
      var open = L.popup({maxWidth: 340}).setLatLng(point.latlng).setContent(popup(point.place));
      open.geoPlace = point.place;
      open.openOn(map);
    },
    hover: function (e) { map.getContainer().classList.toggle("geo-crowd-hover", !this.onShape(e) && !!this.at(e.containerPoint)); }
  });

  var groups = new Map();
  var crowds = new Map();  /* layer id: the Crowd of its points, made for its first */
  data.layers.forEach(function (layer) { groups.set(layer.id, L.featureGroup()); });
  function crowdOf(layerId) {
    if (!crowds.has(layerId)) { crowds.set(layerId, new Crowd()); }
    return crowds.get(layerId);
  }

  /* Each label to be: its place's point, group and priority. Its element is made, and put on
     the map, only while it has room on screen (see declutter). */
  var labels = [];
  var markers = [];
  var kindsShown = {};
  var approximateShown = false;
  var unverifiedShown = false;
  var UNVERIFIED = data.style.unverified;

  data.places.forEach(function (place) {
    var group = groups.get(place.layer);
    var colour = kindOf(place)[1];
    var geom = place.geometry;
    var approximate = place.precision === "approximate";
    var guess = place.unverified;
    if (guess) { unverifiedShown = true; }
    /* The seam of the editing tools (edit.js, `geo serve --edit`): a place's layers and its popup carry its data. */
    var bind = function (layer) {
      layer.geoPlace = place;
      layer.bindPopup(function () { return popup(place); }, {maxWidth: 340}).getPopup().geoPlace = place;
      return layer;
    };
    kindsShown[kindOf(place)[0]] = colour;

    if (place.uncertainty) {
      approximateShown = true;
      /* A ring as wide as a country is an outline only: filled, it would tint the whole story's view. */
      L.polygon(place.uncertainty, rendered(place, {
        className: "geo-uncertainty", color: colour, weight: 1.5, dashArray: "4 4",
        fillColor: colour, fillOpacity: place.wide ? 0 : 0.08, interactive: false
      })).addTo(group);
    }
    if (geom.type === "LineString" || geom.type === "MultiLineString") {
      var lines = geom.type === "LineString" ? [geom.coordinates] : geom.coordinates;
      bind(L.polyline(lines.map(latlngs), rendered(place, {
        className: "geo-line geo-kind-" + place.kind + (guess ? " geo-unverified" : ""), color: guess ? UNVERIFIED : colour,
        weight: place.kind === "river" ? 4 : 2.5, dashArray: guess ? "2 5" : place.kind === "border" ? "8 5" : null
      }))).addTo(group);
    } else if (geom.type === "Polygon" || geom.type === "MultiPolygon") {
      var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
      bind(L.polygon(polys.map(function (p) { return p.map(latlngs); }), rendered(place, {
        className: "geo-shape geo-kind-" + place.kind + (guess ? " geo-unverified" : ""),
        color: guess ? UNVERIFIED : colour, weight: 2, pane: place.outline ? "geoAreas" : "overlayPane",
        dashArray: guess ? "2 5" : place.kind === "zone" || approximate ? "6 4" : null,
        fillColor: colour, fillOpacity: place.kind === "zone" || place.outline ? 0.07 : 0.15
      }))).addTo(group);
    }
    if (geom.type === "Point" || (geom.type.indexOf("Polygon") >= 0 && place.kind !== "zone")) {
      var style = guess ? {
        className: "geo-marker geo-unverified geo-kind-" + place.kind, radius: 8,
        color: UNVERIFIED, weight: 3, dashArray: "2 3", fillColor: "#ffffff", fillOpacity: 0.9
      } : {
        className: "geo-marker geo-kind-" + place.kind, radius: approximate ? 6 : 7,
        color: approximate ? colour : "#ffffff", weight: 2, dashArray: approximate ? "3 2" : null,
        fillColor: approximate ? "#ffffff" : colour, fillOpacity: 1
      };
      if (inCrowd(place)) { crowdOf(place.layer).add(place, place.anchor, style); }
      else { markers.push(bind(L.circleMarker(place.anchor, style)).addTo(group)); }
    }
    if (place.label) {
      labels.push({
        text: guess ? place.name + " (?)" : place.name,
        className: "geo-label" + (place.main ? " geo-label-main" : "") + (guess ? " geo-label-unverified" : ""),
        latlng: L.latLng(place.labelAt), group: group, priority: place.priority, main: place.main,
        size: null, side: null, marker: null, at: null, zoom: null
      });
    }
  });

  labels.sort(function (a, b) { return a.priority - b.priority; });
  crowds.forEach(function (crowd, id) { groups.get(id).addLayer(crowd); });
  data.layers.forEach(function (layer) { if (layer.show) { groups.get(layer.id).addTo(map); } });

  /* Labels must not pile up. The story's labels go first, in order of importance (the
     main place, the focus, then mentions and kind, never file order), each trying the
     right of its place, then the left, above and below; the main place's always shows.
     The basemap's names take what room is left, never over a place or its label.
     Everything placed is kept in a grid of screen cells, so a box is checked against its
     neighbours only, and each label's size is measured once, without page layout: a view
     change costs time in proportion to the places, however many crowd the view. */
  var SIDES = ["right", "left", "top", "bottom"];
  var OFFSET = 14;  /* from a place's point to its label's near edge */
  var CELL = 64;
  var SLIVER = [4, 12];  /* within every label's box on each side: no label is narrower or lower */

  function Grid() { this.cells = new Map(); }
  Grid.prototype.keys = function (box, visit) {
    for (var x = Math.floor(box.left / CELL); x <= Math.floor(box.right / CELL); x++) {
      for (var y = Math.floor(box.top / CELL); y <= Math.floor(box.bottom / CELL); y++) {
        if (visit(x * 65536 + y) === false) { return false; }  /* a number: cheaper to look up than "x,y" */
      }
    }
    return true;
  };
  Grid.prototype.free = function (box) {
    var cells = this.cells;
    return this.keys(box, function (key) {
      var boxes = cells.get(key);
      if (!boxes) { return true; }
      for (var i = 0; i < boxes.length; i++) {
        var other = boxes[i];
        if (box.left < other.right + 2 && box.right + 2 > other.left && box.top < other.bottom && box.bottom > other.top) { return false; }
      }
      return true;
    });
  };
  Grid.prototype.add = function (box) {
    var cells = this.cells;
    this.keys(box, function (key) {
      if (!cells.has(key)) { cells.set(key, []); }
      cells.get(key).push(box);
    });
  };

  /* A label's width from its text in its computed font (a canvas measures text without
     laying out the page); its height from one hidden sample of each kind of label. */
  var measurer = document.createElement("canvas").getContext("2d"), measurerFont = null;
  var samples = new Map();
  var REACH = 400;  /* no label is wider: one whose point is farther off screen is not measured */
  function labelSize(label) {
    if (!samples.has(label.className)) {
      var sample = el("span", label.className + " geo-label-sample", "Xg");
      map.getPane("tooltipPane").appendChild(sample);
      var style = getComputedStyle(sample);
      samples.set(label.className, {font: [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(" "), height: sample.offsetHeight});
      sample.remove();
    }
    var kind = samples.get(label.className);
    if (measurerFont !== kind.font) { measurer.font = measurerFont = kind.font; }  /* setting a font parses it: only on a change */
    return [Math.round(measurer.measureText(label.text).width), kind.height];
  }

  /* Where a label of size (w, h) is drawn beside point p: its box on screen, left and top relative to p. */
  function labelOffset(size, side) {
    var w = size[0], h = size[1];
    return side === "right" ? [OFFSET, -Math.round(h / 2)] : side === "left" ? [-OFFSET - w, -Math.round(h / 2)]
      : side === "top" ? [-Math.round(w / 2), -OFFSET - h] : [-Math.round(w / 2), OFFSET];
  }

  function labelBox(p, size, side) {
    var at = labelOffset(size, side);
    return {left: p.x + at[0], top: p.y + at[1], right: p.x + at[0] + size[0], bottom: p.y + at[1] + size[1]};
  }

  function showLabel(label, side) {
    if (!label.marker) {
      label.node = el("span", label.className, label.text);
      label.marker = L.marker(label.latlng, {
        icon: L.divIcon({className: "geo-label-anchor", html: label.node, iconSize: null}),
        pane: "tooltipPane", interactive: false, keyboard: false
      });
    }
    if (label.side !== side) {
      var at = labelOffset(label.size, side);
      label.node.style.left = at[0] + "px";
      label.node.style.top = at[1] + "px";
      label.side = side;
    }
    if (!map.hasLayer(label.marker)) { label.marker.addTo(map); }
  }

  function hideLabel(label) {
    if (label.marker && map.hasLayer(label.marker)) { label.marker.remove(); }
  }

  function measure(items, element) {
    var todo = items.filter(function (item) { return !item.geoSize && element(item); });
    todo.map(function (item) { return element(item).getBoundingClientRect(); }).forEach(function (box, i) {
      if (box.width) { todo[i].geoSize = [box.width, box.height]; }
    });
  }

  function baseBox(marker) {
    var p = map.latLngToContainerPoint(marker.getLatLng()), w = marker.geoSize[0], h = marker.geoSize[1];
    var left = marker.geoCentred ? p.x - w / 2 : p.x - 3;
    return {left: left, top: p.y - h / 2, right: left + w, bottom: p.y + h / 2};
  }

  function declutter() {
    var size = map.getSize(), zoom = map.getZoom();
    var shift = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
    var taken = new Grid();
    function onScreen(box) { return box.right > 0 && box.bottom > 0 && box.left < size.x && box.top < size.y; }
    labels.forEach(function (label) {
      if (!map.hasLayer(label.group)) { hideLabel(label); return; }
      if (label.zoom !== zoom) { label.at = map.project(label.latlng, zoom).round(); label.zoom = zoom; }  /* once per zoom level */
      var p = label.at.subtract(shift);
      if (!label.main && (p.x < -REACH || p.y < -REACH || p.x > size.x + REACH || p.y > size.y + REACH)) { hideLabel(label); return; }
      /* A label has no room if a sliver of it, next to its point, has none on every side:
         then it needs no measuring, which keeps a crowded view cheap. */
      if (!label.main && !SIDES.some(function (s) { return taken.free(labelBox(p, SLIVER, s)); })) { hideLabel(label); return; }
      if (!label.size) { label.size = labelSize(label); }
      var side = null;
      for (var i = 0; i < SIDES.length && !side; i++) {
        if (taken.free(labelBox(p, label.size, SIDES[i]))) { side = SIDES[i]; }
      }
      if (side || label.main) {
        side = side || SIDES[0];
        taken.add(labelBox(p, label.size, side));
        showLabel(label, side);
      } else {
        hideLabel(label);
      }
    });
    function markerBox(x, y, radius) {
      var r = radius + 2, box = {left: x - r, top: y - r, right: x + r, bottom: y + r};
      if (onScreen(box)) { taken.add(box); }
    }
    markers.forEach(function (marker) {
      if (!map.hasLayer(marker)) { return; }
      var p = map.latLngToContainerPoint(marker.getLatLng());
      markerBox(p.x, p.y, marker.getRadius());
    });
    crowds.forEach(function (crowd) {
      if (map.hasLayer(crowd)) { crowd.each(function (point, x, y) { markerBox(x, y, point.style.radius); }); }
    });
    var origin = container.getBoundingClientRect();
    container.querySelectorAll(".leaflet-control").forEach(function (control) {
      var box = control.getBoundingClientRect();
      taken.add({left: box.left - origin.left, top: box.top - origin.top, right: box.right - origin.left, bottom: box.bottom - origin.top});
    });
    var candidates = baseLabels.filter(function (marker) {
      return marker.getElement() && map.hasLayer(marker) && zoom >= marker.geoMinZoom && zoom <= marker.geoMaxZoom;
    });
    measure(candidates, function (marker) { return marker.getElement().firstElementChild; });
    var keep = new Set(candidates.filter(function (marker) {
      if (!marker.geoSize) { return false; }
      var box = baseBox(marker);
      if (!onScreen(box) || !taken.free(box)) { return false; }
      taken.add(box);
      return true;
    }));
    baseLabels.forEach(function (marker) {
      var node = marker.getElement();
      if (node) { node.classList.toggle("geo-label-hidden", !keep.has(marker)); }
    });
  }

  var declutterPending = false;
  function scheduleDeclutter() {
    if (declutterPending) { return; }
    declutterPending = true;
    L.Util.requestAnimFrame(function () { declutterPending = false; declutter(); });
  }

  function bounds(b) { return L.latLngBounds([b[0], b[1]], [b[2], b[3]]); }

  /* Room the controls take at the map's edges, so that a view is framed where it can be seen. */
  function padding() {
    var size = map.getSize();
    function extent(corner, axis) {
      var node = container.querySelector(".leaflet-control-container " + corner);
      var box = node ? node.getBoundingClientRect() : null;
      return box ? (axis === "x" ? box.width : box.height) : 0;
    }
    var left = extent(".leaflet-top.leaflet-left", "x");
    var right = Math.max(extent(".leaflet-top.leaflet-right", "x"), extent(".leaflet-bottom.leaflet-right", "x"));
    var bottom = extent(".leaflet-bottom.leaflet-left", "y");
    var wide = size.x > 2.5 * (left + right), tall = size.y > 3 * bottom;
    return {
      paddingTopLeft: [wide ? left + 16 : 24, 24],
      paddingBottomRight: [wide ? right + 16 : 24, tall ? bottom + 16 : 24]
    };
  }

  function fit(b, options) { map.fitBounds(b, L.extend(padding(), options)); }

  function story(animate) {
    if (data.center && data.zoom !== null) { map.setView(data.center, data.zoom, {animate: animate}); }
    else { fit(bounds(data.focus), {maxZoom: data.maxZoom, animate: animate}); }
  }

  var control = L.control.layers(basemaps, null, {collapsed: false, position: "topright"}).addTo(map);
  data.layers.forEach(function (layer) { control.addOverlay(groups.get(layer.id), esc(layer.title)); });

  var views = L.control({position: "topleft"});
  views.onAdd = function () {
    var box = L.DomUtil.create("div", "leaflet-bar geo-views");
    [["Story", "Frame the story", function () { story(true); }],
     ["All", "Show every place of the layers that are on", function () {
        var all = L.latLngBounds([]);
        groups.forEach(function (group) {
          if (map.hasLayer(group)) { all.extend(group.getBounds()); }
        });
        fit(all.isValid() ? all : bounds(data.all), {});
      }]].forEach(function (item) {
      var link = L.DomUtil.create("a", "geo-view", box);
      link.href = "#";
      link.setAttribute("role", "button");
      link.title = item[1];
      link.textContent = item[0];
      L.DomEvent.on(link, "click", function (e) { L.DomEvent.preventDefault(e); item[2](); });
    });
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  views.addTo(map);

  function fullscreenIcon() {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    [["viewBox", "0 0 16 16"], ["width", "16"], ["height", "16"], ["aria-hidden", "true"]].forEach(function (a) { svg.setAttribute(a[0], a[1]); });
    var path = document.createElementNS(NS, "path");
    [["d", "M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"], ["fill", "none"], ["stroke", "currentColor"], ["stroke-width", "2"]]
      .forEach(function (a) { path.setAttribute(a[0], a[1]); });
    svg.appendChild(path);
    return svg;
  }

  /* Full screen through the browser's own Fullscreen API: no plugin to carry. */
  if (document.fullscreenEnabled && container.requestFullscreen) {
    var fullscreen = L.control({position: "topleft"});
    fullscreen.onAdd = function () {
      var box = L.DomUtil.create("div", "leaflet-bar geo-fullscreen");
      var link = L.DomUtil.create("a", "geo-fullscreen-button", box);
      link.href = "#";
      link.setAttribute("role", "button");
      link.title = "Full screen";
      link.setAttribute("aria-label", link.title);
      link.appendChild(fullscreenIcon());
      L.DomEvent.on(link, "click", function (e) {
        L.DomEvent.preventDefault(e);
        if (document.fullscreenElement) { document.exitFullscreen(); } else { container.requestFullscreen(); }
      });
      document.addEventListener("fullscreenchange", function () {
        link.title = document.fullscreenElement === container ? "Leave full screen" : "Full screen";
        link.setAttribute("aria-label", link.title);
        map.invalidateSize();
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    fullscreen.addTo(map);
  }

  var legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "geo-legend");
    box.appendChild(el("h4", null, "Legend"));
    var list = el("ul");
    function entry(swatchClass, colour, text) {
      var li = el("li");
      var swatch = el("span", "geo-swatch " + swatchClass);
      swatch.style.setProperty("--c", colour);
      li.appendChild(swatch);
      li.appendChild(el("span", null, text));
      list.appendChild(li);
    }
    Object.keys(kindsShown).forEach(function (name) {
      var colour = kindsShown[name];
      var shape = name === "River" ? "geo-sw-river" : name === "Border" ? "geo-sw-border"
        : name === "Zone" ? "geo-sw-zone" : name === "District or area" ? "geo-sw-area" : "geo-sw-point";
      entry(shape, colour, name);
    });
    if (approximateShown) { entry("geo-sw-approx", "#555555", "Approximate position: hollow marker, dashed circle of uncertainty"); }
    if (unverifiedShown) { entry("geo-sw-unverified", UNVERIFIED, "Unverified (?): the gazetteer's best guess, not checked"); }
    box.appendChild(list);
    if (data.article.source || data.article.date) {
      box.appendChild(el("p", "geo-byline", [data.article.source, data.article.date].filter(Boolean).join(", ")));
    }
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  var title = L.control({position: "bottomleft"});
  title.onAdd = function () { return el("div", "geo-title", data.title); };
  title.addTo(map);

  map.on("zoomend moveend overlayadd overlayremove baselayerchange resize", scheduleDeclutter);
  /* crowds: layer id -> the Crowd drawing that layer's crowd of points (each point: .place, .latlng). */
  window.geoStory = {
    map: map, groups: groups, crowds: crowds, labels: labels, baseLabels: baseLabels, declutter: declutter, ready: false,
    basemap: function () {
      var on = null;
      basemapTitles.forEach(function (title, layer) { if (map.hasLayer(layer)) { on = title; } });
      return on;
    }
  };
  story(false);
  /* Labels are laid out once the map has its size, on the next frame; the rest of the
     place list follows, a chunk per task, so that the map is never kept waiting. */
  L.Util.requestAnimFrame(function () { declutter(); window.geoStory.ready = true; unfoldList(); });
}

/* Moves the place list's later chunks (<template class="geo-list-later">) into the list, one
   whenever the browser is idle; all at once when the page is printed. window.geoListDone tells when it is whole. */
function unfoldList() {
  "use strict";
  var chunks = Array.prototype.slice.call(document.querySelectorAll("template.geo-list-later"));
  function next() {
    var chunk = chunks.shift();
    if (chunk) { chunk.replaceWith(chunk.content); }
    window.geoListDone = !chunks.length;
    return chunk;
  }
  var later = window.requestIdleCallback || function (task) { window.setTimeout(task, 16); };
  function drip() { if (next() && chunks.length) { later(drip); } }
  window.addEventListener("beforeprint", function () { while (next()) { /* the whole list goes to paper */ } });
  drip();
}
