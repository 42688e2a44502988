// The controls every widget's stories share, and what their render functions do with them: each
// control a story shows ends up on the element as an attribute, a property or a style (.storybook/
// preview.ts takes the control away from the manifest's attributes that stories do not pass).
import { styleMap } from 'lit/directives/style-map.js';
import type { Signer } from '../../src/identity/types.js';

/** The languages Gather ships (Arabic is right to left). */
export const LANGS = ['en', 'es', 'fr', 'ar'] as const;

/** `lang` on the story's `<gather-room>`: the widgets inside speak it. */
export const langControl = { control: 'select', options: LANGS, description: 'The nearest `lang` attribute (here on `<gather-room>`): the language the widgets speak' } as const;

/** `theme` on the widget; `auto` sets none (the visitor's prefers-color-scheme decides). */
export const themeControl = {
  control: 'inline-radio',
  options: ['auto', 'light', 'dark'],
  description: 'Fixes the colour scheme (`theme="light|dark"`); auto: no attribute, the visitor’s prefers-color-scheme decides',
} as const;

export type ThemeArg = 'auto' | 'light' | 'dark';

/** The `theme` attribute for a theme arg: none for `auto`. */
export const themeOf = (theme: ThemeArg | undefined): 'light' | 'dark' | undefined => (theme === 'light' || theme === 'dark' ? theme : undefined);

/** A number arg as an attribute: none when the control is empty. */
export const numberOf = (value: number | null | undefined): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A text arg as an attribute: none when the control is empty. */
export const textOf = (value: string | null | undefined): string | undefined => (value ? value : undefined);

/** A date control's value (milliseconds since the epoch) or an ISO string, as an ISO date-time attribute; none when empty. */
export const dateOf = (value: number | string | null | undefined): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString() : typeof value === 'string' && value ? value : undefined;

/**
 * The `--gather-*` custom properties a story's controls set (the Docs page's "css custom
 * properties" rows, named after the tokens), as a style for the widget: empty ones are left out,
 * so the built-in values apply.
 */
export const tokenStyles = (args: object) =>
  styleMap(Object.fromEntries(Object.entries(args).filter(([name, value]) => name.startsWith('--gather-') && typeof value === 'string' && value !== '')));

/**
 * A visitor whose browser cannot sign, as on a page served over plain http (no WebCrypto): the
 * widgets show what the room holds, read-only, and say why. (Handled here as well, so that the
 * rejection is not reported as unhandled before the widgets take it.)
 */
export function unsigned(): Promise<Signer> {
  const signer = Promise.reject<Signer>(new Error('crypto.subtle is undefined (the page is served over http)'));
  signer.catch(() => undefined);
  return signer;
}

/** `signer`, but every signature fails (as when the device's key store breaks): each command fails, and the widget says so. */
export async function failingSigner(signer: Promise<Signer>): Promise<Signer> {
  const { publicKey, alg } = await signer;
  return { publicKey, alg, sign: () => Promise.reject(new Error('the key store failed (a story that shows a failed save)')) };
}
