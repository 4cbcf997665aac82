// ApiPromise.create through both metadata paths (polkadot.js's Init.js _retrieveMetadata):
//   1. the runtime API: state_getRuntimeVersion lists Metadata (0x37e397fc7c91f5e4) >= 2, so the client calls
//      state_call Metadata_metadata_versions and Metadata_metadata_at_version;
//   2. state_getMetadata: forced once by hiding the Metadata API from the runtime version, once by failing the
//      Metadata_* state_calls (the client then falls back).
// All three must give byte-identical metadata and a fully decorated API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blake2AsHex } from '@polkadot/util-crypto';

import { kTimeout, setup } from './lib/harness.mjs';

const kMetadataApiId = blake2AsHex('Metadata', 64);
const kModules = ['System', 'Timestamp', 'Aura', 'Sudo', 'Credits', 'TaskQueue', 'TransactionPayment'];

const hideMetadataApi = (method) => {
  const strip = (v) => (v && Array.isArray(v.apis) ? { ...v, apis: v.apis.filter(([id]) => id !== kMetadataApiId) } : v);
  if (method === 'state_getRuntimeVersion' || method === 'state_subscribeRuntimeVersion') return { map: strip };
  return undefined;
};
const failMetadataCalls = (method, params) =>
  method === 'state_call' && String(params[0]).startsWith('Metadata_') ? { error: '-32000: Metadata runtime API disabled' } : undefined;

function metadataCalls (provider) {
  return provider.requests('state_call').filter(([name]) => name.startsWith('Metadata_'));
}

function assertFullyDecorated (api) {
  const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  for (const m of kModules) assert.ok(pallets.includes(m), `pallet ${m} in metadata (have ${pallets.join(', ')})`);
  assert.equal(api.registry.chainSS58, 42);
  assert.deepEqual(api.registry.chainDecimals, [12]);
  assert.deepEqual(api.registry.chainTokens, ['CC']);
  assert.equal(api.consts.system.ss58Prefix.toNumber(), 42);
  assert.equal(api.consts.system.blockHashCount.toNumber(), 2400);
  assert.equal(api.consts.credits.existentialDeposit.toBigInt(), 10_000_000_000n);
  assert.equal(typeof api.tx.credits.transferKeepAlive, 'function');
  assert.equal(typeof api.tx.taskQueue.postTask, 'function');
  assert.equal(typeof api.tx.sudo.sudo, 'function');
  assert.equal(typeof api.query.system.account, 'function');
  assert.equal(typeof api.query.taskQueue.tasks, 'function');
  // The extrinsic types polkadot.js detects from UncheckedExtrinsic's type params.
  const xt = api.tx.system.remark('0x00');
  assert.equal(xt.method.section, 'system');
  const address = api.registry.createType('Address', '5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X').toU8a();
  assert.equal(address.length, 33, 'Address is MultiAddress (00 ++ AccountId32)');
  assert.equal(address[0], 0);
  assert.ok(api.registry.createType('ExtrinsicSignature').toRawType().includes('Ecdsa'), 'signature is MultiSignature');
}

describe('ApiPromise.create', () => {
  let h;
  before(async () => { h = await setup({ connect: false }); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('reads metadata V14 through the Metadata runtime API by default', kTimeout, () => h.run('metadata-runtime-api', async () => {
    const { api, provider } = await h.connect();
    const version = await api.rpc.state.getRuntimeVersion();
    const metaApi = version.apis.find(([id]) => id.toHex() === kMetadataApiId);
    assert.ok(metaApi, `state_getRuntimeVersion lists the Metadata API ${kMetadataApiId}`);
    assert.ok(metaApi[1].toNumber() >= 2, 'Metadata API version >= 2');

    const calls = metadataCalls(provider);
    assert.deepEqual(calls.map(([name]) => name), ['Metadata_metadata_versions', 'Metadata_metadata_at_version']);
    const offered = api.registry.createType('Vec<u32>', await api.rpc.state.call('Metadata_metadata_versions', '0x')).map((v) => v.toNumber());
    const wanted = Math.max(...offered.filter((v) => [14, 15, 16].includes(v)));
    assert.ok(wanted >= 14, `the node offers a version polkadot.js reads: ${offered}`);
    assert.equal(calls[1][1], api.registry.createType('u32', wanted).toHex(true), 'asks for the highest version among [14, 15, 16]');
    assert.equal(provider.requests('state_getMetadata').length, 0, 'state_getMetadata is not needed');
    assert.equal(api.runtimeMetadata.version, wanted);
    assertFullyDecorated(api);

    // state_getMetadata serves V14, the same bytes as Metadata_metadata_at_version(14).
    const direct = await api.rpc.state.getMetadata();
    assert.equal(direct.version, 14);
    const v14 = api.registry.createType('Option<OpaqueMetadata>', await api.rpc.state.call('Metadata_metadata_at_version', '0x0e000000'));
    assert.equal(v14.unwrap().toHex(), direct.toHex());
    if (wanted === 14) assert.equal(direct.toHex(), api.runtimeMetadata.toHex());
  }));

  it('falls back to state_getMetadata when the runtime version does not list the Metadata API', kTimeout, () => h.run('metadata-no-api', async () => {
    const { api: reference } = await h.connect();
    const { api, provider } = await h.connect({ rules: [hideMetadataApi] });
    assert.equal(metadataCalls(provider).length, 0, 'no Metadata_* state_call without the API');
    assert.equal(provider.requests('state_getMetadata').length, 1);
    assert.equal(api.runtimeMetadata.toHex(), (await reference.rpc.state.getMetadata()).toHex());
    assertFullyDecorated(api);
  }));

  it('falls back to state_getMetadata when the Metadata state_calls fail', kTimeout, () => h.run('metadata-call-fails', async () => {
    const { api: reference } = await h.connect();
    const { api, provider } = await h.connect({ rules: [failMetadataCalls] });
    assert.ok(metadataCalls(provider).length >= 1, 'the client tried the runtime API first');
    assert.equal(provider.requests('state_getMetadata').length, 1);
    assert.equal(api.runtimeMetadata.toHex(), (await reference.rpc.state.getMetadata()).toHex());
    assertFullyDecorated(api);
    // Both clients decode the same storage the same way.
    const alice = h.keys.alice.address;
    const [a, b] = await Promise.all([api.query.system.account(alice), reference.query.system.account(alice)]);
    assert.equal(a.toHex(), b.toHex());
  }));

  it('answers the Metadata runtime calls in the documented shapes', kTimeout, () => h.run('metadata-shapes', async () => {
    const { api } = await h.connect();
    const versions = api.registry.createType('Vec<u32>', await api.rpc.state.call('Metadata_metadata_versions', '0x'));
    assert.ok(versions.map((v) => v.toNumber()).includes(14), `versions ${versions.toString()} include 14`);
    const at14 = await api.rpc.state.call('Metadata_metadata_at_version', '0x0e000000');
    const opaque = api.registry.createType('Option<OpaqueMetadata>', at14);
    assert.ok(opaque.isSome, 'Some(metadata) for version 14');
    assert.equal(opaque.unwrap().toHex(), (await api.rpc.state.getMetadata()).toHex());
    const none = await api.rpc.state.call('Metadata_metadata_at_version', '0x0d000000');
    assert.equal(none.toHex(), '0x00', 'None for a version the node does not have');
  }));
});
