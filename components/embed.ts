// The one-file embed, dist/gather.js:
//   <script type="module" src=".../gather.js" data-signaling="wss://…/signal"></script>
import './embed-options.js'; // first: the page's options must be set before any element upgrades
export * from './index.js';
