// Free TCP ports on 127.0.0.1, so parallel runs (and n8n's task broker) never collide.
import { createServer } from 'node:net';

/** @returns {Promise<number>} a port that was free a moment ago */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}
