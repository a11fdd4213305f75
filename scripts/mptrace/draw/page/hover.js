// timeline.html's hover: the details of the event under the pointer, or
// the summary of the band or crowd of events it stands for.  A click pins
// the details (another click lets go).  Data: #hover-data (draw/hover.py),
// in the SVG's own units.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hover-data").textContent);
  var svg = document.querySelector("#picture svg");
  var tip = document.getElementById("tip");
  var NEAR = 6;                       // pixels: a point this close is hit
  var COLUMN = 16;                    // the points indexed by column
  var columns = {};
  data.points.forEach(function (p, i) {
    var c = Math.floor(p[0] / COLUMN);
    (columns[c] = columns[c] || []).push(i);
  });
  var ring = document.createElementNS("http://www.w3.org/2000/svg", "circle");
  ring.setAttribute("r", "5");
  ring.setAttribute("fill", "none");
  ring.setAttribute("stroke", "#d55e00");
  ring.setAttribute("stroke-width", "2");
  ring.setAttribute("visibility", "hidden");
  ring.setAttribute("pointer-events", "none");
  svg.appendChild(ring);
  var pinned = false;

  function nearest(x, y) {
    var best = -1, bestD = NEAR * NEAR, c0 = Math.floor(x / COLUMN);
    for (var c = c0 - 1; c <= c0 + 1; c++) {
      (columns[c] || []).forEach(function (i) {
        var p = data.points[i], dx = p[0] - x, dy = p[1] - y;
        if (dx * dx + dy * dy <= bestD) { bestD = dx * dx + dy * dy; best = i; }
      });
    }
    return best;
  }

  function inSlice(s, x, y) {         // s: sx0 sx1 rx0 rx1 y0 y1 band n
    var f = (y - s[4]) / (s[5] - s[4]);
    if (!(f >= 0 && f <= 1)) return false;
    return x >= s[0] + (s[2] - s[0]) * f - 1 && x <= s[1] + (s[3] - s[1]) * f + 1;
  }

  function find(x, y) {
    var i = nearest(x, y);
    if (i >= 0) {
      var p = data.points[i];
      return { text: p[2], x: p[0], y: p[1] };
    }
    for (var k = 0; k < data.slices.length; k++) {
      var s = data.slices[k];
      if (inSlice(s, x, y)) {
        return { text: data.bands[s[6]] + "\nhere: " + s[7].toLocaleString("en") +
                 " messages sent in this slice", x: x, y: y };
      }
    }
    return null;
  }

  function svgPoint(evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }

  function show(hit, evt) {
    if (!hit) {
      tip.hidden = true;
      ring.setAttribute("visibility", "hidden");
      return;
    }
    tip.textContent = hit.text;
    tip.hidden = false;
    ring.setAttribute("cx", hit.x);
    ring.setAttribute("cy", hit.y);
    ring.setAttribute("visibility", "visible");
    var left = evt.pageX + 14, top = evt.pageY + 14;
    if (left + tip.offsetWidth > window.scrollX + window.innerWidth)
      left = Math.max(0, evt.pageX - 14 - tip.offsetWidth);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  svg.addEventListener("mousemove", function (evt) {
    if (!pinned) { var p = svgPoint(evt); show(find(p.x, p.y), evt); }
  });
  svg.addEventListener("mouseleave", function (evt) {
    if (!pinned) show(null, evt);
  });
  document.addEventListener("click", function (evt) {
    var p = svgPoint(evt), hit = find(p.x, p.y);
    pinned = !pinned && hit !== null;
    tip.classList.toggle("pinned", pinned);
    show(hit, evt);
  });
})();
