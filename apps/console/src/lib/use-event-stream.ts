'use client';

import type { EventEnvelope, EventType } from '@retract/contracts';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { openEventStream, type StreamStatus } from './event-stream';

export interface EventStreamCallbacks {
  onEvent(envelope: EventEnvelope): void;
  /** See EventStreamHandlers.onOpen: read the current state when `resumed` is false. */
  onOpen?(resumed: boolean): void;
  onRefused?(): void;
}

/**
 * The API's event stream for as long as the component is mounted: one stream per mount, whatever
 * the callbacks' identities (the latest ones are called), resumed from its last event id after
 * every interruption. Returns the connection's status for a "Live" indicator.
 */
export function useEventStream(path: string, types: readonly EventType[], callbacks: EventStreamCallbacks): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const latest = useRef(callbacks);
  useLayoutEffect(() => {
    latest.current = callbacks;
  });
  // The types are fixed for the stream's life: a new array literal each render must not reopen it.
  const typeKey = types.join(',');

  useEffect(() => {
    const stream = openEventStream(path, typeKey.split(',') as EventType[], {
      onEvent: (envelope) => latest.current.onEvent(envelope),
      onStatus: setStatus,
      onOpen: (resumed) => latest.current.onOpen?.(resumed),
      onRefused: () => latest.current.onRefused?.(),
    });
    return () => stream.close();
  }, [path, typeKey]);

  return status;
}
