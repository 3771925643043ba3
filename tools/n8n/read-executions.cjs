// Child script, run with n8n's Node 24: reads executions straight from n8n's SQLite database
// using the sqlite3 addon and the flatted decoder from n8n's own node_modules (both are built
// for Node 24, which is why this is not done in the Node 20 orchestrator).
//
// Input (argv[2], JSON): { n8nDir, dbPath | postgres: { host, port, user, database }, workflowId?, ids?, status?, sinceId?, withData? }
// (PostgreSQL for queue mode, through n8n's own `pg`.)
// Output (stdout, JSON): Execution[] ordered by id ascending.
'use strict';

const { createRequire } = require('node:module');
const path = require('node:path');

const opts = JSON.parse(process.argv[2]);
const n8nRequire = createRequire(path.join(opts.n8nDir, 'package.json'));
const { parse: parseFlatted } = n8nRequire('flatted');

function all(db, sql, params) {
	return new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
}

/** n8n keeps each node's runs as taskData[]; the last run's items are what a test looks at. */
function summarise(runData) {
	const data = {};
	const outputs = {};
	for (const [nodeName, runs] of Object.entries(runData || {})) {
		const last = runs[runs.length - 1];
		const main = (last && last.data && last.data.main) || [];
		outputs[nodeName] = main.map((items) => (items || []).map((item) => item.json));
		data[nodeName] = outputs[nodeName].flat();
	}
	return { data, outputs };
}

/** Runs `sql` (with `?` placeholders) on SQLite or PostgreSQL; PostgreSQL gets quoted camelCase identifiers. */
async function query(sql, params) {
	if (opts.postgres) {
		const { Client } = n8nRequire('pg');
		const client = new Client({ ...opts.postgres, password: opts.postgres.password || undefined });
		await client.connect();
		try {
			let n = 0;
			const pgSql = sql.replace(/\?/g, () => `$${++n}`).replace(/\b(workflowId|startedAt|stoppedAt|executionId)\b/g, '"$1"');
			return (await client.query(pgSql, params)).rows;
		} finally {
			await client.end();
		}
	}
	const sqlite3 = n8nRequire('sqlite3');
	const db = new sqlite3.Database(opts.dbPath, sqlite3.OPEN_READONLY);
	db.configure('busyTimeout', 5000);
	try {
		return await all(db, sql, params);
	} finally {
		db.close();
	}
}

async function main() {
	const where = [];
	const params = [];
	if (opts.workflowId) {
		where.push('e.workflowId = ?');
		params.push(String(opts.workflowId));
	}
	if (opts.status) {
		where.push('e.status = ?');
		params.push(opts.status);
	}
	if (opts.ids && opts.ids.length) {
		where.push(`e.id IN (${opts.ids.map(() => '?').join(',')})`);
		params.push(...opts.ids.map(String));
	}
	if (opts.sinceId) {
		where.push('CAST(e.id AS INTEGER) > ?');
		params.push(Number(opts.sinceId));
	}
	const withData = opts.withData !== false;
	const sql = `SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt${withData ? ', d.data' : ''}
		FROM execution_entity e ${withData ? 'LEFT JOIN execution_data d ON d.executionId = e.id' : ''}
		${where.length ? `WHERE ${where.join(' AND ')}` : ''}
		ORDER BY CAST(e.id AS INTEGER) ASC`;
	const rows = await query(sql, params);
	const out = rows.map((row) => {
		const execution = {
			id: String(row.id),
			workflowId: row.workflowId,
			status: row.status,
			mode: row.mode,
			finished: Boolean(row.finished),
			startedAt: row.startedAt,
			stoppedAt: row.stoppedAt,
		};
		if (withData) {
			const run = row.data ? parseFlatted(row.data) : undefined;
			const resultData = (run && run.resultData) || {};
			const { data, outputs } = summarise(resultData.runData);
			Object.assign(execution, {
				data,
				outputs,
				lastNodeExecuted: resultData.lastNodeExecuted,
				error: resultData.error ? { message: resultData.error.message, description: resultData.error.description, node: resultData.error.node && resultData.error.node.name } : undefined,
				runData: resultData.runData || {},
			});
		}
		return execution;
	});
	process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
	process.stderr.write(String((e && e.stack) || e));
	process.exit(1);
});
