// The scan page's elements, found once by id (templates/distributions/scan.html), and showing or hiding one.

const IDS = {
  outcome: 'outcome', problems: 'problems', icon: 'outcome-icon', title: 'outcome-title', detail: 'outcome-detail',
  household: 'outcome-household', photo: 'outcome-photo', number: 'outcome-number', feedback: 'outcome-feedback',
  feedbackLink: 'outcome-feedback-link', size: 'outcome-size', card: 'outcome-card',
  entitlement: 'outcome-entitlement', entitlementTitle: 'entitlement-title', recordBox: 'record-box',
  recordButton: 'record-button', byHead: 'by-head', byAlternate: 'by-alternate', alternateBox: 'alternate-box',
  alternate: 'alternate', form: 'scan-form', code: 'scan-code', inputError: 'scan-input-error',
  cameraButton: 'camera-button', cameraBox: 'camera-box', net: 'net-state', packageState: 'package-state',
  packageWarning: 'package-warning', waiting: 'waiting-count', syncState: 'sync-state', syncNow: 'sync-now',
  problemList: 'problem-list', problemsClear: 'problems-clear', pointForm: 'point-form', pointInput: 'point',
  pointShown: 'point-shown', pointName: 'point-name', pointChange: 'point-change', clockWarning: 'clock-warning',
  unrecorded: 'unrecorded', unrecordedText: 'unrecorded-text', unrecordedRecord: 'unrecorded-record',
  unrecordedSkip: 'unrecorded-skip',
};

// {name: element} of every element above (null when the page has none).
export function elements(doc) {
  const els = {};
  Object.keys(IDS).forEach((name) => { els[name] = doc.getElementById(IDS[name]); });
  return els;
}

export function show(el, visible) { el.classList.toggle('d-none', !visible); }
