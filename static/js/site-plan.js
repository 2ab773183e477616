// Site plan page: colouring switch without reload, plot details on click, "Find plot", print.
// The plan is server-drawn SVG; every plot carries its figures in data-* attributes.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var view = document.getElementById('plan-view');
    if (!view) { return; }
    var svg = view.querySelector('svg.site-plan');
    var panel = document.getElementById('plot-details');
    var selected = null;

    // Colouring: swap the container's class, and keep the address and the download link in step.
    document.querySelectorAll('input[name="colour"]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        if (!radio.checked) { return; }
        view.classList.toggle('by-status', radio.value === 'status');
        view.classList.toggle('by-crowding', radio.value === 'crowding');
        var url = new URL(window.location.href);
        url.searchParams.set('colour', radio.value);
        window.history.replaceState(null, '', url.toString());
        document.querySelectorAll('[data-svg-link]').forEach(function (link) {
          var target = new URL(link.href, window.location.href);
          target.searchParams.set('colour', radio.value);
          link.href = target.pathname + target.search;
        });
      });
    });

    document.querySelectorAll('[data-print]').forEach(function (button) {
      button.addEventListener('click', function () { window.print(); });
    });

    function field(name) { return panel.querySelector('[data-f="' + name + '"]'); }

    function statusTitle(code) {
      var label = document.querySelector('.legend-status [data-st="' + code + '"] .label');
      return label ? label.textContent : code;
    }

    function show(plot) {
      if (selected) { selected.classList.remove('hl'); }
      selected = plot;
      plot.classList.add('hl');
      var d = plot.dataset;
      var none = panel.dataset.textNone;
      field('code').textContent = d.code;
      field('status').textContent = statusTitle(d.st);
      field('shelter').textContent = d.sh || none;
      field('hh').textContent = d.hh || '0';
      field('pp').textContent = d.pp || '0';
      field('cv').textContent = d.cv ? panel.dataset.textPerPerson.replace('{n}', d.cv) : none;
      var numbers = field('hn');
      if (numbers) {
        numbers.textContent = '';
        var list = (d.hn || '').split(' ').filter(Boolean);
        if (!list.length) { numbers.textContent = none; }
        list.forEach(function (number, i) {
          if (i) { numbers.appendChild(document.createTextNode(' ')); }
          var a = document.createElement('a');
          a.href = view.dataset.householdUrl.replace('PLOTCODE', encodeURIComponent(number));
          a.textContent = number;
          numbers.appendChild(a);
        });
      }
      var link = field('link');
      link.href = view.dataset.plotUrl.replace('PLOTCODE', encodeURIComponent(d.code));
      link.classList.remove('d-none');
      panel.querySelector('[data-details]').classList.remove('d-none');
      panel.querySelector('[data-details-empty]').classList.add('d-none');
    }

    var zoom = svg ? zoomable(svg, view.querySelector('.plan-box')) : null;
    if (svg) {
      svg.addEventListener('click', function (event) {
        if (zoom && zoom.justPanned()) { return; }
        var plot = event.target.closest('[data-code]');
        if (plot) { show(plot); }
      });
    }

    // Find a plot by its code (full, or without the camp prefix): 5,000 tab stops would be worse.
    var finder = document.querySelector('form[data-find-plot]');
    if (finder && svg) {
      var message = finder.querySelector('[data-find-message]');
      var help = message.textContent;
      finder.addEventListener('submit', function (event) {
        event.preventDefault();
        var code = finder.elements.plot.value.trim().toUpperCase();
        if (!code) { return; }
        var candidates = [code, view.dataset.camp + '-' + code];
        var match = /^(B\w+)-(\d{1,3})$/.exec(code);
        if (match) { candidates.push(view.dataset.camp + '-' + match[1] + '-' + ('00' + match[2]).slice(-3)); }
        var plot = null;
        for (var i = 0; i < candidates.length && !plot; i++) {
          plot = svg.querySelector('[data-code="' + CSS.escape(candidates[i]) + '"]');
        }
        if (!plot) {
          message.textContent = message.dataset.textMissing;
          message.classList.add('text-danger');
          return;
        }
        message.textContent = help;
        message.classList.remove('text-danger');
        show(plot);
        if (zoom) { zoom.focusOn(plot); }
        if (plot.scrollIntoView) { plot.scrollIntoView({ block: 'center', inline: 'center' }); }
        panel.focus({ preventScroll: true });
      });
    }
  });

  // Zoom and pan by the SVG's viewBox (no library, works offline): +/− buttons and keys, Ctrl+wheel
  // toward the pointer, double-click, dragging, two-finger pinch on a tablet; arrows move, 0 resets.
  function zoomable(svg, box) {
    var base = svg.viewBox.baseVal;
    var whole = { x: base.x, y: base.y, w: base.width, h: base.height };
    var vb = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };
    var MAX = 40;
    var pointers = {};
    var drag = null;
    var panned = false;

    function apply() {
      svg.setAttribute('viewBox', [vb.x, vb.y, vb.w, vb.h].join(' '));
      box.classList.toggle('zoomed', vb.w < whole.w - 1e-9);
    }
    function clamp() {
      vb.w = Math.min(whole.w, Math.max(whole.w / MAX, vb.w));
      vb.h = vb.w * whole.h / whole.w;
      vb.x = Math.min(whole.x + whole.w - vb.w, Math.max(whole.x, vb.x));
      vb.y = Math.min(whole.y + whole.h - vb.h, Math.max(whole.y, vb.y));
    }
    function toPlan(clientX, clientY) {
      var point = new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
      return { x: point.x, y: point.y };
    }
    function zoomAt(factor, at) {
      at = at || { x: vb.x + vb.w / 2, y: vb.y + vb.h / 2 };
      var w = Math.min(whole.w, Math.max(whole.w / MAX, vb.w / factor));
      var k = w / vb.w;
      vb.x = at.x - (at.x - vb.x) * k;
      vb.y = at.y - (at.y - vb.y) * k;
      vb.w = w;
      clamp();
      apply();
    }
    function pan(dx, dy) { vb.x += dx; vb.y += dy; clamp(); apply(); }
    function reset() { vb = { x: whole.x, y: whole.y, w: whole.w, h: whole.h }; apply(); }

    box.querySelectorAll('[data-zoom]').forEach(function (button) {
      button.addEventListener('click', function () {
        var how = button.getAttribute('data-zoom');
        if (how === 'in') { zoomAt(2); } else if (how === 'out') { zoomAt(0.5); } else { reset(); }
      });
    });
    box.addEventListener('keydown', function (event) {
      if (event.target !== box) { return; }
      var step = vb.w / 8;
      var keys = { '+': function () { zoomAt(2); }, '=': function () { zoomAt(2); }, '-': function () { zoomAt(0.5); },
        '0': reset, ArrowLeft: function () { pan(-step, 0); }, ArrowRight: function () { pan(step, 0); },
        ArrowUp: function () { pan(0, -step); }, ArrowDown: function () { pan(0, step); } };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });
    svg.addEventListener('wheel', function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }  // a plain wheel scrolls the page
      event.preventDefault();
      zoomAt(event.deltaY < 0 ? 1.25 : 0.8, toPlan(event.clientX, event.clientY));
    }, { passive: false });
    svg.addEventListener('dblclick', function (event) {
      event.preventDefault();
      zoomAt(2, toPlan(event.clientX, event.clientY));
    });

    svg.addEventListener('pointerdown', function (event) {
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var ids = Object.keys(pointers);
      panned = false;
      if (ids.length === 1) {
        drag = { start: toPlan(event.clientX, event.clientY), ctm: svg.getScreenCTM().inverse(),
                 client: { x: event.clientX, y: event.clientY }, vb: { x: vb.x, y: vb.y } };
      } else if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        drag = { pinch: Math.hypot(a.x - b.x, a.y - b.y), w: vb.w };
      }
    });
    svg.addEventListener('pointermove', function (event) {
      if (!pointers[event.pointerId] || !drag) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var ids = Object.keys(pointers);
      if (drag.pinch && ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var mid = toPlan((a.x + b.x) / 2, (a.y + b.y) / 2);
        zoomAt(vb.w / (drag.w * drag.pinch / Math.max(1, Math.hypot(a.x - b.x, a.y - b.y))), mid);
        panned = true;
        return;
      }
      if (drag.start && vb.w < whole.w &&
          Math.hypot(event.clientX - drag.client.x, event.clientY - drag.client.y) > 4) {
        if (!panned) { svg.setPointerCapture(event.pointerId); }
        panned = true;
        box.classList.add('panning');
        var now = new DOMPoint(event.clientX, event.clientY).matrixTransform(drag.ctm);
        vb.x = drag.vb.x - (now.x - drag.start.x);
        vb.y = drag.vb.y - (now.y - drag.start.y);
        clamp();
        apply();
      }
    });
    function release(event) {
      delete pointers[event.pointerId];
      if (!Object.keys(pointers).length) { drag = null; box.classList.remove('panning'); }
    }
    svg.addEventListener('pointerup', release);
    svg.addEventListener('pointercancel', release);

    return {
      justPanned: function () { var was = panned; panned = false; return was; },
      focusOn: function (element) {
        var b = element.getBBox();
        var size = Math.max(b.width, b.height) * 12;
        vb.w = size;
        clamp();
        vb.x = b.x + b.width / 2 - vb.w / 2;
        vb.y = b.y + b.height / 2 - vb.h / 2;
        clamp();
        apply();
      }
    };
  }
})();
