import type { StorybookConfig } from '@storybook/web-components-vite';

// The elements declare their properties with `static properties`, not decorators, so Vite's own
// TypeScript transform is enough (Vite 8 does not lower TC39 decorators).
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
};

export default config;
