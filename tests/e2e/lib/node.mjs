// Starts a real bazaar-node for a test file and always stops it again.
//
// startNode() runs `bazaar-node --dev --tmp --rpc-port 0` (or, with {author}, the dev chain
// spec with that one authority instead of //Alice, see below) with TMPDIR pointing to a fresh
// directory of ours, reads the "RPC listening on ws://HOST:PORT" line the node prints, and
// returns {wsUrl, httpUrl, output(), stop()}. The node and everything it wrote under TMPDIR are
// removed by stop(), by the process 'exit'/signal handlers below if a test forgot, and by a
// detached watchdog (reaper.mjs) if this process is killed outright.
//
// Paths come from the environment (tools/test.sh sets them):
//   BAZAAR_NODE_BIN    the node binary      (default <repo>/build/bin/bazaar-node)
//   BAZAAR_WALLET_BIN  the wallet CLI       (default <repo>/build/bin/bazaar)
//   BAZAAR_TASKS_DIR   the task wasm files  (default <repo>/build/tasks)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const nodeBin = process.env.BAZAAR_NODE_BIN || path.join(repoRoot, 'build', 'bin', 'bazaar-node');
export const walletBin = process.env.BAZAAR_WALLET_BIN || path.join(repoRoot, 'build', 'bin', 'bazaar');
export const tasksDir = process.env.BAZAAR_TASKS_DIR || path.join(repoRoot, 'build', 'tasks');

const kStartDeadlineMs = 30_000;
const kStopGraceMs = 5_000;
const kMaxOutputChars = 1 << 20;
const running = new Set();

function killAllNow () {
  for (const n of running) {
    try { n.child.kill('SIGKILL'); } catch {}
    rmSync(n.dir, { force: true, recursive: true });
  }
  running.clear();
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAllNow();
    process.exit(128 + os.constants.signals[signal]);
  });
}

/// The dev chain spec (genesis/dev.json) with `authorityPublicKey` (33-byte compressed, 0x hex)
/// as the only Aura authority. Everything else (endowments, sudo = //Alice, fees) is unchanged.
function devSpecWithAuthority (authorityPublicKey) {
  const spec = JSON.parse(readFileSync(path.join(repoRoot, 'genesis', 'dev.json'), 'utf8'));
  spec.genesis.runtime.aura.authorities = [authorityPublicKey];
  return spec;
}

/**
 * Starts a node. Options:
 *   author: {suri, publicKey}: author blocks with this key instead of //Alice (so that //Alice's
 *           balance changes by exactly what her own extrinsics cost: fees go to the author);
 *   args:   extra command-line arguments.
 */
export async function startNode ({ author, args = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bazaar-e2e-'));
  let argv;
  if (author) {
    const specPath = path.join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(devSpecWithAuthority(author.publicKey), null, 2));
    argv = ['--chain', specPath, '--validator', '--key', author.suri, '--tmp', '--rpc-port', '0', ...args];
  } else {
    argv = ['--dev', '--tmp', '--rpc-port', '0', ...args];
  }
  const child = spawn(nodeBin, argv, {
    env: { ...process.env, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const entry = { child, dir };
  running.add(entry);
  const reaper = spawn(process.execPath, [path.join(here, 'reaper.mjs'), String(process.pid), String(child.pid), dir], {
    detached: true,
    stdio: 'ignore'
  });
  reaper.unref();

  let output = '';
  let exited = null;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));
  const wsUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bazaar-node did not print its RPC address within ${kStartDeadlineMs} ms:\n${output}`)), kStartDeadlineMs);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > kMaxOutputChars) output = output.slice(-kMaxOutputChars);
      const m = /RPC listening on (ws:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`bazaar-node exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });

  async function stop () {
    if (exited === null) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exitPromise.then(() => false), delay(kStopGraceMs).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    rmSync(dir, { force: true, recursive: true });
    running.delete(entry);
    try { process.kill(reaper.pid, 'SIGKILL'); } catch {}
    return exited;
  }

  return {
    wsUrl,
    httpUrl: wsUrl.replace(/^ws:/, 'http:'),
    dir,
    output: () => output,
    exited: () => exited,
    stop
  };
}

export function delay (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
