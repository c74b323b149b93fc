// Registers the service worker that makes Batch Lab work offline after the first visit.
// Kept in its own file (not inline) so the Content-Security-Policy can forbid inline script.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('sw.js').catch((err) => {
      console.warn('Batch Lab: offline support is unavailable:', err && err.message);
    });
  });
}
