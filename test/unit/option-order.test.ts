import { byName, departmentLabel, departmentTree, parentDescription } from '../../nodes/WeCom/methods/optionOrder';

describe('departmentTree', () => {
	const list = [
		{ id: 3, name: '市场部', parentid: 1 },
		{ id: 11, name: '研发一组', parentid: 2 },
		{ id: 1, name: '沙箱科技', parentid: 0 },
		{ id: 2, name: '研发部', parentid: 1 },
		{ id: 4, name: '财务部', parentid: 1 },
		{ id: 12, name: 'Backend', parentid: 2 },
	];

	it('orders depth-first, siblings by name (pinyin for Chinese, then Latin; not character code)', () => {
		const tree = departmentTree(list);
		expect(tree.map((department) => department.name)).toEqual(['沙箱科技', '财务部', '市场部', '研发部', '研发一组', 'Backend']);
		expect(tree.map((department) => department.depth)).toEqual([0, 1, 1, 1, 2, 2]);
		// By character code 研 (U+7814) sorts before 财 (U+8D22); by pinyin cai < shi < yan.
		expect('研发部' < '财务部').toBe(true);
	});

	it('describes the parent by name, and a department whose parent is not visible as the top', () => {
		const tree = departmentTree(list.filter((department) => department.id !== 1));
		const rnd = tree.find((department) => department.id === '11')!;
		expect(parentDescription(rnd)).toBe('Parent: 研发部 (2)');
		expect(parentDescription(tree.find((department) => department.id === '2')!)).toBe('Top-level department');
		expect(departmentLabel(rnd)).toBe('研发一组 (11)');
	});

	it('works with IDs only (department/simplelist) and does not lose departments in a cycle', () => {
		const tree = departmentTree([
			{ id: 5, parentid: 1 },
			{ id: 1, parentid: 0 },
			{ id: 7, parentid: 8 },
			{ id: 8, parentid: 7 },
		]);
		expect(tree.map((department) => department.id)).toEqual(['1', '5', '7', '8']);
		expect(departmentLabel(tree[1])).toBe('Department 5');
		expect(parentDescription(tree[1])).toBe('Parent: department 1');
	});
});

describe('byName', () => {
	it('sorts tags and users as Chinese readers expect', () => {
		const names = ['研发', '值班', '管理层', '告警接收人', '外包'].map((name) => ({ name }));
		expect(names.sort(byName).map(({ name }) => name)).toEqual(['告警接收人', '管理层', '外包', '研发', '值班']);
	});
});
