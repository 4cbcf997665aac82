// Failures as @polkadot/api sees them: a bad signature (1010), dispatch errors (ExtrinsicFailed with the module
// error decoded by name), a sender that cannot pay the fee, a stale nonce; and the fee and nonce a failed call
// still costs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mnemonicGenerate } from '@polkadot/util-crypto';

import { accountAt, eventsNamed, fullSignOptions, parentOf, sendAndWatch, signAndWatch } from './lib/api.mjs';
import { kTimeout, setup } from './lib/harness.mjs';

const CC = 1_000_000_000_000n;

/// A Signer (the browser-extension interface) that signs the payload with `pair` whatever address it is asked for.
function signerUsing (api, pair) {
  let id = 0;
  return {
    signPayload: async (payload) => {
      const raw = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version });
      return { id: ++id, signature: raw.sign(pair).signature };
    }
  };
}

/// The module error of a failed dispatch as {section, name} via the registry (findMetaError).
function moduleError (api, dispatchError) {
  assert.ok(dispatchError?.isModule, `a module error, got ${dispatchError?.toString()}`);
  const meta = api.registry.findMetaError(dispatchError.asModule);
  return { section: meta.section, name: meta.name, docs: meta.docs.join(' ') };
}

describe('failures', () => {
  let h;
  before(async () => { h = await setup(); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('a bad signature is rejected with 1010 and changes nothing', kTimeout, () => h.run('fail-bad-signature', async ({ api, keys }) => {
    const { bob, charlie } = keys;
    const before = await api.query.system.account(bob.address);
    const tx = api.tx.credits.transferKeepAlive(charlie.address, CC);
    // Bob's address, Charlie's signature: the recovered signer does not match.
    await assert.rejects(tx.signAndSend(bob.address, { signer: signerUsing(api, charlie) }),
      (e) => /^1010: Invalid Transaction/.test(e.message) && /signature/i.test(e.message) ? true : assert.fail(`got: ${e.message}`));
    // The same through author_submitExtrinsic with a flipped byte in an otherwise valid signature.
    const good = await api.tx.system.remark('0x01').signAsync(bob);
    const bytes = good.toU8a();
    const sig = good.signature.toU8a();
    const at = bytes.findIndex((_, i) => sig.every((v, j) => bytes[i + j] === v));
    assert.ok(at > 0, 'the signature is inside the extrinsic');
    bytes[at + 40] ^= 0x01; // a bit of s
    await assert.rejects(api.rpc.author.submitExtrinsic(bytes), (e) => /^1010:/.test(e.message) ? true : assert.fail(`got: ${e.message}`));
    const after = await api.query.system.account(bob.address);
    assert.equal(after.nonce.toNumber(), before.nonce.toNumber());
    assert.equal(after.data.free.toBigInt(), before.data.free.toBigInt());
  }));

  it('a failing dispatch is ExtrinsicFailed with its module error by name; fee and nonce stay paid', kTimeout, () => h.run('fail-dispatch', async ({ api, keys }) => {
    const { dave, eve } = keys;
    const free = (await api.query.system.account(dave.address)).data.free.toBigInt();
    const res = await signAndWatch(api.tx.credits.transferKeepAlive(eve.address, free * 2n), dave);
    assert.ok(res.statuses.includes('Finalized'));
    assert.equal(eventsNamed(res, 'system.ExtrinsicFailed').length, 1, `ExtrinsicFailed in ${res.events.map((e) => `${e.section}.${e.method}`)}`);
    assert.equal(eventsNamed(res, 'system.ExtrinsicSuccess').length, 0);
    assert.equal(eventsNamed(res, 'credits.Transfer').length, 0);
    const err = moduleError(api, res.dispatchError);
    assert.deepEqual([err.section, err.name], ['credits', 'InsufficientBalance']);
    assert.ok(err.docs.length > 0, 'the error carries its docs');
    const [failed] = eventsNamed(res, 'system.ExtrinsicFailed');
    assert.ok(failed.data.dispatchError.isModule);
    const [feePaid] = eventsNamed(res, 'transactionPayment.TransactionFeePaid');
    const fee = feePaid.data.actualFee.toBigInt();
    const parent = await parentOf(api, res.blockHash);
    const [b, a] = [await accountAt(api, dave.address, parent), await accountAt(api, dave.address, res.blockHash)];
    assert.equal(a.nonce, b.nonce + 1, 'the nonce is used');
    assert.equal(b.free - a.free, fee, 'only the fee is taken (the author, //Alice, is someone else)');
  }));

  it('sudo from a non-sudo account fails with Sudo.RequireSudo; a failing inner call is reported in Sudid', kTimeout, () => h.run('fail-sudo', async ({ api, keys }) => {
    const { alice, charlie } = keys;
    const call = api.tx.credits.forceSetBalance(charlie.address, 5n * CC);
    const res = await signAndWatch(api.tx.sudo.sudo(call), charlie, {}, { until: 'InBlock' });
    assert.deepEqual(Object.values(moduleError(api, res.dispatchError)).slice(0, 2), ['sudo', 'RequireSudo']);

    const inner = api.tx.credits.forceTransfer(charlie.address, alice.address, 10n ** 30n);
    const ok = await signAndWatch(api.tx.sudo.sudo(inner), alice, {}, { until: 'InBlock' });
    assert.equal(ok.dispatchError, undefined, 'sudo itself succeeds');
    const [sudid] = eventsNamed(ok, 'sudo.Sudid');
    assert.ok(sudid.data.sudoResult.isErr);
    const innerErr = moduleError(api, sudid.data.sudoResult.asErr);
    assert.deepEqual([innerErr.section, innerErr.name], ['credits', 'InsufficientBalance']);
  }));

  it('a sender that cannot pay the fee is rejected with 1010', kTimeout, () => h.run('fail-no-funds', async ({ api, keys }) => {
    const pauper = keys.keyring.addFromUri(mnemonicGenerate());
    await assert.rejects(signAndWatch(api.tx.system.remark('0x00'), pauper),
      (e) => /^1010: Invalid Transaction/.test(e.message) && /pay|fund|balance/i.test(e.message) ? true : assert.fail(`got: ${e.message}`));
    // An account with a little money that a transfer of everything would take below the fee is rejected too.
    const fund = 10_000_000_000n + 1_000n; // the existential deposit + dust: less than any fee
    await signAndWatch(api.tx.credits.transferKeepAlive(pauper.address, fund), keys.bob, {}, { until: 'InBlock' });
    const info = await api.tx.system.remark('0x00').paymentInfo(pauper);
    assert.ok(info.partialFee.toBigInt() > 1_000n);
    await assert.rejects(signAndWatch(api.tx.system.remark('0x00'), pauper),
      (e) => /^1010: Invalid Transaction/.test(e.message) ? true : assert.fail(`got: ${e.message}`));
  }));

  it('a stale nonce is rejected with 1010 "outdated"', kTimeout, () => h.run('fail-stale-nonce', async ({ api, keys }) => {
    const { eve } = keys;
    await signAndWatch(api.tx.system.remark('0x01'), eve, {}, { until: 'InBlock' });
    const next = (await api.rpc.system.accountNextIndex(eve.address)).toNumber();
    assert.ok(next >= 1);
    await assert.rejects(signAndWatch(api.tx.system.remark('0x02'), eve, { nonce: next - 1 }),
      (e) => /^1010: Invalid Transaction/.test(e.message) && /outdated|stale/i.test(e.message) ? true : assert.fail(`got: ${e.message}`));
    // A new extrinsic with an already used nonce is stale; resubmitting the very extrinsic that was just included is
    // refused as well (Substrate's pool bans the hashes of included extrinsics for a while: 1012).
    const tx = api.tx.system.remark('0x03').sign(eve, fullSignOptions(api, { nonce: next }));
    await sendAndWatch(tx, { until: 'InBlock' });
    const again = api.tx.system.remark('0x04').sign(eve, fullSignOptions(api, { nonce: next }));
    await assert.rejects(api.rpc.author.submitExtrinsic(again.toHex()),
      (e) => /^1010: Invalid Transaction/.test(e.message) && /outdated|stale/i.test(e.message) ? true : assert.fail(`got: ${e.message}`));
    await assert.rejects(api.rpc.author.submitExtrinsic(tx.toHex()),
      (e) => /^(1010|1012):/.test(e.message) ? true : assert.fail(`got: ${e.message}`));
  }));
});
