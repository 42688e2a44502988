// The languages this package ships beyond English (which is always there). Their names and
// direction are known at once, so an Arabic widget is laid out right to left from its first
// render; their strings (here the shared sections, in each widget's strings module its own) load
// the first time a widget on the page is in that language. Each widget's strings module imports
// this, so a page that loads one widget alone (`gather-widgets/poll`) still has its status line.
import { registerBuiltInTranslation, registerTranslationLoaders } from './registry.js';

registerBuiltInTranslation({ $code: 'es', $name: 'Español', $dir: 'ltr' }, { $code: 'fr', $name: 'Français', $dir: 'ltr' }, { $code: 'ar', $name: 'العربية', $dir: 'rtl' });
// Each module registers itself as it loads.
registerTranslationLoaders('*', { es: () => import('./es.js'), fr: () => import('./fr.js'), ar: () => import('./ar.js') });
