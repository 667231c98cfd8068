import type { ExportVerification, ProofBundleVerification } from '@retract/audit-log';

const LISTED_PROBLEMS = 20;

/** The verdict line: what a script or a person reads first. */
export function verdictLine(result: ExportVerification | ProofBundleVerification): string {
  if (result.ok && 'kind' in result) {
    return `OK: ${result.checked} entries of a proof bundle verified (${describeSeqs(result.seqs)}), each proved in the signed tree of size ${result.treeSize}`;
  }
  if (result.ok && !('kind' in result)) {
    const header = result.header!;
    const range = result.checked > 0 ? `seq ${header.fromSeq}..${header.fromSeq + result.checked - 1}` : 'no entries';
    return `OK: ${result.checked} entries verified (${range}), tree size ${result.treeSize}, ${result.checkpointsVerified} checkpoints verified`;
  }
  const firstBad = result.firstBadSeq === undefined ? undefined : result.problems.find((problem) => problem.seq === result.firstBadSeq);
  if (result.firstBadSeq !== undefined) return `FAIL at seq ${result.firstBadSeq}: ${firstBad?.message ?? 'see problems'}`;
  return `FAIL: ${result.problems[0]?.message ?? 'verification failed'}`;
}

export function detailLines(result: ExportVerification | ProofBundleVerification): string[] {
  const lines: string[] = [];
  if (result.header && 'kind' in result) {
    lines.push(`  tenant ${result.header.tenantId}, log ${result.header.origin}`);
    lines.push(`  checkpoint tree size ${result.treeSize}, root ${result.rootHash ?? '(not verified)'}`);
    lines.push(`  keys: ${result.keysUsed.join(', ')}`);
  } else if (result.header) {
    lines.push(`  tenant ${result.header.tenantId}, log ${result.header.origin}`);
    lines.push(`  rebuilt tree size ${result.treeSize}, root ${result.rootHash}`);
    lines.push(`  keys: ${result.keysUsed.join(', ')}`);
  }
  if (!result.ok) {
    lines.push(`  problems (${result.problems.length}):`);
    for (const problem of result.problems.slice(0, LISTED_PROBLEMS)) {
      const where = [problem.seq !== undefined ? `seq ${problem.seq}` : '', problem.line !== undefined ? `line ${problem.line}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`    ${problem.code}${where ? ` [${where}]` : ''}: ${problem.message}`);
    }
    if (result.problems.length > LISTED_PROBLEMS) lines.push(`    … ${result.problems.length - LISTED_PROBLEMS} more`);
  }
  for (const warning of result.warnings) lines.push(`  warning: ${warning.message}`);
  return lines;
}

/** Seqs as ranges: 3, 7..9, 12. */
function describeSeqs(seqs: readonly number[]): string {
  if (seqs.length === 0) return 'no entries';
  const ranges: string[] = [];
  let start = seqs[0];
  for (let i = 1; i <= seqs.length; i++) {
    if (i < seqs.length && seqs[i] === seqs[i - 1] + 1) continue;
    ranges.push(start === seqs[i - 1] ? `seq ${start}` : `seq ${start}..${seqs[i - 1]}`);
    start = seqs[i];
  }
  return ranges.length > 5 ? `${ranges.slice(0, 5).join(', ')}, …` : ranges.join(', ');
}
