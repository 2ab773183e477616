// The verdict panel: the outcome of a check or a collection, big and coloured, with the household,
// its entitlement, the Record button with the choice of collector, and the record-or-skip question;
// the error line under the input. render(ctx, result) takes a check result (./check.js).

import {show} from './dom.js';
import {formatTime, pageLocale} from './format.js';
import {beep} from './sounds.js';
import {saveUnrecorded} from './state.js';

const CARD_REFUSALS = ['malformed', 'unknown_key', 'invalid_signature', 'revoked', 'expired'];
const HOUSEHOLD_REFUSALS = ['wrong_camp', 'not_eligible', 'round_closed', 'unknown_household'];
const WARNINGS = ['already_collected', 'flagged_double', 'flagged', 'id_conflict'];
const GOOD = ['valid', 'recorded', 'queued', 'sending'];

// valid, recorded, warning or refused: the panel's colour and icon.
export function kindOf(outcome) {
  if (GOOD.indexOf(outcome) >= 0) { return outcome === 'valid' ? 'valid' : 'recorded'; }
  if (WARNINGS.indexOf(outcome) >= 0) { return 'warning'; }
  return 'refused';
}

// The line under the title: when and where already collected, and whether the server was asked.
export function detailOf(msg, result, pkgLoadedAt) {
  const lines = [];
  if (result.outcome === 'already_collected') {
    if (result.collection) {
      const c = result.collection;
      lines.push(msg('already_detail', {when: formatTime(c.collected_at), point: c.point || '',
                                        officer: c.officer || '', by: msg('by-' + (c.collected_by || 'head'))}));
    } else if (result.collectedHere) {
      lines.push(msg('already_here', {when: formatTime(result.collectedHere.body.collected_at),
                                      point: result.collectedHere.body.point}));
    } else if (result.collectedBefore) {
      lines.push(msg('already_package', {when: formatTime(pkgLoadedAt)}));
    }
  }
  if (result.message) { lines.push(result.message); }
  if (['valid', 'already_collected'].indexOf(result.outcome) >= 0 || CARD_REFUSALS.indexOf(result.outcome) >= 0 ||
      HOUSEHOLD_REFUSALS.indexOf(result.outcome) >= 0) {
    lines.push(msg(result.source === 'server' ? 'checked_server' : 'checked_offline'));
  }
  return lines.join(' ');
}

function renderHousehold(ctx, result) {
  const {els, msg, root} = ctx;
  const hasHousehold = !!(result.number && (result.size || result.size === 0));
  show(els.household, hasHousehold || !!result.number);
  els.number.textContent = result.number || '';
  const feedbackUrl = root.dataset.feedbackUrl;
  if (feedbackUrl && result.number) {
    els.feedbackLink.href = feedbackUrl + '?household=' + encodeURIComponent(result.number) +
      '&channel=distribution_point';
  }
  show(els.feedback, !!(feedbackUrl && result.number));
  els.size.textContent = hasHousehold ? String(result.size) : '–';
  els.card.textContent = result.serial ? msg('card') + ' ' + result.serial : '';
  if (result.photo) {
    els.photo.src = result.photo;
    show(els.photo, true);
  } else {
    els.photo.removeAttribute('src');
    show(els.photo, false);
  }
  els.entitlement.textContent = '';
  (result.entitlement || []).forEach((item) => {
    const li = document.createElement('li');
    li.textContent = item.name + ': ' + (+item.quantity).toLocaleString(pageLocale()) + ' ' + item.unit;
    els.entitlement.appendChild(li);
  });
  show(els.entitlementTitle, (result.entitlement || []).length > 0);
  els.entitlementTitle.textContent = msg(result.outcome === 'valid' ? 'hand_out' : 'entitlement');
}

// Shows a result; a valid one becomes ctx.state.current, the household waiting to be recorded.
export function render(ctx, result) {
  const {els, msg, root, state} = ctx;
  state.panel++;
  const kind = kindOf(result.outcome);
  const box = els.outcome;
  box.classList.remove('is-valid', 'is-recorded', 'is-warning', 'is-refused');
  box.classList.add('is-' + kind);
  box.setAttribute('data-outcome', result.outcome);
  box.setAttribute('data-source', result.source || '');
  box.setAttribute('data-seq', String(state.panel));
  els.icon.textContent = kind === 'valid' || kind === 'recorded' ? '✓' : (kind === 'warning' ? '!' : '✕');
  const titled = root.hasAttribute('data-msg-' + result.outcome + '_title');
  els.title.textContent = msg(titled ? result.outcome + '_title' : result.outcome);
  els.detail.textContent = detailOf(msg, result, state.pkgLoadedAt);
  renderHousehold(ctx, result);

  state.current = result.outcome === 'valid' ? result : null;
  saveUnrecorded(state);
  show(els.recordBox, !!state.current);
  if (state.current) { prepareCollectors(ctx, result); }
  if (result.beep !== false) { beep(result.outcome); }
}

function prepareCollectors(ctx, result) {
  const {els, state} = ctx;
  const allowed = !!(state.pkg ? state.pkg.round.alternates_allowed : true);
  const alternates = result.alternates || [];
  els.byHead.checked = true;
  els.alternate.textContent = '';
  alternates.forEach((a) => {
    const option = document.createElement('option');
    option.value = a.id;
    option.textContent = a.name + (a.name_orig ? ' · ' + a.name_orig : '');
    els.alternate.appendChild(option);
  });
  show(els.byAlternate.closest('.scan-choice'), allowed && alternates.length > 0);
  show(els.alternateBox, false);
}

// Who collects, as chosen: {by, alternateId} (an alternate not chosen from the list counts as the head).
export function collector(ctx) {
  const {els, root} = ctx;
  let by = (root.querySelector('input[name="collected_by"]:checked') || els.byHead).value;
  const alternateId = by === 'alternate' ? parseInt(els.alternate.value, 10) || null : null;
  if (by === 'alternate' && !alternateId) { by = 'head'; }
  return {by, alternateId};
}

// The record-or-skip question for the valid household number, or null to hide it.
export function showUnrecorded(ctx, number) {
  if (number) { ctx.els.unrecordedText.textContent = ctx.msg('unrecorded', {number}); }
  show(ctx.els.unrecorded, !!number);
}

export function showInputError(ctx, text) {
  ctx.els.inputError.textContent = text;
  show(ctx.els.inputError, true);
}

export function hideInputError(ctx) {
  ctx.els.inputError.textContent = '';
  show(ctx.els.inputError, false);
}
