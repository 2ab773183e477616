// Without IndexedDB (Node) the store keeps the same records in memory; tests/browser covers IndexedDB.
import assert from 'node:assert/strict';
import {test} from 'node:test';

import {deletePackage, getPackage, putRecord, roundQueue, saveItems} from '../../../static/js/scan/store.js';

test('packages by round id', async () => {
  await putRecord('packages', {round_id: 11, loaded_at: 't', data: {round: {}}});
  assert.equal((await getPackage(11)).loaded_at, 't');
  assert.equal(await getPackage(12), undefined);
  await deletePackage(11);
  assert.equal(await getPackage(11), undefined);
});

test("the queue by round, without the items' sending flag", async () => {
  const item = {id: 'a', round_id: 21, state: 'waiting', sending: true};
  await saveItems([item, {id: 'b', round_id: 22, state: 'waiting'}]);
  const queue = await roundQueue(21);
  assert.deepEqual(queue, [{id: 'a', round_id: 21, state: 'waiting'}]);
  assert.equal(item.sending, true);  // the item in use keeps it
  await saveItems([{id: 'a', round_id: 21, state: 'done'}]);
  assert.equal((await roundQueue(21))[0].state, 'done');
});
