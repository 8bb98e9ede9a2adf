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

  var groups = new Map();
  data.layers.forEach(function (layer) {
    groups.set(layer.id, L.featureGroup());
    if (layer.show) { groups.get(layer.id).addTo(map); }
  });

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
      L.polygon(place.uncertainty, {
        className: "geo-uncertainty", color: colour, weight: 1.5, dashArray: "4 4",
        fillColor: colour, fillOpacity: place.wide ? 0 : 0.08, interactive: false
      }).addTo(group);
    }
    if (geom.type === "LineString" || geom.type === "MultiLineString") {
      var lines = geom.type === "LineString" ? [geom.coordinates] : geom.coordinates;
      bind(L.polyline(lines.map(latlngs), {
        className: "geo-line geo-kind-" + place.kind + (guess ? " geo-unverified" : ""), color: guess ? UNVERIFIED : colour,
        weight: place.kind === "river" ? 4 : 2.5, dashArray: guess ? "2 5" : place.kind === "border" ? "8 5" : null
      })).addTo(group);
    } else if (geom.type === "Polygon" || geom.type === "MultiPolygon") {
      var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
      bind(L.polygon(polys.map(function (p) { return p.map(latlngs); }), {
        className: "geo-shape geo-kind-" + place.kind + (guess ? " geo-unverified" : ""),
        color: guess ? UNVERIFIED : colour, weight: 2, pane: place.outline ? "geoAreas" : "overlayPane",
        dashArray: guess ? "2 5" : place.kind === "zone" || approximate ? "6 4" : null,
        fillColor: colour, fillOpacity: place.kind === "zone" || place.outline ? 0.07 : 0.15
      })).addTo(group);
    }
    if (geom.type === "Point" || (geom.type.indexOf("Polygon") >= 0 && place.kind !== "zone")) {
      markers.push(bind(L.circleMarker(place.anchor, guess ? {
        className: "geo-marker geo-unverified geo-kind-" + place.kind, radius: 8,
        color: UNVERIFIED, weight: 3, dashArray: "2 3", fillColor: "#ffffff", fillOpacity: 0.9
      } : {
        className: "geo-marker geo-kind-" + place.kind, radius: approximate ? 6 : 7,
        color: approximate ? colour : "#ffffff", weight: 2, dashArray: approximate ? "3 2" : null,
        fillColor: approximate ? "#ffffff" : colour, fillOpacity: 1
      })).addTo(group));
    }
    if (place.label) {
      var tip = L.tooltip({permanent: true, direction: "right", offset: [8, 0],
                           className: "geo-label" + (place.main ? " geo-label-main" : "") + (guess ? " geo-label-unverified" : ""),
                           interactive: false})
        .setLatLng(place.labelAt)
        .setContent(el("span", null, guess ? place.name + " (?)" : place.name));
      tip.geoPriority = place.priority;
      tip.geoMain = place.main;
      labels.push(tip);
      group.addLayer(tip);
    }
  });

  labels.sort(function (a, b) { return a.geoPriority - b.geoPriority; });

  /* Labels must not pile up. The story's labels go first, in order of importance (the
     main place, the focus, then mentions and kind, never file order), each trying the
     right of its place, then the left, above and below; the main place's always shows.
     The basemap's names take what room is left, never over a place or its label. Each
     label's size is measured once, so a view change costs no page layout. */
  var SIDES = ["right", "left", "top", "bottom"];
  var GAP = 8;

  function measure(items, element) {
    var todo = items.filter(function (item) { return !item.geoSize && element(item); });
    todo.map(function (item) { return element(item).getBoundingClientRect(); }).forEach(function (box, i) {
      if (box.width) { todo[i].geoSize = [box.width, box.height]; }
    });
  }

  function labelBox(tip, side) {
    var p = map.latLngToContainerPoint(tip.getLatLng()), w = tip.geoSize[0], h = tip.geoSize[1];
    var left = side === "right" ? p.x + GAP : side === "left" ? p.x - GAP - w : p.x - w / 2;
    var top = side === "top" ? p.y - GAP - h : side === "bottom" ? p.y + GAP : p.y - h / 2;
    return {left: left, top: top, right: left + w, bottom: top + h};
  }

  function baseBox(marker) {
    var p = map.latLngToContainerPoint(marker.getLatLng()), w = marker.geoSize[0], h = marker.geoSize[1];
    var left = marker.geoCentred ? p.x - w / 2 : p.x - 3;
    return {left: left, top: p.y - h / 2, right: left + w, bottom: p.y + h / 2};
  }

  function setSide(tip, side) {
    if (tip.options.direction === side) { return; }
    tip.options.direction = side;
    tip.options.offset = L.point(side === "right" ? [GAP, 0] : side === "left" ? [-GAP, 0] : side === "top" ? [0, -GAP] : [0, GAP]);
    tip.update();
  }

  function declutter() {
    var size = map.getSize();
    var taken = [];
    function free(box) {
      return !taken.some(function (other) {
        return box.left < other.right + 2 && box.right + 2 > other.left && box.top < other.bottom && box.bottom > other.top;
      });
    }
    function onScreen(box) { return box.right > 0 && box.bottom > 0 && box.left < size.x && box.top < size.y; }
    var shown = labels.filter(function (tip) { return tip.getElement() && map.hasLayer(tip); });
    measure(shown, function (tip) { return tip.getElement(); });
    var sides = shown.map(function (tip) {
      if (!tip.geoSize) { return SIDES[0]; }
      var side = SIDES.filter(function (s) { return free(labelBox(tip, s)); })[0];
      if (side || tip.geoMain) {
        taken.push(labelBox(tip, side || SIDES[0]));
        return side || SIDES[0];
      }
      return null;
    });
    markers.forEach(function (marker) {
      if (!map.hasLayer(marker)) { return; }
      var p = map.latLngToContainerPoint(marker.getLatLng()), r = marker.getRadius() + 2;
      taken.push({left: p.x - r, top: p.y - r, right: p.x + r, bottom: p.y + r});
    });
    var origin = container.getBoundingClientRect();
    container.querySelectorAll(".leaflet-control").forEach(function (control) {
      var box = control.getBoundingClientRect();
      taken.push({left: box.left - origin.left, top: box.top - origin.top, right: box.right - origin.left, bottom: box.bottom - origin.top});
    });
    var zoom = map.getZoom();
    var candidates = baseLabels.filter(function (marker) {
      return marker.getElement() && map.hasLayer(marker) && zoom >= marker.geoMinZoom && zoom <= marker.geoMaxZoom;
    });
    measure(candidates, function (marker) { return marker.getElement().firstElementChild; });
    var keep = new Set(candidates.filter(function (marker) {
      if (!marker.geoSize) { return false; }
      var box = baseBox(marker);
      if (!onScreen(box) || !free(box)) { return false; }
      taken.push(box);
      return true;
    }));
    shown.forEach(function (tip, i) {
      tip.getElement().classList.toggle("geo-label-hidden", sides[i] === null);
      if (sides[i]) { setSide(tip, sides[i]); }
    });
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
  window.geoStory = {
    map: map, groups: groups, labels: labels, baseLabels: baseLabels, declutter: declutter, ready: false,
    basemap: function () {
      var on = null;
      basemapTitles.forEach(function (title, layer) { if (map.hasLayer(layer)) { on = title; } });
      return on;
    }
  };
  story(false);
  /* Tooltips take their final place on the next frame: look at them then. */
  L.Util.requestAnimFrame(function () { declutter(); window.geoStory.ready = true; });
}
