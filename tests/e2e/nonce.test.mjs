// Nonces and eras: {nonce: -1} through the AccountNonceApi runtime call and through system_accountNextIndex,
// mortal and immortal eras, and 50 extrinsics from one sender submitted back-to-back landing in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blake2AsHex } from '@polkadot/util-crypto';

import { fullSignOptions, sendAndWatch, signAndWatch, waitFor } from './lib/api.mjs';
import { kTimeout, setup } from './lib/harness.mjs';

const kAccountNonceApiId = blake2AsHex('AccountNonceApi', 64);
const hideAccountNonceApi = (method) => {
  const strip = (v) => (v && Array.isArray(v.apis) ? { ...v, apis: v.apis.filter(([id]) => id !== kAccountNonceApiId) } : v);
  if (method === 'state_getRuntimeVersion' || method === 'state_subscribeRuntimeVersion') return { map: strip };
  return undefined;
};

/// The extrinsic `res` (from signAndWatch) as it was included in its block.
async function included (api, res) {
  const block = await api.rpc.chain.getBlock(res.blockHash);
  const xt = block.block.extrinsics.find((x) => x.hash.toHex() === res.txHash);
  assert.ok(xt, `tx ${res.txHash} in block ${res.blockHash}`);
  return { xt, number: block.block.header.number.toNumber() };
}

describe('nonces and eras', () => {
  let h;
  before(async () => { h = await setup(); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('{nonce: -1} asks the AccountNonceApi runtime API when the node lists it', kTimeout, () => h.run('nonce-runtime-api', async ({ api, provider, keys }) => {
    const version = await api.rpc.state.getRuntimeVersion();
    assert.ok(version.apis.some(([id, v]) => id.toHex() === kAccountNonceApiId && v.toNumber() === 1), 'AccountNonceApi v1 listed');
    assert.ok(api.call.accountNonceApi, 'api.call.accountNonceApi is decorated');
    const expected = (await api.query.system.account(keys.bob.address)).nonce.toNumber();
    assert.equal((await api.call.accountNonceApi.accountNonce(keys.bob.address)).toNumber(), expected);
    const before = provider.requests('state_call').filter(([m]) => m === 'AccountNonceApi_account_nonce').length;
    const res = await signAndWatch(api.tx.system.remark('0x01'), keys.bob, { nonce: -1 }, { until: 'InBlock' });
    const calls = provider.requests('state_call').filter(([m]) => m === 'AccountNonceApi_account_nonce');
    assert.equal(calls.length, before + 1, 'one AccountNonceApi_account_nonce call for the submission');
    const account = api.registry.createType('AccountId32', keys.bob.address).toHex();
    assert.equal(calls.at(-1)[1], account, 'the argument is the SCALE AccountId32');
    const { xt } = await included(api, res);
    assert.equal(xt.nonce.toNumber(), expected);
  }));

  it('{nonce: -1} uses system_accountNextIndex without the runtime API', kTimeout, () => h.run('nonce-next-index', async ({ keys }) => {
    const { api, provider } = await h.connect({ rules: [hideAccountNonceApi] });
    assert.equal(api.call.accountNonceApi, undefined, 'no api.call.accountNonceApi');
    const expected = (await api.query.system.account(keys.charlie.address)).nonce.toNumber();
    const res = await signAndWatch(api.tx.system.remark('0x02'), keys.charlie, { nonce: -1 }, { until: 'InBlock' });
    assert.deepEqual(provider.requests('system_accountNextIndex'), [[keys.charlie.address]], 'called with the SS58 address');
    assert.equal(provider.requests('state_call').filter(([m]) => m === 'AccountNonceApi_account_nonce').length, 0);
    const { xt } = await included(api, res);
    assert.equal(xt.nonce.toNumber(), expected);
    assert.equal((await api.rpc.system.accountNextIndex(keys.charlie.address)).toNumber(), expected + 1);
  }));

  it('mortal eras (default and explicit) and the immortal era', kTimeout, () => h.run('eras', async ({ api, keys }) => {
    const { dave } = keys;
    // Default: mortal, period from BlockHashCount and the slot duration, birth = a recent block.
    const byDefault = await signAndWatch(api.tx.system.remark('0x03'), dave, {}, { until: 'InBlock' });
    const d = await included(api, byDefault);
    assert.ok(d.xt.era.isMortalEra, 'default era is mortal');
    const period = d.xt.era.asMortalEra.period.toNumber();
    assert.ok(period >= 4 && period <= api.consts.system.blockHashCount.toNumber() * 2, `period ${period}`);
    assert.ok(d.xt.era.asMortalEra.birth(d.number) <= d.number);

    // Explicit: 16 blocks.
    const short = await signAndWatch(api.tx.system.remark('0x04'), dave, { era: 16 }, { until: 'InBlock' });
    const s = await included(api, short);
    assert.ok(s.xt.era.isMortalEra);
    assert.equal(s.xt.era.asMortalEra.period.toNumber(), 16);
    assert.ok(s.number - s.xt.era.asMortalEra.birth(s.number) < 16, 'included within its period');

    // Immortal.
    const forever = await signAndWatch(api.tx.system.remark('0x05'), dave, { era: 0 }, { until: 'InBlock' });
    const f = await included(api, forever);
    assert.ok(f.xt.era.isImmortalEra, 'era 0 is immortal');
    assert.equal(f.xt.era.toHex(), '0x00');
  }));

  it('a mortal era born at an older block is valid while the period lasts', kTimeout, () => h.run('era-old-birth', async ({ api, keys }) => {
    const { eve } = keys;
    const start = (await api.rpc.chain.getHeader()).number.toNumber();
    await waitFor('three more blocks', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= start + 3, { timeoutMs: 20_000 });
    const birthHash = await api.rpc.chain.getBlockHash(start);
    const era = api.registry.createType('ExtrinsicEra', { current: start, period: 64 });
    const nonce = await api.rpc.system.accountNextIndex(eve.address);
    const tx = api.tx.system.remark('0x06').sign(eve, fullSignOptions(api, { blockHash: birthHash, era, nonce }));
    const res = await sendAndWatch(tx, { until: 'InBlock' });
    const { xt, number } = await included(api, res);
    assert.equal(xt.era.asMortalEra.birth(number), start);
  }));

  it('50 extrinsics from one sender submitted back-to-back all land, in nonce order', kTimeout, () => h.run('batch-50', async ({ api, keys }) => {
    const { ferdie } = keys;
    const first = (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber();
    const n = 50;
    const txs = [];
    for (let i = 0; i < n; ++i) txs.push(await api.tx.system.remarkWithEvent(`batch-${i}`).signAsync(ferdie, { nonce: first + i }));
    const results = await Promise.all(txs.map((tx) => new Promise((resolve, reject) => {
      let unsub = null;
      tx.send((result) => {
        // Finalized also means included (polkadot.js may drop an InBlock that a Finalized overtakes).
        if (result.status.isInBlock || result.status.isFinalized) {
          if (unsub) unsub();
          const blockHash = (result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized).toHex();
          resolve({ blockHash, txIndex: result.txIndex, events: result.events, txHash: tx.hash.toHex() });
        } else if (result.isError) {
          reject(new Error(`tx ${tx.nonce.toNumber()} ended ${result.status.type}`));
        }
      }).then((u) => { unsub = u; }, reject);
    })));
    const numbers = new Map();
    for (const r of results) {
      if (!numbers.has(r.blockHash)) numbers.set(r.blockHash, (await api.rpc.chain.getHeader(r.blockHash)).number.toNumber());
    }
    const positions = results.map((r) => [numbers.get(r.blockHash), r.txIndex]);
    for (let i = 1; i < n; ++i) {
      const [b0, i0] = positions[i - 1];
      const [b1, i1] = positions[i];
      assert.ok(b1 > b0 || (b1 === b0 && i1 > i0), `nonce ${first + i} lands after nonce ${first + i - 1}: ${JSON.stringify(positions)}`);
    }
    for (let i = 0; i < n; ++i) {
      const remarked = results[i].events.filter(({ event }) => event.section === 'system' && event.method === 'Remarked');
      assert.equal(remarked.length, 1);
      assert.equal(remarked[0].event.data[1].toHex(), blake2AsHex(`batch-${i}`));
    }
    assert.equal((await api.rpc.system.accountNextIndex(ferdie.address)).toNumber(), first + n);
    await waitFor('the last block of the batch finalized', async () => {
      const fin = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
      return fin >= positions[n - 1][0];
    }, { timeoutMs: 20_000 });
  }));
});
