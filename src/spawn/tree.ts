/**
 * Reaching a child's whole process tree, not only its first process.
 *
 * Two ways, chosen per child by whether there is a terminal:
 *
 * - **Own process group** (no terminal: CI, a supervisor, a container
 *   without -t). The child is started with `detached` (a new session, so a
 *   new group); a signal to `-pgid` reaches every process it started that did
 *   not leave the group on purpose (daemons do), even those whose parent has
 *   exited already (`sh -c 'yes x; true'` after sh is gone, `sleep 7 &`).
 * - **Shared group** (a terminal exists). A background group cannot read the
 *   terminal (SIGTTIN) and a new session has no `/dev/tty` at all, so an
 *   interactive COMMAND (a password prompt, an editor) only works in the
 *   terminal's foreground group, which is ours. The terminal itself sends
 *   Ctrl-C and hangup to that whole group; for signals we send, the tree is
 *   found through /proc (or `ps`) at the moment of sending.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';

/** Whether we run under a terminal (a terminal on stdin/stdout/stderr, or a controlling one). */
export function hasTerminal(): boolean {
  if (isatty(0) || isatty(1) || isatty(2)) return true;
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends `sig` to the child's tree: its group when it leads one, else the
 * child and its descendants as they are now. Returns the pids signalled one
 * by one (empty when the group was signalled), so that a later SIGKILL can
 * reach the same processes after their parent died and they were reparented.
 */
export function signalTree(pid: number, sig: NodeJS.Signals, ownGroup: boolean): number[] {
  if (ownGroup) {
    try {
      process.kill(-pid, sig);
      return [];
    } catch {
      /* the group is empty or gone: fall back to what the pid still reaches */
    }
  }
  const pids = [pid, ...descendantsOf(pid)];
  for (const p of pids) signalOne(p, sig);
  return pids;
}

function signalOne(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** Whether any process of the group is still alive (zombies count as gone). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // kill(0) also succeeds for zombies waiting to be reaped; look closer where we can.
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = statFields(Number(entry));
      if (f && f.pgrp === pgid && f.state !== 'Z') return true;
    }
    return false;
  } catch {
    return true;
  }
}

function statFields(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

export function descendantsOf(root: number): number[] {
  const parentOf = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** pid → ppid for every process we can see (/proc, else `ps`, else nothing). */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = statFields(Number(entry));
      if (f) table.set(Number(entry), f.ppid);
    }
    if (table.size > 0) return table;
  } catch {
    /* no /proc: try ps */
  }
  try {
    const ps = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of ps.split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)/.exec(line);
      if (m) table.set(Number(m[1]), Number(m[2]));
    }
  } catch {
    /* neither: only the root is signalled */
  }
  return table;
}

/**
 * SIGTERM to the tree, then SIGKILL after `graceMs` unless `finished()` says
 * it is over by then. Returns a function that cancels the pending SIGKILL.
 */
export function stopTree(pid: number, ownGroup: boolean, graceMs: number, finished: () => boolean): () => void {
  const pids = signalTree(pid, 'SIGTERM', ownGroup);
  const timer = setTimeout(() => {
    if (finished()) return;
    if (pids.length === 0) signalTree(pid, 'SIGKILL', ownGroup);
    else for (const p of pids) signalOne(p, 'SIGKILL');
  }, graceMs);
  timer.unref();
  return () => clearTimeout(timer);
}
