import { Worker } from 'node:worker_threads';
import type { CheckpointVerification } from '@retract/audit-log';
import type { CheckedPiece, EntryWorkerData, WorkerReply, WorkerRequest } from './entry-worker';

type Waiting = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };

/**
 * Worker threads running entry-worker.ts (bundled by entry-worker-code.ts). Pieces of the
 * export go to the workers in turn; checkpoint signatures are shared out among them.
 */
export class EntryCheckPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, Waiting>();
  private sent = 0;
  private failure: Error | undefined;

  constructor(code: string, count: number, workerData: EntryWorkerData) {
    this.workers = Array.from({ length: count }, () => {
      // No execArgv: the bundle needs no TypeScript loader (-r @swc-node/register would load one).
      const worker = new Worker(code, { eval: true, workerData, execArgv: [] });
      worker.on('message', (reply: WorkerReply) => {
        this.waiting.get(reply.id)?.resolve(reply);
        this.waiting.delete(reply.id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => this.fail(new Error(`an entry-check worker stopped (exit code ${code})`)));
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Hands `piece` (a readLineChunks piece, which owns its memory) over to a worker: it is unusable here afterwards. */
  checkPiece(piece: Buffer): Promise<CheckedPiece> {
    const bytes = new Uint8Array(piece.buffer, piece.byteOffset, piece.length);
    return settledLater(
      this.request((id) => ({ id, piece: bytes }), [piece.buffer as ArrayBuffer]).then(
        (reply) => (reply as Extract<WorkerReply, { checked: unknown }>).checked,
      ),
    );
  }

  /** verifyCheckpoint for each note, spread over the workers; in the order of `notes`. */
  async verifyCheckpoints(notes: readonly string[], keys: readonly string[], origin: string): Promise<CheckpointVerification[]> {
    const share = Math.ceil(notes.length / this.workers.length);
    const replies = await Promise.all(
      this.workers.map((_, i) => this.request((id) => ({ id, checkpoints: { notes: notes.slice(i * share, (i + 1) * share), keys, origin } }))),
    );
    return replies.flatMap((reply) => (reply as Extract<WorkerReply, { verifications: unknown }>).verifications);
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the verifier stopped');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private request(message: (id: number) => WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    const id = this.sent++;
    return settledLater(
      new Promise<WorkerReply>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        this.waiting.set(id, { resolve, reject });
        this.workers[id % this.workers.length].postMessage(message(id), transfer);
      }),
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}

/** A promise that may be awaited later: a failure before then is not an unhandled rejection. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
