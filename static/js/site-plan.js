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

    if (svg) {
      svg.addEventListener('click', function (event) {
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
        if (plot.scrollIntoView) { plot.scrollIntoView({ block: 'center', inline: 'center' }); }
        panel.focus({ preventScroll: true });
      });
    }
  });
})();
