/* geo: draws a story's places on a Leaflet map from JSON data.
 *
 * Every string from the place list reaches the page through textContent or
 * through esc(), never as markup: a place name is text wherever it shows.
 */
function geoStory(map, data, basemaps) {
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
    var precision = place.precision === "exact" ? "exact position"
      : "approximate, within " + place.radiusKm.toFixed(1) + " km";
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

  /* Layer ids and titles are the user's: a Map, never a plain object, holds them
     (an id such as "__proto__" would otherwise set the object's prototype). */
  var groups = new Map();
  data.layers.forEach(function (layer) {
    groups.set(layer.id, L.featureGroup());
    if (layer.show) { groups.get(layer.id).addTo(map); }
  });

  var labels = [];
  var kindsShown = {};
  var approximateShown = false;
  var unverifiedShown = false;
  var UNVERIFIED = data.style.unverified;

  data.places.forEach(function (place, order) {
    var group = groups.get(place.layer);
    var colour = kindOf(place)[1];
    var geom = place.geometry;
    var approximate = place.precision === "approximate";
    var guess = place.unverified;
    if (guess) { unverifiedShown = true; }
    var bind = function (layer) { layer.bindPopup(function () { return popup(place); }, {maxWidth: 340}); return layer; };
    kindsShown[kindOf(place)[0]] = colour;

    if (place.uncertainty) {
      approximateShown = true;
      L.polygon(place.uncertainty, {
        className: "geo-uncertainty", color: colour, weight: 1.5, dashArray: "4 4",
        fillColor: colour, fillOpacity: 0.08, interactive: false
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
        color: guess ? UNVERIFIED : colour, weight: 2,
        dashArray: guess ? "2 5" : place.kind === "zone" || approximate ? "6 4" : null,
        fillColor: colour, fillOpacity: place.kind === "zone" ? 0.07 : 0.15
      })).addTo(group);
    }
    if (geom.type === "Point" || (geom.type.indexOf("Polygon") >= 0 && place.kind !== "zone")) {
      bind(L.circleMarker(place.anchor, guess ? {
        className: "geo-marker geo-unverified geo-kind-" + place.kind, radius: 8,
        color: UNVERIFIED, weight: 3, dashArray: "2 3", fillColor: "#ffffff", fillOpacity: 0.9
      } : {
        className: "geo-marker geo-kind-" + place.kind, radius: approximate ? 6 : 7,
        color: approximate ? colour : "#ffffff", weight: 2, dashArray: approximate ? "3 2" : null,
        fillColor: approximate ? "#ffffff" : colour, fillOpacity: 1
      })).addTo(group);
    }
    if (place.label) {
      var tip = L.tooltip({permanent: true, direction: "right", offset: [8, 0],
                           className: "geo-label" + (guess ? " geo-label-unverified" : ""), interactive: false})
        .setLatLng(place.labelAt)
        .setContent(el("span", null, guess ? place.name + " (?)" : place.name));
      tip.geoOrder = order;
      labels.push(tip);
      group.addLayer(tip);
    }
  });

  /* Labels must not pile up: keep them in file order, hide any that would
     overlap one already shown, and look again whenever the view changes. */
  function declutter() {
    var taken = [];
    labels.slice().sort(function (a, b) { return a.geoOrder - b.geoOrder; }).forEach(function (tip) {
      var node = tip.getElement();
      if (!node || !map.hasLayer(tip)) { return; }
      node.classList.remove("geo-label-hidden");
      var box = node.getBoundingClientRect();
      var clash = taken.some(function (other) {
        return box.left < other.right + 2 && box.right + 2 > other.left && box.top < other.bottom && box.bottom > other.top;
      });
      if (clash) { node.classList.add("geo-label-hidden"); } else { taken.push(box); }
    });
  }

  function bounds(b) { return L.latLngBounds([b[0], b[1]], [b[2], b[3]]); }
  function story(animate) {
    if (data.center && data.zoom !== null) { map.setView(data.center, data.zoom, {animate: animate}); }
    else { map.fitBounds(bounds(data.focus), {padding: [24, 24], animate: animate}); }
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
        map.fitBounds(all.isValid() ? all : bounds(data.all), {padding: [24, 24]});
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

  map.on("zoomend moveend overlayadd overlayremove resize", declutter);
  window.geoStory = {map: map, groups: groups, labels: labels, declutter: declutter, ready: false};
  story(false);
  /* Tooltips take their final place on the next frame: look at them then. */
  L.Util.requestAnimFrame(function () { declutter(); window.geoStory.ready = true; });
}
