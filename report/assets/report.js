/* The interactive HTML's behaviour (ktreport.render.charts puts it in the page once, after
   plotly.js). Accessibility first:
   - charts: plotly's own toolbar is off (it offers to upload the data and puts ten icons
     in the Tab order); each chart gets one toolbar (role=toolbar, one Tab stop, arrow keys
     between its buttons): download PNG, download SVG, reset the view. On a narrow column
     the chart is laid out for the width (smaller text, legend above the plot).
   - scroll frames (wide tables): focusable only while they do scroll sideways.
   - numbers' sources: a "Show the sources of the numbers" switch makes every computed
     number focusable, with its definition and n as its description. */
(function () {
  "use strict";
  var CONFIG = JSON.parse(document.getElementById("ktreport-plotly-config").textContent);
  var NARROW = 560; // px of chart width below which the layout is made for a phone

  function narrowLayout(layout, data, width) {
    var copy = JSON.parse(JSON.stringify(layout));
    if (width >= NARROW) return copy;
    var heatmap = data.some(function (trace) { return trace.type === "heatmap"; });
    var outside = data.some(function (trace) { return trace.textposition === "outside"; });
    copy.font = Object.assign({}, copy.font, { size: 10 });
    copy.margin = Object.assign({}, copy.margin, { l: 8, r: 8, t: 48, pad: 2 });
    copy.legend = Object.assign({}, copy.legend, {
      orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom",
    });
    ["xaxis", "yaxis"].forEach(function (axis) {
      var font = Object.assign({}, copy[axis].tickfont, { size: 9 });
      copy[axis] = Object.assign({}, copy[axis], { automargin: true, tickfont: font });
      if (copy[axis].title && copy[axis].title.text) {
        copy[axis].title = Object.assign({}, copy[axis].title, { font: { size: 10 } });
      }
    });
    if (heatmap) copy.xaxis.tickangle = -90;
    // Rows whose labels wrapped (``data`` is narrowData's) need their lines' height: the
    // chart grows rather than let the labels run into each other.
    var rows = {}, lines = 1;
    data.forEach(function (trace) {
      if (trace.type === "heatmap" || !categories(trace.y)) return;
      trace.y.forEach(function (label) {
        rows[label] = true;
        lines = Math.max(lines, String(label).split("<br>").length);
      });
    });
    var needed = Object.keys(rows).length * (lines * 12 + 4) + 140;
    if (copy.height && needed > copy.height) copy.height = needed;
    if (outside) copy.margin.r = 56; // room for the bar labels drawn past the bars
    if (copy.title) copy.title = Object.assign({}, copy.title, { font: { size: 12 } });
    return copy;
  }

  // On a narrow column long category labels (skills) wrap, so the plot keeps its width.
  function wrapLabel(label, size) {
    size = size || 16;
    if (typeof label !== "string" || label.length <= size || label.indexOf("<br>") >= 0) {
      return label;
    }
    var lines = [];
    label.split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && lines[last].length + 1 + word.length <= size) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines.join("<br>");
  }

  // A column's category under the plot ("2–5 days (9–40 h)") has a fifth of the width or
  // less: it breaks before its parenthesis, then every 12 characters.
  function wrapCategory(label) {
    if (typeof label !== "string" || label.indexOf("<br>") >= 0) return label;
    return label.split(" (").map(function (part, index) {
      return wrapLabel(index ? "(" + part : part, 12);
    }).join("<br>");
  }

  function categories(values) {
    return Array.isArray(values) && values.some(function (v) { return typeof v === "string"; });
  }

  function narrowData(data, width) {
    if (width >= NARROW) return data;
    return data.map(function (trace) {
      var copy = Object.assign({}, trace, { textfont: Object.assign({}, trace.textfont, { size: 9 }) });
      // (not a heatmap's rows: its rows are one line high)
      if (trace.type !== "heatmap" && categories(trace.y)) {
        copy.y = trace.y.map(function (label) { return wrapLabel(label); });
      }
      if (trace.type !== "heatmap" && categories(trace.x)) copy.x = trace.x.map(wrapCategory);
      if (trace.type === "heatmap" && Array.isArray(trace.x)) {
        // Column labels run upwards, one line each, instead of overlapping.
        copy.x = trace.x.map(function (v) { return String(v).split("<br>").join(" "); });
      }
      return copy;
    });
  }

  function toolbar(target, figure, label) {
    var bar = document.createElement("div");
    bar.className = "chart-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Chart tools: " + label);
    bar.setAttribute("aria-controls", target.id);
    var actions = [
      ["Download PNG", function () { download(target, figure, "png"); }],
      ["Download SVG", function () { download(target, figure, "svg"); }],
      ["Reset view", function () { draw(target, figure); }],
    ];
    var buttons = actions.map(function (action, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = action[0];
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", action[1]);
      bar.appendChild(button);
      return button;
    });
    bar.addEventListener("keydown", function (event) {
      var current = buttons.indexOf(document.activeElement);
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0,
        End: buttons.length - 1 }[event.key];
      if (current < 0 || next === undefined) return;
      next = (next + buttons.length) % buttons.length;
      buttons[current].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
      event.preventDefault();
    });
    return bar;
  }

  function download(target, figure, format) {
    var size = figure.download || {};
    Plotly.downloadImage(target, {
      format: format, filename: size.filename || target.id,
      width: size.width, height: size.height,
    });
  }

  function draw(target, figure) {
    var width = target.getBoundingClientRect().width;
    target.dataset.narrow = width < NARROW ? "yes" : "no";
    var data = narrowData(figure.data, width);
    return Plotly.react(target, data, narrowLayout(figure.layout, data, width), CONFIG);
  }

  document.querySelectorAll("script.plotly-data").forEach(function (data) {
    var figure = JSON.parse(data.textContent);
    var target = document.getElementById(data.dataset.target);
    var frame = target.closest(".chart") || target.parentElement;
    frame.insertBefore(toolbar(target, figure, data.dataset.label || target.id), target);
    draw(target, figure);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var narrow = target.getBoundingClientRect().width < NARROW ? "yes" : "no";
        if (narrow !== target.dataset.narrow) draw(target, figure);
      }).observe(target);
    }
  });

  // A frame that scrolls sideways must be reachable by keyboard; one that fits need not.
  function scrollFrames() {
    document.querySelectorAll(".scroll-frame").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) frame.tabIndex = 0;
      else frame.removeAttribute("tabindex");
    });
  }
  scrollFrames();
  window.addEventListener("resize", scrollFrames);
  document.querySelectorAll("details").forEach(function (details) {
    details.addEventListener("toggle", scrollFrames);
  });

  // The sources of the numbers, on request.
  var numbers = document.querySelectorAll("span[data-kf]");
  var main = document.getElementById("content");
  if (!numbers.length || !main) return;
  var bar = document.createElement("p");
  bar.className = "sources-switch";
  var button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-pressed", "false");
  button.textContent = "Show the sources of the numbers";
  var hint = document.createElement("span");
  hint.className = "sources-hint";
  hint.textContent = "Every number in the text is computed from the data. Switched on, each " +
    "number can be reached with Tab and tells its definition and n.";
  bar.appendChild(button);
  bar.appendChild(document.createTextNode(" "));
  bar.appendChild(hint);
  main.insertBefore(bar, main.firstChild);
  var described = false;
  function describe() {
    // The descriptions live in one hidden list (aria-describedby reads hidden text), so
    // they are never part of the text itself (copying a number copies the number).
    var notes = document.createElement("div");
    notes.hidden = true;
    notes.id = "kf-sources";
    numbers.forEach(function (number, index) {
      var note = document.createElement("span");
      note.id = "kf-source-" + (index + 1);
      note.textContent = "Source: " + (number.dataset.source || "");
      notes.appendChild(note);
      number.setAttribute("aria-describedby", note.id);
    });
    document.body.appendChild(notes);
    described = true;
  }
  button.addEventListener("click", function () {
    var on = button.getAttribute("aria-pressed") !== "true";
    if (on && !described) describe();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("show-sources", on);
    numbers.forEach(function (number) {
      if (on) number.tabIndex = 0;
      else number.removeAttribute("tabindex");
    });
  });
})();
