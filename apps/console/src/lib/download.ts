/** Saves `data` as a file in the browser (no navigation, works under the console's CSP). */
export function saveFile(name: string, data: BlobPart[] | Blob, type = 'text/plain'): void {
  const blob = data instanceof Blob ? data : new Blob(data, { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
