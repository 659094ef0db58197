/** What a key does on the wall, for an operator with a keyboard at the wall's PC. */
export type WallKeyAction = 'pause' | 'next' | 'previous' | 'night' | 'language'

export interface KeyFacts {
  key: string
  ctrlKey: boolean
  altKey: boolean
  metaKey: boolean
  /** The element the key went to: typing in a field is not a command. */
  target: { tagName?: string, isContentEditable?: boolean } | null
}

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT'])

export function wallKeyAction(e: KeyFacts): WallKeyAction | null {
  // Browser and system shortcuts (Ctrl+L, Alt+←) keep their meaning.
  if (e.ctrlKey || e.altKey || e.metaKey)
    return null
  if (e.target && (e.target.isContentEditable || EDITABLE.has((e.target.tagName ?? '').toUpperCase())))
    return null
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return 'pause'
    case 'ArrowRight':
      return 'next'
    case 'ArrowLeft':
      return 'previous'
    case 'n':
    case 'N':
      return 'night'
    case 'l':
    case 'L':
      return 'language'
    default:
      return null
  }
}
