// Child script, run with n8n's Node 24 (its sqlite3 addon is built for it): publishes workflows in n8n's SQLite
// database the way `n8n publish:workflow --id=<id>` does in n8n 2.41 (WorkflowRepository.publishVersion: the
// workflow must exist, not be archived and have its current versionId in workflow_history; then active = true and
// activeVersionId = versionId), all of them in one statement. Each CLI call boots n8n (5-30 s depending on the load);
// a scenario publishing six workflows paid that six times. Run before n8n starts, as the CLI is.
//
// Input (argv[2], JSON): { n8nDir, dbPath, ids: string[] }. Exits non-zero unless every workflow was published.
'use strict';

const { createRequire } = require('node:module');
const path = require('node:path');

const { n8nDir, dbPath, ids } = JSON.parse(process.argv[2]);
const sqlite3 = createRequire(path.join(n8nDir, 'package.json'))('sqlite3');
const db = new sqlite3.Database(dbPath, sqlite3.OPEN_READWRITE);
db.configure('busyTimeout', 5000);
const marks = ids.map(() => '?').join(',');
const sql = `UPDATE workflow_entity SET active = 1, activeVersionId = versionId
	WHERE id IN (${marks}) AND isArchived = 0
	  AND EXISTS (SELECT 1 FROM workflow_history h WHERE h.workflowId = workflow_entity.id AND h.versionId = workflow_entity.versionId)`;
db.run(sql, ids, function done(err) {
	const changes = err ? 0 : this.changes;
	db.close(() => {
		if (err) {
			console.error(`publishing ${ids.join(', ')} failed: ${err.message}`);
			process.exit(1);
		}
		if (changes !== ids.length) {
			console.error(`published ${changes} of ${ids.length} workflows (${ids.join(', ')}): missing, archived or without history`);
			process.exit(1);
		}
	});
});
