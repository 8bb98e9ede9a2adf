/* geo serve --edit: the map as the editor of its place list.
 *
 * Injected by `geo serve --edit` into the page it serves, never into a built map. It
 * hooks the places story.js drew through one seam: each layer of a place in
 * window.geoStory.groups, and each place's popup, carries the place's data as .geoPlace;
 * a layer with a single position (setLatLng) is the place's marker, which can be
 * dragged. It changes the file through the server's API with the session's token,
 * read from the address's fragment (#token=...). After each change
 * the server rebuilds the map from the file and the page reloads (the reload script).
 * Every text from the place list or the server reaches the page as a text node.
 */
function geoEdit() {
  "use strict";

  var story = window.geoStory;
  if (!story || !story.map) { return; }
  var map = story.map;
  var container = map.getContainer();
  var token = (/(?:^#|&)token=([^&]+)/.exec(location.hash) || [])[1] || "";
  var SAID = "geo-edit-said";  /* sessionStorage: what the last change did, shown after the reload */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function button(text, title, action) {
    var node = el("button", "geo-edit-button", text);
    node.type = "button";
    node.title = title;
    L.DomEvent.on(node, "click", function (e) { L.DomEvent.stop(e); action(); });
    return node;
  }

  /* --- The toolbar: add, undo, and what happened --- */

  var status, undoButton, addButton;
  var bar = L.control({position: "topleft"});
  bar.onAdd = function () {
    var box = L.DomUtil.create("div", "geo-edit-bar");
    box.setAttribute("role", "toolbar");
    box.setAttribute("aria-label", "Edit the place list");
    addButton = button("Add a place", "Then click the map where it is", toggleAdding);
    undoButton = button("Undo", "Nothing to undo", undo);
    undoButton.disabled = true;
    status = el("p", "geo-edit-status");
    status.setAttribute("role", "status");
    box.appendChild(addButton);
    box.appendChild(undoButton);
    box.appendChild(status);
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  bar.addTo(map);

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("geo-edit-error", Boolean(isError));
  }

  function showUndo(undoInfo) {
    undoButton.disabled = !undoInfo.count;
    undoButton.title = undoInfo.last ? "Undo: " + undoInfo.last : "Nothing to undo";
  }

  /* --- Talking to the server --- */

  function api(method, path, body) {
    var options = {method: method, cache: "no-store", headers: {"X-Geo-Token": token}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).catch(function (error) {
      return {ok: false, data: {error: "geo: error: the server did not answer (" + error.message + "); is geo serve still running?"}};
    });
  }

  function placePath(name) { return "/api/places/" + encodeURIComponent(name); }

  /* A change: said, kept for the reloaded page to say again; or its error, one line. */
  function change(method, path, body) {
    say("Saving…");
    return api(method, path, body).then(function (reply) {
      if (reply.ok) {
        sessionStorage.setItem(SAID, reply.data.message);
        say(reply.data.message + "; the map reloads");
        showUndo({count: reply.data.undo, last: null});
      } else {
        say(reply.data.error, true);
      }
      return reply;
    });
  }

  function undo() { change("POST", "/api/undo"); }

  /* --- Dragging a marker writes its point --- */

  var swallowClick = false;
  container.addEventListener("click", function (e) {
    if (swallowClick) { swallowClick = false; e.stopPropagation(); }
  }, true);

  function draggable(marker) {
    var element = marker.getElement && marker.getElement();
    if (element) { element.classList.add("geo-edit-movable"); }
    marker.on("mousedown", function (e) {
      if (e.originalEvent.button !== 0) { return; }
      var start = marker.getLatLng(), moved = false;
      map.dragging.disable();
      function move(ev) {
        moved = true;
        marker.setLatLng(map.mouseEventToLatLng(ev));
      }
      function up() {
        document.removeEventListener("mousemove", move);
        document.removeEventListener("mouseup", up);
        map.dragging.enable();
        if (!moved) { return; }
        swallowClick = true;
        window.setTimeout(function () { swallowClick = false; }, 0);
        var at = marker.getLatLng();
        change("PATCH", placePath(marker.geoPlace.name), {point: [round(at.lat), round(at.lng)]}).then(function (reply) {
          if (!reply.ok) { marker.setLatLng(start); }
        });
      }
      document.addEventListener("mousemove", move);
      document.addEventListener("mouseup", up);
    });
  }

  function round(value) { return Math.round(value * 1e5) / 1e5; }

  /* --- A place's popup: other candidates, mark checked, remove --- */

  function candidateList(popup, place, box) {
    var list = el("ul", "geo-edit-candidates");
    box.appendChild(list);
    list.appendChild(el("li", null, "Looking up…"));
    api("GET", placePath(place.name) + "/candidates").then(function (reply) {
      list.textContent = "";
      window.setTimeout(function () { popup.update(); }, 0);  /* lay the popup out again around the list */
      if (!reply.ok) { list.appendChild(el("li", "geo-edit-error", reply.data.error)); return; }
      reply.data.candidates.forEach(function (c) {
        var item = el("li", c.current ? "geo-edit-current" : null);
        var words = [c.name, c.country || "-", c.kind, "confidence " + c.confidence.toFixed(2)];
        if (c.distanceKm !== null) { words.push(c.distanceKm + " km away"); }
        item.appendChild(el("span", "geo-edit-candidate", words.join(" · ")));
        if (c.current) {
          item.appendChild(el("span", "geo-edit-note", " (on the map)"));
        } else {
          item.appendChild(button("Use this", "Write ref: " + c.ref + " into the entry", function () {
            change("PATCH", placePath(place.name), {ref: c.ref});
          }));
        }
        list.appendChild(item);
      });
      if (!reply.data.candidates.length) { list.appendChild(el("li", null, "No gazetteer knows this name.")); }
    });
  }

  function tools(popup, place) {
    var content = popup.getElement() && popup.getElement().querySelector(".geo-popup");
    if (!content || content.querySelector(".geo-edit-tools")) { return; }
    var box = el("div", "geo-edit-tools");
    if (place.ref) {
      box.appendChild(button("Other candidates", "The other places this name may mean", function () {
        if (!box.querySelector(".geo-edit-candidates")) { candidateList(popup, place, box); }
      }));
    }
    if (place.unverified) {
      box.appendChild(button("Mark checked", "A person checked this place: pin its record, no longer unverified", function () {
        change("PATCH", placePath(place.name), {checked: true});
      }));
    }
    box.appendChild(button("Remove", "Remove this place from the list", function () {
      change("DELETE", placePath(place.name));
    }));
    content.appendChild(box);
    popup.setContent(content);  /* from now on this box: its content function would draw one without the tools */
  }

  /* --- Adding: click the map, then name it --- */

  var adding = false, kinds = ["other"];

  function toggleAdding() {
    adding = !adding;
    container.classList.toggle("geo-edit-adding", adding);
    addButton.setAttribute("aria-pressed", String(adding));
    say(adding ? "Click the map where the new place is." : "");
  }

  function addForm(latlng) {
    var form = el("form", "geo-edit-form");
    form.appendChild(el("p", "geo-heading", "New place at " + round(latlng.lat) + ", " + round(latlng.lng)));
    var name = el("input");
    name.name = "name";
    name.required = true;
    name.placeholder = "Name";
    name.setAttribute("aria-label", "Name");
    var kind = el("select");
    kind.name = "kind";
    kind.setAttribute("aria-label", "Kind");
    kinds.forEach(function (k) {
      var option = el("option", null, k);
      option.value = k;
      kind.appendChild(option);
    });
    kind.value = kinds.indexOf("town") >= 0 ? "town" : kinds[0];
    var submit = el("button", "geo-edit-button", "Add");
    submit.type = "submit";
    [name, kind, submit].forEach(function (node) { form.appendChild(node); });
    var popup = L.popup({maxWidth: 320}).setLatLng(latlng).setContent(form).openOn(map);
    L.DomEvent.on(form, "submit", function (e) {
      L.DomEvent.preventDefault(e);
      change("POST", "/api/places", {name: name.value, kind: kind.value, point: [round(latlng.lat), round(latlng.lng)]})
        .then(function (reply) { if (reply.ok) { map.closePopup(popup); } });
    });
    name.focus();
  }

  map.on("click", function (e) {
    if (!adding) { return; }
    toggleAdding();
    addForm(e.latlng);
  });

  /* --- Start --- */

  var said = sessionStorage.getItem(SAID);
  sessionStorage.removeItem(SAID);
  if (!token) {
    say("Opened without its token, this page cannot edit: open the address `geo serve --edit` printed, with its #token=…", true);
    addButton.disabled = true;
    return;
  }
  say(said || "Drag a marker to move it; click a place for more.");
  api("GET", "/api/places").then(function (reply) {
    if (!reply.ok) { say(reply.data.error, true); return; }
    kinds = reply.data.kinds;
    showUndo(reply.data.undo);
    var movable = new Set(reply.data.places.filter(function (p) { return p.movable; }).map(function (p) { return p.name; }));
    story.groups.forEach(function (group) {
      group.eachLayer(function (layer) {  /* a place's marker: the layer of a place with one position */
        if (layer.geoPlace && layer.setLatLng && movable.has(layer.geoPlace.name)) { draggable(layer); }
      });
    });
    map.on("popupopen", function (e) { if (e.popup.geoPlace) { tools(e.popup, e.popup.geoPlace); } });
    container.dataset.geoEdit = "ready";
  });
}

/* The page's map is drawn by a script after this one: start once the page has run it. */
if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", geoEdit); } else { geoEdit(); }
