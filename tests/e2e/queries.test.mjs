// Storage queries through the metadata: system.account, the credits items, taskQueue providers and tasks,
// .entries(), .at(blockHash), and subscriptions to storage changes and heads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hexToU8a, u8aToBigInt, u8aToHex } from '@polkadot/util';
import { blake2AsHex, mnemonicGenerate } from '@polkadot/util-crypto';

import { eventsNamed, signAndWatch, waitFor } from './lib/api.mjs';
import { kTimeout, setup } from './lib/harness.mjs';
import { repoRoot, tasksDir } from './lib/node.mjs';

const CC = 1_000_000_000_000n;
const devSpec = JSON.parse(readFileSync(path.join(repoRoot, 'genesis', 'dev.json'), 'utf8'));
const endowed = devSpec.genesis.runtime.credits.balances.map(([address, amount]) => [address, BigInt(amount)]);

/// AccountInfo decoded by hand from its 80 SCALE bytes (polkadot-js-compat.md §6).
function decodeAccountInfo (hex) {
  const b = hexToU8a(hex);
  assert.equal(b.length, 80, 'AccountInfo is 80 bytes');
  const u32 = (o) => Number(u8aToBigInt(b.subarray(o, o + 4)));
  const u128 = (o) => u8aToBigInt(b.subarray(o, o + 16));
  return { nonce: u32(0), consumers: u32(4), providers: u32(8), sufficients: u32(12), free: u128(16), reserved: u128(32), frozen: u128(48), flags: u128(64) };
}

describe('queries', () => {
  let h;
  before(async () => { h = await setup(); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('system.account decodes exactly the stored AccountInfo, at genesis and now', kTimeout, () => h.run('query-account', async ({ api, keys }) => {
    const genesis = api.genesisHash.toHex();
    const atGenesis = await (await api.at(genesis)).query.system.account(keys.bob.address);
    assert.equal(atGenesis.nonce.toNumber(), 0);
    assert.equal(atGenesis.data.free.toBigInt(), endowed.find(([a]) => a === keys.bob.address)[1]);
    assert.equal(atGenesis.data.reserved.toBigInt(), 0n);

    const now = await api.query.system.account(keys.bob.address);
    const raw = await api.rpc.state.getStorage(api.query.system.account.key(keys.bob.address));
    const manual = decodeAccountInfo(raw.toHex());
    assert.equal(now.nonce.toNumber(), manual.nonce);
    assert.equal(now.consumers.toNumber(), manual.consumers);
    assert.equal(now.providers.toNumber(), manual.providers);
    assert.equal(now.data.free.toBigInt(), manual.free);
    assert.equal(now.data.reserved.toBigInt(), manual.reserved);
    assert.equal(now.data.frozen.toBigInt(), manual.frozen);
    assert.equal(now.data.flags.toBigInt(), manual.flags);
    assert.equal(now.providers.toNumber(), 1, 'an endowed account has a provider reference');

    const nobody = await api.query.system.account(keys.keyring.addFromUri(mnemonicGenerate()).address);
    assert.equal(nobody.nonce.toNumber(), 0, 'an absent account decodes from the default');
    assert.equal(nobody.data.free.toBigInt(), 0n);
  }));

  it('system.account.entries() covers every account and sums to credits.totalIssuance', kTimeout, () => h.run('query-entries', async ({ api }) => {
    const hash = (await api.rpc.chain.getFinalizedHead()).toHex();
    const apiAt = await api.at(hash);
    const entries = await apiAt.query.system.account.entries();
    const addresses = entries.map(([key]) => key.args[0].toString());
    for (const [address] of endowed) assert.ok(addresses.includes(address), `${address} among the entries`);
    const sum = entries.reduce((acc, [, info]) => acc + info.data.free.toBigInt() + info.data.reserved.toBigInt(), 0n);
    assert.equal((await apiAt.query.credits.totalIssuance()).toBigInt(), sum, 'TotalIssuance == sum of free + reserved');
    const keys = await apiAt.query.system.account.keys();
    assert.equal(keys.length, entries.length);
    for (const [key] of entries) assert.ok(key.toHex().startsWith(api.query.system.account.keyPrefix()));
  }));

  it('credits items: holds, debts (double map) and net positions', kTimeout, () => h.run('query-credits', async ({ api, keys }) => {
    const { bob, charlie } = keys;
    const amount = 3n * CC;
    const res = await signAndWatch(api.tx.credits.recordDebt(charlie.address, amount), bob, {}, { until: 'InBlock' });
    assert.equal(eventsNamed(res, 'credits.DebtRecorded').length, 1, `DebtRecorded in ${res.events.map((e) => e.method)}`);
    const apiAt = await api.at(res.blockHash);
    const debt = await apiAt.query.credits.debts(bob.address, charlie.address);
    assert.ok(debt.isSome);
    assert.ok(debt.unwrap().toBigInt() >= amount);
    const bobDebts = await apiAt.query.credits.debts.entries(bob.address);
    assert.ok(bobDebts.some(([key, value]) => key.args[1].toString() === charlie.address && value.unwrap().toBigInt() === debt.unwrap().toBigInt()),
      'entries(bob) finds the debt towards charlie');
    const net = await apiAt.query.credits.netPositions(charlie.address);
    assert.ok(net.owedByOthers.toBigInt() >= amount);
    assert.equal((await apiAt.query.credits.debts(charlie.address, bob.address)).isNone, true);
    const holds = await apiAt.query.credits.holds(charlie.address);
    assert.equal(holds.length, 0);
    assert.equal(api.consts.credits.maxHolds.toNumber(), 8);
  }));

  it('taskQueue providers and tasks, by key and with .entries()', kTimeout, () => h.run('query-taskqueue', async ({ api, keys }) => {
    const { dave, eve } = keys;
    const params = await api.query.taskQueue.params();
    const stake = params.minimumStake.toBigInt();
    const price = CC / 10n;
    const reg = await signAndWatch(api.tx.taskQueue.registerProvider(stake, price, ['wasm32-wasi', 'cpu:2'], 'https://dave.example'), dave, {}, { until: 'InBlock' });
    assert.equal(eventsNamed(reg, 'taskQueue.ProviderRegistered').length, 1, `ProviderRegistered in ${reg.events.map((e) => e.method)}`);
    const provider = (await (await api.at(reg.blockHash)).query.taskQueue.providers(dave.address)).unwrap();
    assert.equal(provider.stake.toBigInt(), stake);
    assert.equal(provider.pricePerTask.toBigInt(), price);
    assert.deepEqual(provider.capabilities.map((c) => c.toUtf8()), ['wasm32-wasi', 'cpu:2']);
    assert.equal(provider.endpoint.toUtf8(), 'https://dave.example');
    assert.equal(provider.status.toString(), 'Active');
    const providers = await (await api.at(reg.blockHash)).query.taskQueue.providers.entries();
    assert.ok(providers.some(([key]) => key.args[0].toString() === dave.address));

    const code = readFileSync(path.join(tasksDir, 'primes.wasm'));
    const program = blake2AsHex(code);
    if ((await api.query.taskQueue.programs(program)).isNone) await signAndWatch(api.tx.taskQueue.uploadProgram(u8aToHex(code)), eve, {}, { until: 'InBlock' });
    const post = await signAndWatch(api.tx.taskQueue.postTask(program, '1000', 100_000_000, CC, 40), eve, {}, { until: 'InBlock' });
    const [posted] = eventsNamed(post, 'taskQueue.TaskPosted');
    assert.ok(posted, `TaskPosted in ${post.events.map((e) => e.method)}`);
    const id = posted.data.taskId.toBigInt();
    const apiAt = await api.at(post.blockHash);
    const task = (await apiAt.query.taskQueue.tasks(id)).unwrap();
    assert.equal(task.requester.toString(), eve.address);
    assert.equal(task.program.toHex(), program);
    assert.equal(task.status.toString(), 'Open');
    assert.equal(task.bounty.toBigInt(), CC);
    assert.ok(task.provider.isNone);
    assert.equal((await apiAt.query.taskQueue.taskInputs(id)).unwrap().toUtf8(), '1000');
    const tasks = await apiAt.query.taskQueue.tasks.entries();
    assert.ok(tasks.some(([key, value]) => key.args[0].toBigInt() === id && value.unwrap().requester.toString() === eve.address));
    const open = await apiAt.query.taskQueue.openTasks.keys();
    assert.ok(open.some((key) => key.args[0].toBigInt() === id));
    const mine = await apiAt.query.taskQueue.requesterTasks.entries(eve.address);
    assert.ok(mine.some(([key]) => key.args[1].toBigInt() === id));
    assert.ok((await apiAt.query.taskQueue.nextTaskId()).toBigInt() > id);
  }));

  it('.at(blockHash) reads the state of that block', kTimeout, () => h.run('query-at', async ({ api, keys }) => {
    const { charlie, ferdie } = keys;
    const amount = 5n * CC;
    const res = await signAndWatch(api.tx.credits.transferKeepAlive(ferdie.address, amount), charlie, {}, { until: 'InBlock' });
    const header = await api.rpc.chain.getHeader(res.blockHash);
    const atBlock = await api.at(res.blockHash);
    const atParent = await api.at(header.parentHash);
    const [before, after] = await Promise.all([atParent.query.system.account(ferdie.address), atBlock.query.system.account(ferdie.address)]);
    assert.equal(after.data.free.toBigInt() - before.data.free.toBigInt(), amount);
    assert.equal((await atBlock.query.system.number()).toNumber(), header.number.toNumber());
    assert.equal((await atParent.query.system.number()).toNumber(), header.number.toNumber() - 1);
    assert.equal((await atBlock.query.system.blockHash(header.number.toNumber() - 1)).toHex(), header.parentHash.toHex());
    const now = (await atBlock.query.timestamp.now()).toNumber();
    assert.ok(now > (await atParent.query.timestamp.now()).toNumber(), 'Timestamp.Now advances');
  }));

  it('subscriptions: storage changes, several keys at once, new and finalized heads', kTimeout, () => h.run('query-subscribe', async ({ api, keys }) => {
    const target = keys.keyring.addFromUri(mnemonicGenerate());
    const seen = [];
    const unsubAccount = await api.query.system.account(target.address, (info) => seen.push(info.data.free.toBigInt()));
    await waitFor('the initial storage notification', () => seen.length >= 1, { timeoutMs: 10_000 });
    assert.equal(seen[0], 0n);

    const multi = [];
    const unsubMulti = await api.queryMulti([[api.query.system.account, target.address], api.query.system.number],
      ([info, number]) => multi.push([info.data.free.toBigInt(), number.toNumber()]));
    const heads = [];
    const unsubHeads = await api.rpc.chain.subscribeNewHeads((hd) => heads.push(hd.number.toNumber()));
    const finalized = [];
    const unsubFinal = await api.rpc.chain.subscribeFinalizedHeads((hd) => finalized.push(hd.number.toNumber()));

    const amount = 2n * CC;
    await signAndWatch(api.tx.credits.transferKeepAlive(target.address, amount), keys.dave, {}, { until: 'InBlock' });
    await waitFor('the account subscription to report the transfer', () => seen.includes(amount), { timeoutMs: 15_000 });
    await waitFor('queryMulti to report the transfer', () => multi.some(([free]) => free === amount), { timeoutMs: 15_000 });
    await waitFor('three new heads', () => heads.length >= 3, { timeoutMs: 15_000 });
    await waitFor('two finalized heads', () => finalized.length >= 2, { timeoutMs: 15_000 });
    for (let i = 1; i < heads.length; ++i) assert.ok(heads[i] > heads[i - 1], `new heads increase: ${heads}`);
    for (let i = 1; i < finalized.length; ++i) assert.ok(finalized[i] > finalized[i - 1], `finalized heads increase: ${finalized}`);
    const numbers = multi.map(([, n]) => n);
    assert.ok(new Set(numbers).size >= 2, `System.Number changes are reported: ${numbers}`);
    unsubAccount();
    unsubMulti();
    unsubHeads();
    unsubFinal();
  }));
});
