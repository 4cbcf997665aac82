// One node plus connected clients per test file, torn down in `after` whatever happened:
//
//   let h;
//   before(async () => { h = await setup(); }, kTimeout);
//   after(() => h?.close(), kTimeout);
//   it('does x', kTimeout, () => h.run('does x', async ({ api, keys }) => { ... }));
//
// h.run() dumps every provider's JSON-RPC trace and the node's output to the log dir when the
// test throws, and appends the file names to the failure message.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { connect, devKeyring } from './api.mjs';
import { startNode } from './node.mjs';

export function logDir () {
  const dir = process.env.BAZAAR_E2E_LOG_DIR || path.join(os.tmpdir(), 'bazaar-e2e-logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts a node ({author: '//Ferdie'} makes Ferdie the only block author instead of //Alice) and, unless
 * {connect: false}, connects one ApiPromise. Returns the harness.
 */
export async function setup ({ author, args, connect: doConnect = true } = {}) {
  const keys = await devKeyring();
  const authorPair = author ? keys[author.replace('//', '').toLowerCase()] : null;
  if (author && !authorPair) throw new Error(`unknown dev account ${author}`);
  const node = await startNode({
    args,
    author: authorPair ? { suri: author, publicKey: '0x' + Buffer.from(authorPair.publicKey).toString('hex') } : undefined
  });
  const h = {
    node,
    keys,
    connections: [],
    api: null,
    provider: null,
    /** Another ApiPromise on the same node (options as lib/api.mjs connect); closed by h.close(). */
    async connect (options = {}) {
      const c = { provider: null, api: null };
      this.connections.push(c);
      const { api, provider } = await connect(node.wsUrl, { ...options, onProvider: (p) => { c.provider = p; } });
      c.api = api;
      c.provider = provider;
      return { api, provider };
    },
    async run (name, fn) {
      const firstNew = this.connections.length;
      try {
        return await fn(this);
      } catch (e) {
        const dir = logDir();
        const base = name.replace(/[^A-Za-z0-9_.-]+/g, '_');
        // The harness's own connection (if any) and those this test opened.
        const mine = this.connections.filter((c, i) => c.provider && ((this.api && c.api === this.api) || i >= firstNew));
        const files = mine.map((c, i) => c.provider.dump(`${base}-rpc${i}`));
        const nodeLog = path.join(dir, `${base}-node.log`);
        writeFileSync(nodeLog, node.output());
        e.message += `\n  JSON-RPC traces: ${files.join(', ') || '(none)'}\n  node output: ${nodeLog}`;
        throw e;
      }
    },
    async close () {
      for (const c of this.connections) {
        try { await c.api?.disconnect(); } catch {}
        try { await c.provider?.disconnect(); } catch {}
      }
      await node.stop();
    }
  };
  if (doConnect) {
    try {
      const { api, provider } = await h.connect();
      h.api = api;
      h.provider = provider;
    } catch (e) {
      await h.close();
      throw e;
    }
  }
  return h;
}

/// Per-test time limit (node:test option): generous for a loaded machine, finite so a hang fails.
export const kTimeout = { timeout: 180_000 };
