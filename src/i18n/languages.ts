// The languages this package ships beyond English (which is always there): their shared sections.
// Each widget's strings module imports this, so a page that loads one widget alone
// (`gather-widgets/poll`) still has its status line in Spanish, French and Arabic.
import { ar } from './ar.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { registerTranslation } from './registry.js';

registerTranslation(es, fr, ar);
