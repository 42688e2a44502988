/**
 * Gives the page its turn: a task of its own, after what the page has queued (a message, not a
 * timer, which browsers hold back 4 ms when nested; `scheduler.yield()` would continue ahead of
 * the page's timers and of IndexedDB's answers). A timer where there is no MessageChannel.
 */
export const yieldTask = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') return void setTimeout(resolve, 0);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
