// Refreshes the vendored browser files under webroot/app/vendor from node_modules (after `npm ci`), so that the
// committed copies are exactly the published packages' files: `npm run vendor`, then commit.
import { copyFileSync } from 'node:fs';

const vendor = 'src/main/resources/webroot/app/vendor/';
const files = {
  'node_modules/sockjs-client/dist/sockjs.min.js': 'sockjs.min.js',
  'node_modules/sockjs-client/LICENSE': 'LICENSE.sockjs-client.txt',
  'node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js': 'vertx-eventbus.js',
};
for (const [from, to] of Object.entries(files)) {
  copyFileSync(from, vendor + to);
  console.log(`${from} -> ${vendor}${to}`);
}
