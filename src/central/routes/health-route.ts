import type { CentralPlugin } from './central-plugin.js';

/** GET /healthz: the server answers only after its migrations ran, so an answer means ready. */
export const healthRoute: CentralPlugin = (app, _options, done) => {
  app.get('/healthz', { config: { access: 'public' } }, () => ({ status: 'ok' }));
  done();
};
