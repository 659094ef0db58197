/**
 * Copies text to the clipboard. Where the page may not write to it (an
 * intranet address over plain HTTP is not a secure context, or permission is
 * refused) the text in `shown` is selected instead, for Ctrl+C.
 */
export async function copyText(text: string, shown: HTMLElement | null): Promise<'copied' | 'selected'> {
  try {
    if (!navigator.clipboard)
      throw new Error('no clipboard')
    await navigator.clipboard.writeText(text)
    return 'copied'
  }
  catch {
    const selection = window.getSelection()
    if (shown && selection) {
      const range = document.createRange()
      range.selectNodeContents(shown)
      selection.removeAllRanges()
      selection.addRange(range)
    }
    return 'selected'
  }
}
