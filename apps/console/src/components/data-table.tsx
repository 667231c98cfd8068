import { Fragment, type ComponentPropsWithoutRef, type ReactNode, type Ref } from 'react';

/** One column of a list page's table: its header and how a row shows in it. */
export interface Column<Row> {
  header: ReactNode;
  /** The header is for screen readers only (a column of row actions). */
  hiddenHeader?: boolean;
  /** Class of the column's cells (`nowrap`, `muted`, …). */
  className?: string;
  /** A column of counts: header and cells aligned to the right (`num`). */
  numeric?: boolean;
  cell: (row: Row, index: number) => ReactNode;
}

type RowProps = ComponentPropsWithoutRef<'tr'> & { [data: `data-${string}`]: string | number | undefined };

interface Props<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  /** The table's accessible name. */
  label?: string;
  testId?: string;
  /** Attributes of a row's <tr>: its test id, selection class, click handler. */
  rowProps?: (row: Row, index: number) => RowProps;
  /** A full-width row under a row (an inline editor), or null. */
  below?: (row: Row) => ReactNode;
  /** Shown instead of the table when there are no rows; without it an empty table keeps its header. */
  empty?: ReactNode;
  emptyTestId?: string;
  bodyRef?: Ref<HTMLTableSectionElement>;
}

/**
 * The table of the console's list pages (audit, exports, webhooks, service accounts, users, insights): a
 * scrolling table with column headers, one row per item, and a sentence when there are none. The
 * card around it, its title, filters and pager stay with each page.
 */
export function DataTable<Row>({ columns, rows, rowKey, label, testId, rowProps, below, empty, emptyTestId, bodyRef }: Props<Row>) {
  if (rows.length === 0 && empty !== undefined) {
    return (
      <p className="empty" data-testid={emptyTestId}>
        {empty}
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="table" aria-label={label} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {rows.map((row, index) => {
            const extra = below?.(row);
            return (
              <Fragment key={rowKey(row)}>
                <tr {...rowProps?.(row, index)}>
                  {columns.map((column, col) => (
                    <td key={col} className={cellClass(column)}>
                      {column.cell(row, index)}
                    </td>
                  ))}
                </tr>
                {extra ? (
                  <tr className="row-editor">
                    <td colSpan={columns.length}>{extra}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function cellClass(column: { className?: string; numeric?: boolean }): string | undefined {
  return [column.className, column.numeric ? 'num' : undefined].filter(Boolean).join(' ') || undefined;
}
