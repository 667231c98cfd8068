'use client';

import { ErrorPanel, type ErrorBoundaryProps } from '../../components/error-panel';

/** A section failed to render: the error shows inside the shell, navigation stays usable. */
export default function ConsoleError(props: ErrorBoundaryProps) {
  return (
    <div className="status-page">
      <ErrorPanel {...props} />
    </div>
  );
}
