import type { SignupSlotConfig } from '../../src/models/signup.types.js';
import { nameFromText } from '../shared/widget-name.js';

/**
 * The sheet's slots as the page declares them: child `<gather-slot>` elements (defined or not),
 * their text the label, `name` their id (derived from the label when absent). The model checks
 * the rest (duplicates, capacities, dates).
 */
export function readSlots(host: Element): SignupSlotConfig[] {
  return [...host.querySelectorAll(':scope > gather-slot')].map((element, i) => {
    const label = (element.textContent ?? '').replace(/\s+/g, ' ').trim();
    const capacity = Number(element.getAttribute('capacity'));
    return {
      name: (element.getAttribute('name') ?? '').trim() || nameFromText(label, `slot-${i + 1}`),
      label,
      capacity: element.hasAttribute('capacity') && Number.isSafeInteger(capacity) && capacity >= 1 ? capacity : null,
      start: element.getAttribute('start'),
      end: element.getAttribute('end'),
      location: element.getAttribute('location'),
    };
  });
}
