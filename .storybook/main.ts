import type { StorybookConfig } from '@storybook/web-components-vite';
import { transform } from 'esbuild';

/**
 * Vite 8 transpiles TypeScript with Oxc, which leaves TC39 decorators (`@property() accessor x`)
 * in the output, and Chromium rejects them. Lower them with esbuild before Vite sees the file.
 */
const lowerDecorators = {
  name: 'gather-lower-decorators',
  enforce: 'pre' as const,
  async transform(code: string, id: string) {
    const path = id.split('?')[0];
    if (!/\/(components|src|stories)\/.*\.ts$/.test(path) || !code.includes('@')) return null;
    const result = await transform(code, { loader: 'ts', target: 'es2022', sourcemap: true, sourcefile: path });
    return { code: result.code, map: result.map };
  },
};

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  viteFinal: async (viteConfig) => ({ ...viteConfig, plugins: [lowerDecorators, ...(viteConfig.plugins ?? [])] }),
};

export default config;
