// Child script, run with n8n's Node 24 (its sqlite3 addon is built for it): publishes workflows in n8n's database the
// way `n8n publish:workflow --id=<id>` does in n8n 2.41 (WorkflowRepository.publishVersion: the workflow must exist,
// not be archived and have its current versionId in workflow_history; then active = true and activeVersionId =
// versionId), all of them in one statement. Each CLI call boots n8n (5-30 s depending on the load); a scenario
// publishing six workflows paid that six times. Run before the n8n processes start, as the CLI is.
//
// Input (argv[2], JSON): { n8nDir, ids: string[], dbPath | postgres: { host, port, user, database } } (SQLite, or
// PostgreSQL for queue mode through n8n's own `pg`). Exits non-zero unless every workflow was published.
'use strict';

const { createRequire } = require('node:module');
const path = require('node:path');

const { n8nDir, dbPath, postgres, ids } = JSON.parse(process.argv[2]);
const n8nRequire = createRequire(path.join(n8nDir, 'package.json'));

/** The statement in each dialect: PostgreSQL needs n8n's camelCase columns quoted, SQLite takes them as they are. */
const SQL = {
	sqlite: `UPDATE workflow_entity SET active = 1, activeVersionId = versionId
		WHERE id IN (${ids.map(() => '?').join(',')}) AND isArchived = 0
		  AND EXISTS (SELECT 1 FROM workflow_history h WHERE h.workflowId = workflow_entity.id AND h.versionId = workflow_entity.versionId)`,
	postgres: `UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId"
		WHERE w.id = ANY($1) AND NOT w."isArchived"
		  AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId")`,
};

/** Runs the update; resolves with the number of workflows it published. */
async function publish() {
	if (postgres) {
		const { Client } = n8nRequire('pg');
		const client = new Client({ ...postgres, password: postgres.password || undefined });
		await client.connect();
		try {
			return (await client.query(SQL.postgres, [ids])).rowCount;
		} finally {
			await client.end();
		}
	}
	const sqlite3 = n8nRequire('sqlite3');
	const db = new sqlite3.Database(dbPath, sqlite3.OPEN_READWRITE);
	db.configure('busyTimeout', 5000);
	try {
		return await new Promise((resolve, reject) => db.run(SQL.sqlite, ids, function done(err) { err ? reject(err) : resolve(this.changes); }));
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}

publish().then(
	(published) => {
		if (published === ids.length) return;
		console.error(`published ${published} of ${ids.length} workflows (${ids.join(', ')}): missing, archived or without history`);
		process.exit(1);
	},
	(err) => {
		console.error(`publishing ${ids.join(', ')} failed: ${err.message}`);
		process.exit(1);
	},
);
