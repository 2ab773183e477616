"""The scan page's ES modules loaded alone in Chromium (import() on a page of the live server, no scan
page, no main module): the IndexedDB store, the verdict panel and the status bar on a tiny page of
their own. tests/js/scan covers the modules without DOM in Node."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: the elements verdict.js and status.js draw in, as templates/distributions/scan.html has them
FIXTURE = """
<div id="scan-app" data-feedback-url="/feedback/new" data-msg-valid="Valid: hand out"
     data-msg-revoked="Revoked card" data-msg-hand_out="Hand out" data-msg-entitlement="Entitlement"
     data-msg-checked_offline="Checked on this device." data-msg-checked_server="Checked with the server."
     data-msg-bad_check_title="Wrong household number" data-msg-card="Card"
     data-msg-online="Online" data-msg-offline="Offline" data-msg-package_none="No data"
     data-msg-sync_never="Not sent yet" data-msg-sync_failed="Failed {when}"
     data-msg-clock_ahead="{n} minutes ahead" data-msg-flag_clock="Wrong clock."
     data-msg-unrecorded="{number} not recorded">
  <section id="outcome"><span id="outcome-icon"></span><h2 id="outcome-title"></h2><p id="outcome-detail"></p>
    <div id="unrecorded" class="d-none"><p id="unrecorded-text"></p></div>
    <div id="record-box" class="d-none">
      <div class="scan-choice"><input type="radio" name="collected_by" id="by-head" value="head" checked></div>
      <div class="scan-choice"><input type="radio" name="collected_by" id="by-alternate" value="alternate"></div>
      <div id="alternate-box" class="d-none"><select id="alternate"></select></div>
    </div>
    <div id="outcome-household" class="d-none"><img id="outcome-photo" class="d-none" alt="">
      <span id="outcome-number"></span><strong id="outcome-size"></strong><p id="outcome-card"></p>
      <h3 id="entitlement-title" class="d-none"></h3><ul id="outcome-entitlement"></ul>
      <p id="outcome-feedback" class="d-none"><a id="outcome-feedback-link" href="#">feedback</a></p></div>
  </section>
  <p id="scan-input-error" class="d-none"></p>
  <span id="net-state"></span><span id="package-state"></span><span id="waiting-count"></span>
  <span id="sync-state"></span><p id="clock-warning" class="d-none"></p>
  <section id="problems" class="d-none"><ul id="problem-list"></ul></section>
</div>
"""

#: ctx for the modules: the fixture's root and elements, messages, a fresh state
CONTEXT = """
async (fixture) => {
  document.body.innerHTML = fixture;
  const [dom, format, state] = await Promise.all(
    ['dom', 'format', 'state'].map((name) => import(`/static/js/scan/${name}.js`)));
  const root = document.getElementById('scan-app');
  window.scanCtx = {root, els: dom.elements(document), msg: format.messages(root), cards: null,
                    state: state.createState(7, '')};
}
"""


@pytest.fixture()
def blank(page):
    """A page of the live server (the login form) with the fixture and a ctx in window.scanCtx."""
    page.goto("/login")
    page.evaluate(CONTEXT, FIXTURE)
    return page


def test_store_keeps_packages_and_the_queue_in_indexeddb(page):
    page.goto("/login")
    stored = page.evaluate(
        """async () => {
      const store = await import('/static/js/scan/store.js');
      await store.putRecord('packages', {round_id: 9901, loaded_at: 't', data: {round: {}}});
      await store.saveItems([{id: 'a', round_id: 9901, state: 'waiting', sending: true},
                             {id: 'b', round_id: 9902, state: 'waiting'}]);
      const found = {pkg: (await store.getPackage(9901)).loaded_at, queue: await store.roundQueue(9901)};
      await store.deletePackage(9901);
      found.deleted = (await store.getPackage(9901)) === undefined;
      found.databases = (await indexedDB.databases()).map((d) => d.name);
      return found;
    }"""
    )
    assert stored == {
        "pkg": "t",
        "queue": [{"id": "a", "round_id": 9901, "state": "waiting"}],
        "deleted": True,
        "databases": ["panoh-distribution"],
    }


def test_verdict_panel_shows_a_valid_household_and_its_collectors(blank):
    shown = blank.evaluate(
        """async () => {
      const verdict = await import('/static/js/scan/verdict.js');
      const ctx = window.scanCtx;
      verdict.render(ctx, {outcome: 'valid', source: 'local', query: {household: 'KHR-000123-O'},
                           number: 'KHR-000123-O', size: 4, serial: 'S1', beep: false,
                           entitlement: [{name: 'Flour', unit: 'kg', quantity: 25}],
                           alternates: [{id: 3, name: 'Alt', name_orig: 'Альт'}]});
      const box = document.getElementById('outcome');
      document.getElementById('by-alternate').checked = true;
      document.getElementById('alternate').value = '3';
      return {outcome: box.dataset.outcome, valid: box.classList.contains('is-valid'), seq: box.dataset.seq,
              title: ctx.els.title.textContent, detail: ctx.els.detail.textContent,
              icon: ctx.els.icon.textContent, size: ctx.els.size.textContent,
              items: [...ctx.els.entitlement.children].map((li) => li.textContent),
              record: !ctx.els.recordBox.classList.contains('d-none'),
              alternates: [...ctx.els.alternate.options].map((o) => o.textContent),
              feedback: ctx.els.feedbackLink.getAttribute('href'),
              current: ctx.state.current.number, collector: verdict.collector(ctx)};
    }"""
    )
    assert shown == {
        "outcome": "valid",
        "valid": True,
        "seq": "1",
        "title": "Valid: hand out",
        "detail": "Checked on this device.",
        "icon": "✓",
        "size": "4",
        "items": ["Flour: 25 kg"],
        "record": True,
        "alternates": ["Alt · Альт"],
        "feedback": "/feedback/new?household=KHR-000123-O&channel=distribution_point",
        "current": "KHR-000123-O",
        "collector": {"by": "alternate", "alternateId": 3},
    }


def test_verdict_panel_refuses_without_record_button(blank):
    shown = blank.evaluate(
        """async () => {
      const verdict = await import('/static/js/scan/verdict.js');
      const ctx = window.scanCtx;
      ctx.state.current = {number: 'KHR-000123-O'};
      verdict.render(ctx, {outcome: 'bad_check', source: 'local', query: {}, number: 'KHR-000123-X',
                           entitlement: [], alternates: [], beep: false});
      verdict.showUnrecorded(ctx, 'KHR-000001-7');
      return {kind: [...ctx.els.outcome.classList], title: ctx.els.title.textContent,
              icon: ctx.els.icon.textContent, current: ctx.state.current,
              record: !ctx.els.recordBox.classList.contains('d-none'),
              unrecorded: ctx.els.unrecordedText.textContent};
    }"""
    )
    assert shown == {
        "kind": ["is-refused"],
        "title": "Wrong household number",
        "icon": "✕",
        "current": None,
        "record": False,
        "unrecorded": "KHR-000001-7 not recorded",
    }


def test_status_bar_clock_warning_and_problems(blank):
    shown = blank.evaluate(
        """async () => {
      const status = await import('/static/js/scan/status.js');
      const ctx = window.scanCtx;
      ctx.state.queue = [{id: 'a', state: 'waiting', body: {}},
                         {id: 'b', state: 'flagged', flags: ['clock'], household: 'KHR-000123-O',
                          body: {collected_at: '2026-01-02T10:00:00Z', point: 'DP-1'}}];
      ctx.state.clockSkew = 7 * 60000;
      status.renderStatus(ctx);
      status.renderClock(ctx);
      status.renderProblems(ctx);
      const visible = (el) => !el.classList.contains('d-none');
      return {net: ctx.els.net.dataset.state, waiting: ctx.els.waiting.textContent,
              sync: ctx.els.syncState.textContent, pkg: ctx.els.packageState.textContent,
              clock: ctx.els.clockWarning.textContent, skew: ctx.els.clockWarning.dataset.skewMinutes,
              clockShown: visible(ctx.els.clockWarning), problemsShown: visible(ctx.els.problems),
              problem: ctx.els.problemList.textContent};
    }"""
    )
    problem = shown.pop("problem")
    assert shown == {
        "net": "online",
        "waiting": "1",
        "sync": "Not sent yet",
        "pkg": "No data",
        "clock": "7 minutes ahead",
        "skew": "7",
        "clockShown": True,
        "problemsShown": True,
    }
    assert problem.startswith("KHR-000123-O · ") and problem.endswith(" · DP-1 · Wrong clock.")
