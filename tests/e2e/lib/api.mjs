// Client-side helpers: a WsProvider that records every JSON-RPC exchange (and can rewrite or fail
// chosen methods, to steer @polkadot/api down a particular path), ApiPromise set-up, the ECDSA dev
// keyring, polling with deadlines, and signAndSend followed to a final status.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A WsProvider that keeps a trace of the traffic: [{t, seq, dir: 'req'|'res'|'err'|'notify', method, params?, result?,
 * error?}] (seq pairs a request with its answer and, for a subscription, its notifications). `rules` is a list of functions (method, params) => undefined | {error: string} | {map: fn(result)}:
 * {error} fails that request on the client side without sending it (the message becomes the Error's message);
 * {map} rewrites the node's result (and, for subscriptions, each notification's result) before polkadot.js sees it.
 */
export class TracingProvider extends WsProvider {
  constructor (url, { rules = [] } = {}) {
    super(url, false);
    this.trace = [];
    this.seq = 0;
    this.rules = rules;
  }

  #rule (method, params) {
    for (const r of this.rules) {
      const out = r(method, params);
      if (out) return out;
    }
    return undefined;
  }

  send (method, params, isCacheable, subscription) {
    const t = Date.now();
    const seq = ++this.seq;
    this.trace.push({ t, seq, dir: 'req', method, params });
    const rule = this.#rule(method, params);
    if (rule?.error) {
      this.trace.push({ t, seq, dir: 'err', method, error: `${rule.error} (forced by the test)` });
      return Promise.reject(new Error(rule.error));
    }
    const map = rule?.map ?? ((x) => x);
    let sub = subscription;
    if (subscription) {
      sub = {
        ...subscription,
        callback: (error, result) => {
          this.trace.push({ t: Date.now(), seq, dir: 'notify', method: subscription.type, error: error?.message, result });
          subscription.callback(error, error ? result : map(result));
        }
      };
    }
    return super.send(method, params, isCacheable, sub).then(
      (result) => {
        this.trace.push({ t: Date.now(), seq, dir: 'res', method, result });
        return map(result);
      },
      (error) => {
        this.trace.push({ t: Date.now(), seq, dir: 'err', method, error: error.message });
        throw error;
      });
  }

  /// The requests sent so far for `method` (their params).
  requests (method) {
    return this.trace.filter((e) => e.dir === 'req' && e.method === method).map((e) => e.params);
  }

  /// Writes the trace as JSON lines to $BAZAAR_E2E_LOG_DIR (default <tmp>/bazaar-e2e-logs)/<name>.jsonl.
  dump (name) {
    const dir = process.env.BAZAAR_E2E_LOG_DIR || path.join(os.tmpdir(), 'bazaar-e2e-logs');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.jsonl`);
    writeFileSync(file, this.trace.map((e) => JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).join('\n') + '\n');
    return file;
  }
}

/** Connects @polkadot/api through a TracingProvider; returns {api, provider}. onProvider(p) sees it first. */
export async function connect (wsUrl, { rules = [], onProvider, ...options } = {}) {
  await cryptoWaitReady();
  const provider = new TracingProvider(wsUrl, { rules });
  onProvider?.(provider);
  await provider.connect();
  const api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true, ...options });
  return { api, provider };
}

/** The ECDSA dev accounts (keyring type 'ecdsa', SS58 prefix 42). */
export async function devKeyring () {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'ecdsa', ss58Format: 42 });
  const pairs = {};
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) pairs[name.toLowerCase()] = keyring.addFromUri(`//${name}`);
  return { keyring, ...pairs };
}

/** Polls `fn` (sync or async) until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function waitFor (what, fn, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

const kFinal = new Set(['Finalized', 'Invalid', 'Dropped', 'Usurped', 'FinalityTimeout', 'Retracted']);

/**
 * signAndSend, following the extrinsic until `until` ('InBlock' or 'Finalized'; InBlock also ends at a Finalized
 * that came first); rejects on submission errors (e.g. 1010) and on a bad final status. Resolves {statuses (every
 * status polkadot.js reported), blockHash (the including block), finalizedHash, events (of the including block, as
 * [{section, method, data, event}]), dispatchError, dispatchInfo, internalError, txHash, txIndex}.
 */
export function signAndWatch (tx, signer, options = {}, watchOptions = {}) {
  return follow(tx, (cb) => tx.signAndSend(signer, options, cb), watchOptions);
}

/** As signAndWatch, for an extrinsic signed already (tx.sign / signAsync). */
export function sendAndWatch (tx, watchOptions = {}) {
  return follow(tx, (cb) => tx.send(cb), watchOptions);
}

/**
 * Sign options for the low-level tx.sign(pair, options) with everything explicit: the defaults @polkadot/api
 * would use, overridden by `options` (e.g. {blockHash, era, nonce}).
 */
export function fullSignOptions (api, options) {
  return {
    blockHash: api.genesisHash,
    genesisHash: api.genesisHash,
    runtimeVersion: api.runtimeVersion,
    signedExtensions: api.registry.signedExtensions,
    version: api.extrinsicType,
    ...options
  };
}

function follow (tx, submit, { until = 'Finalized', timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const out = { statuses: [], events: [], txHash: null };
    let unsub = null;
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (unsub) unsub();
      err ? reject(err) : resolve(out);
    };
    const timer = setTimeout(() => finish(new Error(`no ${until} within ${timeoutMs} ms; statuses so far: ${out.statuses.join(' -> ')}`)), timeoutMs);
    const takeBlock = (result, hash) => {
      out.blockHash = hash;
      out.txIndex = result.txIndex;
      out.events = result.events.map(({ event }) => ({ section: event.section, method: event.method, data: event.data, event }));
      out.dispatchError = result.dispatchError;
      out.dispatchInfo = result.dispatchInfo;
      out.internalError = result.internalError;
    };
    submit((result) => {
      const type = result.status.type;
      out.statuses.push(type);
      out.txHash = tx.hash.toHex();
      if (type === 'InBlock') {
        takeBlock(result, result.status.asInBlock.toHex());
        if (until === 'InBlock') finish();
      } else if (type === 'Finalized') {
        out.finalizedHash = result.status.asFinalized.toHex();
        // A finalized extrinsic is in that block too; polkadot.js drops an InBlock whose events it is still
        // fetching when Finalized arrives (switchMap in submittable/createClass.js), so take them from here.
        if (out.blockHash === undefined) takeBlock(result, out.finalizedHash);
        finish();
      } else if (kFinal.has(type)) {
        finish(new Error(`extrinsic ended with status ${type}; statuses: ${out.statuses.join(' -> ')}`));
      }
    }).then((u) => {
      unsub = u;
      if (done) u();
    }, finish);
  });
}

/** The events of `res` (from signAndWatch) named section.method. */
export function eventsNamed (res, name) {
  const [section, method] = name.split('.');
  return res.events.filter((e) => e.section === section && e.method === method);
}

/** {free, reserved, nonce} of `address` at block `hash` (bigints / number). */
export async function accountAt (api, address, hash) {
  const apiAt = await api.at(hash);
  const info = await apiAt.query.system.account(address);
  return { free: info.data.free.toBigInt(), reserved: info.data.reserved.toBigInt(), nonce: info.nonce.toNumber() };
}

/** The parent hash of block `hash`. */
export async function parentOf (api, hash) {
  return (await api.rpc.chain.getHeader(hash)).parentHash.toHex();
}
