/**
 * The text of a widget's first direct child that matches `selector` (`legend, [slot=question]`),
 * whitespace collapsed and trimmed; '' when there is none. Read as text, never as HTML: the widget
 * renders it with a text binding.
 */
export function childText(host: Element, selector: string): string {
  for (const child of host.children) {
    if (child.matches(selector)) return (child.textContent ?? '').replace(/\s+/g, ' ').trim();
  }
  return '';
}
