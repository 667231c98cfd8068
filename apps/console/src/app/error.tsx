'use client';

import { ErrorPanel, type ErrorBoundaryProps } from '../components/error-panel';

/** A page or layout failed outside the signed-in shell (e.g. the shell could not load /me). */
export default function RootError(props: ErrorBoundaryProps) {
  return (
    <main id="main" className="status-page">
      <ErrorPanel {...props} />
    </main>
  );
}
