// Issue 9 in the editor: the user, department and tag resource locators list the sandbox's directory ("From list",
// listSearch through the credential) and search it by name.
import assert from 'node:assert/strict';
import { PACKAGE, WAIT_MS, closeNode, eventually, openNode, openWorkflow, sandboxApp, texts } from './ui.mjs';

export const title = 'contacts: user, department and tag locators list and search the sandbox directory';

const ID = 'editorContacts00';

export function prepare({ node, workflow, sandbox }) {
	const app = sandboxApp(sandbox.url);
	const wecom = (name, parameters) => node(name, `${PACKAGE}.weCom`, 1, parameters, { credentials: app.ref });
	const fromList = { __rl: true, mode: 'list', value: '' };
	return {
		credentials: [app.record],
		workflows: [
			workflow({
				id: ID,
				name: 'Editor: contacts pickers',
				nodes: [
					node('Start', 'n8n-nodes-base.manualTrigger', 1),
					wecom('Get user', { resource: 'user', operation: 'get', userId: fromList }),
					wecom('Get department', { resource: 'department', operation: 'get', departmentId: fromList }),
					wecom('Tag members', { resource: 'tag', operation: 'getMembers', tagId: fromList }),
				],
				edges: [['Start', 'Get user'], ['Start', 'Get department'], ['Start', 'Tag members']],
			}),
		],
	};
}

/** Opens the node's only locator list, reads the full list, then a search, and picks the first match. */
async function pick(page, shot, nodeName, { all, search, expected }) {
	const ndv = await openNode(page, nodeName);
	await ndv.getByTestId('rlc-input').click({ timeout: WAIT_MS });
	const items = page.getByTestId('rlc-item');
	const listed = await eventually(`${nodeName}: the list`, () => texts(items), all);
	await page.getByTestId('rlc-search').fill(search, { timeout: WAIT_MS });
	const same = (list) => JSON.stringify(list) === JSON.stringify(expected);
	const found = await eventually(`${nodeName}: search "${search}" (expected ${expected.join(', ')})`, () => texts(items), same);
	await shot(`locator-${nodeName}`);
	await items.first().click();
	await closeNode(page);
	return { listed, found };
}

export async function check({ page, n8n, shot }) {
	await openWorkflow(page, n8n, ID);
	const users = await pick(page, shot, 'Get user', {
		all: (list) => list.includes('张三 (zhangsan)') && list.includes('李四 (lisi)'),
		search: '李',
		expected: ['李四 (lisi)'],
	});
	assert.ok(users.listed.length >= 5, users.listed.join(', '));
	// Departments in tree order: the root first, each parent before its sub-departments (1组 before 10组).
	const departments = await pick(page, shot, 'Get department', {
		all: (list) => list.length >= 20,
		search: '研发',
		expected: ['研发部 (2)', '研发部1组 (11)', '研发部10组 (20)'],
	});
	assert.equal(departments.listed[0], '沙箱科技 (1)');
	await pick(page, shot, 'Tag members', { all: (list) => list.includes('值班 (2)'), search: '值', expected: ['值班 (2)'] });
}
