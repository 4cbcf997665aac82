// signAndSend with the keyring's ECDSA //Alice for one call of each module: status Ready -> InBlock ->
// Finalized, events decoded by name, and //Alice's balance changed by exactly what the call moves plus the fee
// (read back from TransactionPayment.TransactionFeePaid) that paymentInfo predicted, up to the one byte that
// polkadot.js's fake signature lacks (see sendChecked).
//
// The node's only block author here is //Ferdie (the dev spec with another Aura authority), so fees paid to the
// author do not flow back to //Alice and her balance changes by exactly her own costs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hexToU8a, u8aToBigInt, u8aToHex } from '@polkadot/util';
import { blake2AsHex, mnemonicGenerate } from '@polkadot/util-crypto';

import { accountAt, eventsNamed, parentOf, signAndWatch } from './lib/api.mjs';
import { kTimeout, setup } from './lib/harness.mjs';
import { tasksDir } from './lib/node.mjs';

const CC = 1_000_000_000_000n;

/// The statuses polkadot.js reported, keeping only the three every extrinsic must pass through.
function mainStatuses (res) {
  return res.statuses.filter((s) => ['Ready', 'InBlock', 'Finalized'].includes(s));
}

/// Every test ends with this, so that the balance and event checks run (and report) first.
function assertReadyInBlockFinalized (res) {
  assert.deepEqual(mainStatuses(res), ['Ready', 'InBlock', 'Finalized'], 'statuses reported to signAndSend\'s callback');
}

/**
 * Signs and sends `tx` as `signer`, asserting ExtrinsicSuccess and the fee: the fee paid (TransactionFeePaid) is what
 * the node's TransactionPaymentApi_query_info gives for the extrinsic as submitted, and what paymentInfo predicted
 * plus the byte fee of the length paymentInfo could not know: polkadot.js prices a fake-signed copy whose
 * MultiSignature is Sr25519 (1 + 64 bytes, FAKE_SIGNATURE in types/extrinsic/v4/ExtrinsicSignature.js) while an
 * ECDSA signature is 1 + 65 bytes. The caller asserts the status sequence last (assertReadyInBlockFinalized).
 * Returns {res, fee, before, after, parent} with `signer`'s account at the parent of the inclusion block and at it.
 */
async function sendChecked (api, provider, tx, signer) {
  const info = await tx.paymentInfo(signer);
  const predicted = info.partialFee.toBigInt();
  assert.ok(predicted > 0n, 'paymentInfo predicts a fee');
  const [queryInfoArg] = provider.requests('state_call').filter(([m]) => m === 'TransactionPaymentApi_query_info').at(-1).slice(1);
  const pricedLength = Number(u8aToBigInt(hexToU8a(queryInfoArg).subarray(-4)));
  const res = await signAndWatch(tx, signer);
  assert.equal(res.finalizedHash, res.blockHash, 'finalized in the block it was included in');
  assert.equal(res.internalError, undefined);
  assert.equal(eventsNamed(res, 'system.ExtrinsicSuccess').length, 1, `ExtrinsicSuccess in ${res.events.map((e) => `${e.section}.${e.method}`)}`);
  assert.equal(res.dispatchError, undefined);
  const [feePaid] = eventsNamed(res, 'transactionPayment.TransactionFeePaid');
  assert.ok(feePaid, 'TransactionPayment.TransactionFeePaid');
  assert.equal(feePaid.data.who.toString(), signer.address);
  assert.equal(feePaid.data.tip.toBigInt(), 0n);
  const fee = feePaid.data.actualFee.toBigInt();
  const parent = await parentOf(api, res.blockHash);
  const apiAtParent = await api.at(parent);
  const exact = await apiAtParent.call.transactionPaymentApi.queryInfo(tx.toU8a(), tx.encodedLength);
  assert.equal(fee, exact.partialFee.toBigInt(), 'the fee paid is what query_info gives for the submitted extrinsic');
  const byteFee = (await apiAtParent.query.transactionPayment.feeParams()).byteFee.toBigInt();
  assert.equal(tx.encodedLength - pricedLength, 1, 'paymentInfo priced a copy 1 byte shorter (Sr25519-sized fake signature)');
  assert.equal(fee, predicted + byteFee * BigInt(tx.encodedLength - pricedLength), 'the fee paid is paymentInfo\'s prediction plus that byte');
  const [withdraw] = eventsNamed(res, 'credits.Withdraw');
  assert.equal(withdraw.data.amount.toBigInt(), fee);
  const before = await accountAt(api, signer.address, parent);
  const after = await accountAt(api, signer.address, res.blockHash);
  assert.equal(after.nonce, before.nonce + 1);
  return { res, fee, before, after, parent };
}

describe('signAndSend with an ECDSA //Alice', () => {
  let h;
  before(async () => { h = await setup({ author: '//Ferdie' }); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('credits.transferKeepAlive moves exactly the amount plus the predicted fee', kTimeout, () => h.run('tx-transfer', async ({ api, provider, keys }) => {
    const { alice, bob, ferdie } = keys;
    const amount = 12n * CC + 345n;
    const { res, fee, before, after, parent } = await sendChecked(api, provider, api.tx.credits.transferKeepAlive(bob.address, amount), alice);
    assert.equal(before.free - after.free, amount + fee);
    const bobBefore = await accountAt(api, bob.address, parent);
    const bobAfter = await accountAt(api, bob.address, res.blockHash);
    assert.equal(bobAfter.free - bobBefore.free, amount);
    const [transfer] = eventsNamed(res, 'credits.Transfer');
    assert.equal(transfer.data.from.toString(), alice.address);
    assert.equal(transfer.data.to.toString(), bob.address);
    assert.equal(transfer.data.amount.toBigInt(), amount);
    const [deposit] = eventsNamed(res, 'credits.Deposit');
    assert.equal(deposit.data.who.toString(), ferdie.address, 'the fee goes to the block author');
    assert.equal(deposit.data.amount.toBigInt(), fee);
    assertReadyInBlockFinalized(res);
  }));

  it('system.remarkWithEvent costs exactly the predicted fee', kTimeout, () => h.run('tx-remark', async ({ api, provider, keys }) => {
    const remark = 'hello from @polkadot/api';
    const { res, fee, before, after } = await sendChecked(api, provider, api.tx.system.remarkWithEvent(remark), keys.alice);
    assert.equal(before.free - after.free, fee);
    const [remarked] = eventsNamed(res, 'system.Remarked');
    assert.ok(remarked, 'System.Remarked');
    assert.equal(remarked.data.sender.toString(), keys.alice.address);
    assert.equal(remarked.data[1].toHex(), blake2AsHex(remark), 'hash (field 1; `hash` itself is the codec hash getter)');
    assertReadyInBlockFinalized(res);
  }));

  it('taskQueue.uploadProgram stores a real task program and holds its deposit', kTimeout, () => h.run('tx-upload', async ({ api, provider, keys }) => {
    const code = readFileSync(path.join(tasksDir, 'primes.wasm'));
    const hash = blake2AsHex(code);
    assert.ok((await api.query.taskQueue.programs(hash)).isNone, 'not uploaded yet');
    const params = await api.query.taskQueue.params();
    const deposit = params.programDepositPerByte.toBigInt() * BigInt(code.length);
    const { res, fee, before, after } = await sendChecked(api, provider, api.tx.taskQueue.uploadProgram(u8aToHex(code)), keys.alice);
    const [uploaded] = eventsNamed(res, 'taskQueue.ProgramUploaded');
    assert.ok(uploaded, 'TaskQueue.ProgramUploaded');
    assert.equal(uploaded.data.program.toHex(), hash);
    assert.equal(uploaded.data.owner.toString(), keys.alice.address);
    assert.equal(uploaded.data[2].toNumber(), code.length, 'size (field 2; polkadot.js names it size_)');
    assert.equal(uploaded.data.deposit.toBigInt(), deposit);
    const [held] = eventsNamed(res, 'credits.Held');
    assert.equal(held.data.reason.toString(), 'ProgramDeposit');
    assert.equal(held.data.amount.toBigInt(), deposit);
    assert.equal(before.free - after.free, fee + deposit);
    assert.equal(after.reserved - before.reserved, deposit);
    const program = (await api.query.taskQueue.programs(hash)).unwrap();
    assert.equal(program.owner.toString(), keys.alice.address);
    assert.equal(program.toJSON().size, code.length, 'size (polkadot.js keys it size_; toJSON restores the name)');
    const stored = (await api.query.taskQueue.programCode(hash)).unwrap();
    assert.equal(stored.toHex(), u8aToHex(code));
    assertReadyInBlockFinalized(res);
  }));

  it('taskQueue.postTask escrows the bounty', kTimeout, () => h.run('tx-post', async ({ api, provider, keys }) => {
    const code = readFileSync(path.join(tasksDir, 'wordfreq.wasm'));
    const hash = blake2AsHex(code);
    if ((await api.query.taskQueue.programs(hash)).isNone) await sendChecked(api, provider, api.tx.taskQueue.uploadProgram(u8aToHex(code)), keys.alice);
    const input = 'the quick brown fox jumps over the lazy dog the end';
    const bounty = 2n * CC;
    const nextId = (await api.query.taskQueue.nextTaskId()).toBigInt();
    const tx = api.tx.taskQueue.postTask(hash, input, 1_000_000_000, bounty, 50);
    const { res, fee, before, after } = await sendChecked(api, provider, tx, keys.alice);
    const [posted] = eventsNamed(res, 'taskQueue.TaskPosted');
    assert.ok(posted, 'TaskQueue.TaskPosted');
    assert.equal(posted.data.taskId.toBigInt(), nextId);
    assert.equal(posted.data.requester.toString(), keys.alice.address);
    assert.equal(posted.data.program.toHex(), hash);
    assert.equal(posted.data.bounty.toBigInt(), bounty);
    assert.equal(posted.data.inputSize.toNumber(), input.length);
    const [held] = eventsNamed(res, 'credits.Held');
    assert.equal(held.data.reason.toString(), 'TaskEscrow');
    assert.equal(before.free - after.free, fee + bounty);
    assert.equal(after.reserved - before.reserved, bounty);
    const task = (await (await api.at(res.blockHash)).query.taskQueue.tasks(nextId)).unwrap();
    assert.equal(task.status.toString(), 'Open');
    assert.equal(task.bounty.toBigInt(), bounty);
    assert.equal(task.inputHash.toHex(), blake2AsHex(input));
    assertReadyInBlockFinalized(res);
  }));

  it('sudo.sudo(credits.forceSetBalance) dispatches as Root', kTimeout, () => h.run('tx-sudo', async ({ api, provider, keys }) => {
    const target = keys.keyring.addFromUri(mnemonicGenerate());
    const newFree = 7n * CC + 1n;
    const tx = api.tx.sudo.sudo(api.tx.credits.forceSetBalance(target.address, newFree));
    const { res, fee, before, after } = await sendChecked(api, provider, tx, keys.alice);
    const [sudid] = eventsNamed(res, 'sudo.Sudid');
    assert.ok(sudid, 'Sudo.Sudid');
    assert.ok(sudid.data.sudoResult.isOk, `inner call succeeded: ${sudid.data.sudoResult.toString()}`);
    const [set] = eventsNamed(res, 'credits.BalanceSet');
    assert.equal(set.data.who.toString(), target.address);
    assert.equal(set.data.free.toBigInt(), newFree);
    assert.equal(before.free - after.free, fee);
    assert.equal((await accountAt(api, target.address, res.blockHash)).free, newFree);
    assertReadyInBlockFinalized(res);
  }));
});
