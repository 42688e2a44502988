import { lazyModule } from '../shared/sync-loader.js';

/** The thread's model code (model.ts), loaded once with `import()`: the element paints before it comes. */
export const threadModel = lazyModule(() => import('./model.js'));
