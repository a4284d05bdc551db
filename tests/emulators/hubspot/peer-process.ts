// Which local process is on the other end of a loopback connection — so the emulated portal's request log can say
// which worker made each call. HubSpot has no header for a caller to name itself, and @hubspot/api-client 13 sends no
// configured header (its generated methods run only call-time middleware), so the emulator asks Linux instead: the
// client's socket is the /proc/net/tcp row whose local port is the connection's remote port, and the process holding
// that socket's inode has it among its /proc/<pid>/fd links. Linux only; elsewhere the answer is null.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The inode of the client-side socket of the connection remotePort → serverPort, from /proc/net/tcp{,6}. */
const socketInode = (remotePort: number, serverPort: number): string | null => {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = parseInt(cols[1]!.split(':').at(-1)!, 16);
      const remote = parseInt(cols[2]!.split(':').at(-1)!, 16);
      if (local === remotePort && remote === serverPort && cols[9] !== '0') return cols[9]!;
    }
  }
  return null;
};

/** The pid of the process holding the client end of a loopback connection; null when it cannot be told. */
export const peerProcess = (remotePort: number, serverPort: number): number | null => {
  const inode = socketInode(remotePort, serverPort);
  if (!inode) return null;
  const link = `socket:[${inode}]`;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
};
