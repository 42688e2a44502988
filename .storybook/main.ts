import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';
import { mergeConfig } from 'vite';

// The elements declare their properties with `static properties`, not decorators, so Vite's own
// TypeScript transform is enough (Vite 8 does not lower TC39 decorators).
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  // Docs pages from custom-elements.json (see preview.ts), and axe in the Accessibility panel.
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // y-webrtc imports simple-peer's UMD build: use our native peer instead, as the embed does (rollup.config.js).
  viteFinal: (vite) =>
    mergeConfig(vite, {
      resolve: {
        alias: [{ find: 'simple-peer/simplepeer.min.js', replacement: fileURLToPath(new URL('../src/room/peer/native-peer.ts', import.meta.url)) }],
      },
    }),
};

export default config;
