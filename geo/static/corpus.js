/* The corpus page of `geo corpus map`: the places a news archive names, sized by how many
 * articles name them, with a time slider over the articles' dates.
 *
 * The data is JSON in a script element of type application/json; every name, title and
 * sentence goes on the page through textContent, never as markup. Places are circles on one
 * canvas, so 10,000 of them pan and zoom smoothly; moving the slider re-counts the articles
 * of each place in the chosen window and resizes the circles. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("corpus-data").textContent);
  var world = JSON.parse(document.getElementById("corpus-world").textContent);
  var DAY_MS = 86400000;
  var MAX_LISTED = 50;
  var WINDOWS = [
    ["upto", "all articles up to the date"],
    ["30", "the 30 days to the date"],
    ["7", "the 7 days to the date"],
    ["1", "the day"],
    ["all", "every article, dated or not"]
  ];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var map = L.map("corpus-map", {worldCopyJump: true, minZoom: 1, zoomSnap: 0.5});
  var baseRenderer = L.canvas({padding: 0.5, pane: "tilePane"});
  var renderer = L.canvas({padding: 0.5});

  /* --- The offline world basemap geo carries: land and borders --- */
  function decode(values, units) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < values.length; i += 2) {
      x += values[i]; y += values[i + 1];
      out.push([y / units, x / units]);
    }
    return out;
  }
  var land = world.land.map(function (rings) { return rings.map(function (ring) { return decode(ring, world.units); }); });
  L.polygon(land, {renderer: baseRenderer, stroke: false, fillColor: "#f3f0e8", fillOpacity: 1, interactive: false}).addTo(map);
  L.polyline(world.borders.map(function (line) { return decode(line, world.units); }),
    {renderer: baseRenderer, color: "#b9b2a6", weight: 0.8, interactive: false}).addTo(map);
  map.attributionControl.addAttribution("Basemap: Natural Earth");

  /* --- Articles, their days, and the days the slider walks --- */
  var articleDay = data.articles.map(function (a) { return a[2] ? Math.round(Date.parse(a[2]) / DAY_MS) : null; });
  var days = articleDay.filter(function (d) { return d !== null; })
    .sort(function (a, b) { return a - b; })
    .filter(function (d, i, all) { return i === 0 || d !== all[i - 1]; });
  var undated = articleDay.filter(function (d) { return d === null; }).length;

  function dayText(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  /* --- The places: one circle each on the canvas --- */
  var layer = L.layerGroup().addTo(map);
  var places = data.places.map(function (p, index) {
    var marker = L.circleMarker([p[1], p[2]], {
      renderer: renderer, radius: 4, weight: 1, color: "#7a1f12", fillColor: "#d8452f", fillOpacity: 0.55
    });
    var place = {name: p[0], lat: p[1], lon: p[2], kind: p[3], ref: p[4], articles: p[5], quotes: p[6],
      marker: marker, count: 0, shown: false, index: index};
    marker.bindPopup(function () { return popup(place); }, {maxWidth: 380, maxHeight: 360});
    marker.bindTooltip(function () { return place.name + " (" + place.count + ")"; }, {direction: "top", sticky: true});
    return place;
  });

  /* --- The controls: the date slider, the window, play --- */
  var state = {window: days.length ? "upto" : "all", day: days.length ? days.length - 1 : 0, total: 0, placesShown: 0};
  var panel = L.control({position: "topright"});
  var ui = {};
  panel.onAdd = function () {
    var box = el("div", "corpus-panel");
    box.appendChild(el("h1", "corpus-title", data.title));
    var dateLine = el("div", "corpus-date");
    ui.date = el("output", "corpus-day");
    ui.date.setAttribute("aria-live", "polite");
    dateLine.appendChild(ui.date);
    box.appendChild(dateLine);
    ui.slider = el("input", "corpus-slider");
    ui.slider.type = "range";
    ui.slider.min = "0";
    ui.slider.max = String(Math.max(0, days.length - 1));
    ui.slider.value = String(state.day);
    ui.slider.setAttribute("aria-label", "Date");
    ui.slider.disabled = days.length === 0;
    box.appendChild(ui.slider);
    var row = el("div", "corpus-row");
    ui.play = el("button", "corpus-play", "Play");
    ui.play.type = "button";
    ui.play.disabled = days.length < 2;
    row.appendChild(ui.play);
    ui.window = el("select", "corpus-window");
    ui.window.setAttribute("aria-label", "Articles counted");
    WINDOWS.forEach(function (w) {
      var option = el("option", null, w[1]);
      option.value = w[0];
      ui.window.appendChild(option);
    });
    ui.window.value = state.window;
    row.appendChild(ui.window);
    box.appendChild(row);
    ui.summary = el("p", "corpus-summary");
    box.appendChild(ui.summary);
    if (undated) {
      box.appendChild(el("p", "corpus-note", undated + " article" + (undated === 1 ? " has" : "s have") +
        " no date: they count only with \u201cevery article, dated or not\u201d."));
    }
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  panel.addTo(map);

  function counted(article) {
    if (state.window === "all") { return true; }
    var day = articleDay[article];
    if (day === null || !days.length) { return false; }
    var end = days[state.day];
    if (state.window === "upto") { return day <= end; }
    return day <= end && day > end - Number(state.window);
  }

  function update() {
    var max = 0, seen = {}, total = 0, shown = 0;
    places.forEach(function (place) {
      var n = 0;
      for (var i = 0; i < place.articles.length; i++) {
        if (counted(place.articles[i])) {
          n++;
          if (!seen[place.articles[i]]) { seen[place.articles[i]] = true; total++; }
        }
      }
      place.count = n;
      if (n > max) { max = n; }
    });
    /* Larger circles first, so that the smaller ones stay on top and clickable. */
    var order = places.filter(function (p) { return p.count > 0; }).sort(function (a, b) { return b.count - a.count; });
    layer.clearLayers();
    order.forEach(function (place) {
      place.marker.setRadius(3 + 21 * Math.sqrt(place.count / Math.max(max, 25)));
      layer.addLayer(place.marker);
      shown++;
    });
    state.total = total;
    state.placesShown = shown;
    var when = state.window === "all" || !days.length ? "all dates" :
      (state.window === "upto" ? "up to " : state.window === "1" ? "" : state.window + " days to ") + dayText(days[state.day]);
    ui.date.textContent = when;
    ui.slider.disabled = !days.length || state.window === "all";
    ui.summary.textContent = shown + " place" + (shown === 1 ? "" : "s") + " named in " + total + " article" + (total === 1 ? "" : "s");
    document.body.setAttribute("data-places-shown", String(shown));
  }

  function popup(place) {
    var box = el("div", "corpus-popup");
    box.appendChild(el("h3", null, place.name));
    box.appendChild(el("p", "corpus-meta", place.count + " article" + (place.count === 1 ? "" : "s") + " \u00b7 " +
      place.kind + " \u00b7 " + place.ref));
    var list = el("ol", "corpus-articles");
    var picked = [];
    for (var i = place.articles.length - 1; i >= 0; i--) {  /* latest first */
      if (counted(place.articles[i])) { picked.push(i); }
    }
    picked.slice(0, MAX_LISTED).forEach(function (i) {
      var article = data.articles[place.articles[i]];
      var item = el("li");
      if (article[2]) { item.appendChild(el("time", null, article[2])); item.appendChild(document.createTextNode(" ")); }
      var title = el("strong", null, article[1] || article[0]);
      if (/^https?:\/\//i.test(article[3])) {
        var link = el("a");
        link.href = article[3];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.appendChild(title);
        item.appendChild(link);
      } else {
        item.appendChild(title);
      }
      item.appendChild(el("blockquote", null, data.quotes[place.quotes[i]]));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (picked.length > MAX_LISTED) {
      box.appendChild(el("p", "corpus-more", "and " + (picked.length - MAX_LISTED) + " more articles"));
    }
    return box;
  }

  var timer = null;
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; ui.play.textContent = "Play"; } }
  /* A dragged slider fires many input events between two frames: the map is counted again once per frame. */
  var pending = false;
  ui.slider.addEventListener("input", function () {
    state.day = Number(ui.slider.value);
    map.closePopup();
    if (!pending) {
      pending = true;
      requestAnimationFrame(function () { pending = false; update(); });
    }
  });
  ui.window.addEventListener("change", function () { state.window = ui.window.value; map.closePopup(); update(); });
  ui.play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    if (state.window === "all") { state.window = ui.window.value = "30"; }
    if (state.day >= days.length - 1) { state.day = 0; }
    ui.play.textContent = "Pause";
    timer = setInterval(function () {
      state.day = Math.min(days.length - 1, state.day + Math.max(1, Math.round(days.length / 120)));
      ui.slider.value = String(state.day);
      update();
      if (state.day >= days.length - 1) { stop(); }
    }, 250);
  });

  /* --- The opening view: every place --- */
  if (places.length) {
    var bounds = L.latLngBounds(places.map(function (p) { return [p.lat, p.lon]; }));
    map.fitBounds(bounds.pad(0.1), {maxZoom: 8});
  } else {
    map.fitWorld();
  }
  update();
  window.geoCorpus = {map: map, places: places, days: days.map(dayText), state: state, update: update, ready: true};
})();
