// A tiny local file server for the demo's "file to department" example: the HTTP Request node
// downloads from it, so the demo needs no internet. Runs inside the demo process (no child to leak).
import { createServer } from 'node:http';

export const DEMO_FILE_NAME = 'weekly-report.csv';

/** The demo file's bytes: a small CSV, different each run (the date), so a test can compare what WeCom received. */
export function demoFileContent(now = new Date()) {
	const day = now.toISOString().slice(0, 10);
	return Buffer.from(
		[
			'week,team,tickets_closed,incidents,uptime',
			`${day},R&D 研发部,42,1,99.95%`,
			`${day},Operations 运维部,57,0,100%`,
			`${day},Support 客服部,131,2,99.90%`,
			'',
		].join('\n'),
		'utf8',
	);
}

/**
 * @param {{ port?: number }} [opts]
 * @returns {Promise<{ url: string; fileUrl: string; content: Buffer; downloads(): number; close(): Promise<void> }>}
 */
export async function startFileServer(opts = {}) {
	const content = demoFileContent();
	let downloads = 0;
	const server = createServer((req, res) => {
		if (req.method === 'GET' && req.url === `/${DEMO_FILE_NAME}`) {
			downloads++;
			res.writeHead(200, {
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Length': content.length,
				'Content-Disposition': `attachment; filename="${DEMO_FILE_NAME}"`,
			});
			res.end(content);
			return;
		}
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		res.end('not found');
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		fileUrl: `${url}/${DEMO_FILE_NAME}`,
		content,
		downloads: () => downloads,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
