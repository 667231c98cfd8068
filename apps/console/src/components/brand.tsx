/** The product mark; `product` adds the "Compliance console" label beside it. */
export function Brand({ name, product, inverse = false }: { name: string; product?: string; inverse?: boolean }) {
  return (
    <p className={inverse ? 'brand brand--inverse' : 'brand'}>
      <span className="brand__mark" aria-hidden="true">
        R
      </span>
      <span className="brand__name">{name}</span>
      {product ? <span className="brand__product">{product}</span> : null}
    </p>
  );
}

/** First focusable element of every page: jumps over the header and navigation to #main. */
export function SkipLink({ label }: { label: string }) {
  return (
    <a href="#main" className="skip-link">
      {label}
    </a>
  );
}
