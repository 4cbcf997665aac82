// The `bazaar` wallet CLI builds calls and decodes storage from the node's metadata: its encodings must equal
// @polkadot/api's for the same calls, and its decoded storage the values @polkadot/api decodes.
//   bazaar --rpc URL tx MODULE CALL ARGS... --encode-only   prints the call's hex
//   bazaar --rpc URL query MODULE ITEM [KEY...] [--at HASH]  prints the decoded value as JSON
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

import { eventsNamed, signAndWatch } from './lib/api.mjs';
import { kTimeout, setup } from './lib/harness.mjs';
import { walletBin } from './lib/node.mjs';

const CC = 1_000_000_000_000n;

function cli (node, args) {
  return new Promise((resolve, reject) => {
    execFile(walletBin, ['--rpc', node.wsUrl, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`bazaar ${args.join(' ')} failed (${error.code ?? error.signal}): ${stderr || stdout}`));
      else resolve(stdout);
    });
  });
}

/// The hex the CLI printed for --encode-only (the last 0x… token of its output).
async function encodeOnly (node, module, call, args) {
  const out = await cli(node, ['tx', module, call, ...args, '--encode-only']);
  const hex = out.match(/0x[0-9a-fA-F]*/g);
  assert.ok(hex, `a hex string in the output of bazaar tx ${module} ${call}: ${out}`);
  return hex.at(-1).toLowerCase();
}

/**
 * A canonical form for comparing the CLI's JSON with polkadot.js's toJSON(): object keys without underscores and
 * lower-cased (snake_case vs camelCase), numbers and decimal/hex strings as decimal BigInt strings (polkadot.js
 * writes big integers as hex, the CLI as decimal; byte strings compare by value too), SS58 addresses as their
 * account.
 */
function canon (v) {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(canon);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_/g, '').toLowerCase(), canon(x)]).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  if (typeof v === 'number' || typeof v === 'bigint') return BigInt(v).toString();
  if (typeof v === 'string') {
    if (/^0x[0-9a-fA-F]+$/.test(v)) return BigInt(v).toString();
    if (/^[0-9]+$/.test(v)) return BigInt(v).toString();
    if (/^[1-9A-HJ-NP-Za-km-z]{46,50}$/.test(v)) {
      try { return canon(u8aToHex(decodeAddress(v))); } catch {}
    }
  }
  return v;
}

function sameValue (cliJson, polkadotJson, what) {
  assert.deepEqual(canon(cliJson), canon(polkadotJson), `${what}: bazaar ${JSON.stringify(cliJson)} vs @polkadot/api ${JSON.stringify(polkadotJson)}`);
}

describe('the bazaar wallet CLI and @polkadot/api agree', () => {
  let h;
  before(async () => { h = await setup(); }, kTimeout);
  after(() => h?.close(), kTimeout);

  it('tx --encode-only gives the same call bytes as api.tx.x.y(...).method', kTimeout, () => h.run('cli-encode', async ({ api, keys, node }) => {
    const { alice, bob } = keys;
    const programHash = '0x' + 'ab'.repeat(32);
    const cases = [
      ['credits', 'transfer_keep_alive', ['//Bob', '1000000000000'], api.tx.credits.transferKeepAlive(bob.address, CC)],
      ['credits', 'transfer_keep_alive', [bob.address, '12345'], api.tx.credits.transferKeepAlive(bob.address, 12345)],
      ['credits', 'transfer_allow_death', [u8aToHex(decodeAddress(alice.address)), String(10n ** 24n)], api.tx.credits.transferAllowDeath(alice.address, 10n ** 24n)],
      ['credits', 'force_transfer', ['//Alice', '//Bob', '7'], api.tx.credits.forceTransfer(alice.address, bob.address, 7)],
      ['credits', 'transfer_all', ['//Bob', 'true'], api.tx.credits.transferAll(bob.address, true)],
      ['credits', 'record_debt', ['//Bob', '5000'], api.tx.credits.recordDebt(bob.address, 5000)],
      ['system', 'remark', ['0x0102ff'], api.tx.system.remark('0x0102ff')],
      ['system', 'remark_with_event', ['hello bazaar'], api.tx.system.remarkWithEvent('hello bazaar')],
      ['taskQueue', 'post_task', [programHash, 'some input', '1000000', '2000000000000', '50'],
        api.tx.taskQueue.postTask(programHash, 'some input', 1_000_000, 2n * CC, 50)],
      ['task_queue', 'register_provider', ['10000000000000', '100', '["wasm32-wasi","gpu"]', 'https://p.example'],
        api.tx.taskQueue.registerProvider(10n * CC, 100, ['wasm32-wasi', 'gpu'], 'https://p.example')],
      ['TaskQueue', 'update_provider', ['200', '[]', '0x', 'null'], api.tx.taskQueue.updateProvider(200, [], '0x', null)],
      ['TaskQueue', 'update_provider', ['200', '["a"]', 'e', '5000'], api.tx.taskQueue.updateProvider(200, ['a'], 'e', 5000)],
      ['taskQueue', 'cancel_task', ['7'], api.tx.taskQueue.cancelTask(7)],
      ['Sudo', 'set_key', ['//Bob'], api.tx.sudo.setKey(bob.address)],
      ['sudo', 'sudo', [JSON.stringify({ Credits: { force_set_balance: { who: '//Bob', new_free: 5 } } })],
        api.tx.sudo.sudo(api.tx.credits.forceSetBalance(bob.address, 5))]
    ];
    for (const [module, call, args, tx] of cases) {
      const hex = await encodeOnly(node, module, call, args);
      assert.equal(hex, tx.method.toHex(), `bazaar tx ${module} ${call} ${args.join(' ')} --encode-only`);
    }
    await assert.rejects(cli(node, ['tx', 'nope', 'x', '--encode-only']), /Credits/, 'an unknown module lists the known ones');
  }));

  it('query decodes storage as @polkadot/api does', kTimeout, () => h.run('cli-query', async ({ api, keys, node }) => {
    const { bob, charlie } = keys;
    const res = await signAndWatch(api.tx.credits.recordDebt(charlie.address, 4242), bob);
    assert.equal(eventsNamed(res, 'credits.DebtRecorded').length, 1);
    const at = res.finalizedHash;
    const apiAt = await api.at(at);
    const query = async (...args) => JSON.parse(await cli(node, ['query', ...args, '--at', at]));

    sameValue(await query('system', 'account', '//Bob'), (await apiAt.query.system.account(bob.address)).toJSON(), 'System.Account(bob)');
    sameValue(await query('System', 'Account', bob.address), (await apiAt.query.system.account(bob.address)).toJSON(), 'System.Account(bob) by SS58');
    sameValue(await query('credits', 'total_issuance'), (await apiAt.query.credits.totalIssuance()).toJSON(), 'Credits.TotalIssuance');
    sameValue(await query('credits', 'debts', '//Bob', '//Charlie'), (await apiAt.query.credits.debts(bob.address, charlie.address)).toJSON(), 'Credits.Debts');
    sameValue(await query('credits', 'netPositions', '//Charlie'), (await apiAt.query.credits.netPositions(charlie.address)).toJSON(), 'Credits.NetPositions');
    sameValue(await query('taskQueue', 'params'), (await apiAt.query.taskQueue.params()).toJSON(), 'TaskQueue.Params');
    sameValue(await query('system', 'number'), (await apiAt.query.system.number()).toJSON(), 'System.Number');
    sameValue(await query('sudo', 'key'), (await apiAt.query.sudo.key()).toJSON(), 'Sudo.Key');
    assert.equal(await query('taskQueue', 'tasks', '999999'), null, 'an absent Optional entry is null');
  }));
});
