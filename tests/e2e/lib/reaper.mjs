// Watchdog for one bazaar-node started by lib/node.mjs, run as a detached process:
//   node reaper.mjs <parent pid> <node pid> <temp dir>
// When the test process that started the node dies without cleaning up (killed by the
// test runner's timeout, SIGKILL, a crash), this kills the node and removes its temp
// dir. It exits by itself once the node is gone and the temp dir has been removed.
import { rmSync, existsSync } from 'node:fs';

const [parentPid, nodePid, dir] = process.argv.slice(2).map((v, i) => (i < 2 ? Number(v) : v));
const kPollMs = 250;
const kTermGraceMs = 3000;

function alive (pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function reap () {
  if (alive(nodePid)) {
    try { process.kill(nodePid, 'SIGTERM'); } catch {}
    const deadline = Date.now() + kTermGraceMs;
    while (alive(nodePid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (alive(nodePid)) {
      try { process.kill(nodePid, 'SIGKILL'); } catch {}
    }
  }
  rmSync(dir, { force: true, recursive: true });
}

const timer = setInterval(() => {
  if (!alive(parentPid)) {
    clearInterval(timer);
    reap().finally(() => process.exit(0));
  } else if (!alive(nodePid) && !existsSync(dir)) {
    clearInterval(timer);
    process.exit(0);
  }
}, kPollMs);
