'use client';

import type { AuditEntryView } from '@retract/contracts';
import { useState } from 'react';
import { formatNumber } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { AuditStrings } from './audit-browser';

export interface PagePosition {
  items: AuditEntryView[];
  /** The page's keyset cursor (undefined: the newest page) and the cursors of the pages before it. */
  cursor?: number;
  trail: number[];
  filtered: boolean;
  /** Entries in the whole log, when known. */
  logSize: number | null;
  pageSize: number;
}

/**
 * Which entries the page shows, counted from the newest: "Entries 51–100 of 1,234, newest first".
 * Unfiltered, an entry's place is the log's size less its seq; filtered, the pages walked so far
 * give it (the service counts no matches: a count would cost a scan); after a jump to an entry
 * number, the range of entry numbers.
 */
export function pagePosition({ items, cursor, trail, filtered, logSize, pageSize }: PagePosition, locale: string, t: AuditStrings): string {
  if (items.length === 0) return '';
  const newest = items[0].seq;
  const oldest = items[items.length - 1].seq;
  const n = (value: number) => formatNumber(locale, value);
  if (!filtered && logSize !== null) return format(t.audit.pagerOf, { first: n(logSize - newest), last: n(logSize - oldest), total: n(logSize) });
  if (cursor !== undefined && trail.length === 0) return format(t.audit.pagerFrom, { newest: n(newest), oldest: n(oldest) });
  const first = trail.length * pageSize + 1;
  return format(t.audit.pagerMatching, { first: n(first), last: n(first + items.length - 1) });
}

interface Props {
  position: string;
  atNewest: boolean;
  hasNewer: boolean;
  hasOlder: boolean;
  onNewest: () => void;
  onNewer: () => void;
  onOlder: () => void;
  onJump: (seq: number) => void;
  t: AuditStrings;
}

export function AuditPager({ position, atNewest, hasNewer, hasOlder, onNewest, onNewer, onOlder, onJump, t }: Props) {
  return (
    <div className="pager">
      <p className="pager__info muted" aria-live="polite" data-testid="audit-pager">
        {position}
      </p>
      <div className="pager__buttons">
        <JumpTo t={t} onJump={onJump} />
        <button type="button" className="button button--quiet" disabled={atNewest} onClick={onNewest}>
          {t.table.newest}
        </button>
        <button type="button" className="button button--quiet" disabled={!hasNewer} onClick={onNewer}>
          ← {t.table.newer}
        </button>
        <button type="button" className="button button--quiet" data-testid="audit-older" disabled={!hasOlder} onClick={onOlder}>
          {t.table.older} →
        </button>
      </div>
    </div>
  );
}

function JumpTo({ t, onJump }: { t: AuditStrings; onJump: (seq: number) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="jump"
      onSubmit={(event) => {
        event.preventDefault();
        if (/^\d{1,16}$/.test(value.trim())) onJump(Number(value.trim()));
      }}
    >
      <label htmlFor="audit-jump" className="visually-hidden">
        {t.audit.jumpTo}
      </label>
      <input
        id="audit-jump"
        className="field__input jump__input"
        inputMode="numeric"
        pattern="[0-9]*"
        placeholder={t.audit.jumpToHint}
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" className="button button--quiet">
        {t.audit.go}
      </button>
    </form>
  );
}
