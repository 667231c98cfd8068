/**
 * Work that belongs to a transaction but must run only once it has committed (e.g. waiting for
 * the audit sequencer to integrate the entries the transaction queued). The transaction runners
 * (`inTenant`, `inTenantSql`) run and await every registered task after COMMIT, before they
 * return, so a caller is answered only when that work is done; after a rollback nothing runs.
 */
type Task = () => unknown;

const tasks = new WeakMap<object, Task[]>();

export function afterCommit(tx: object, task: Task): void {
  const list = tasks.get(tx);
  if (list) list.push(task);
  else tasks.set(tx, [task]);
}

export async function runAfterCommit(tx: object): Promise<void> {
  const list = tasks.get(tx);
  if (!list) return;
  tasks.delete(tx);
  await Promise.all(list.map((task) => Promise.resolve().then(task)));
}

export function discardAfterCommit(tx: object): void {
  tasks.delete(tx);
}
