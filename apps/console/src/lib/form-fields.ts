/** The text a form field holds: '' when the field is absent (a file input never holds text). */
export function fieldText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
