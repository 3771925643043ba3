const path = require('path');
const { src, dest, task, parallel } = require('gulp');

// n8n loads node and credential icons from next to the compiled .js files, which tsc does not copy.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	);
}

// The codex (aliases, categories, docs links) n8n reads from `<file>.node.json` next to `<file>.node.js`
// (n8n-core's DirectoryLoader.getCodex resolves `${filePath}on`); without it the node picker finds only the display name.
function copyCodex() {
	return src(['nodes/*/*.node.json'], { base: '.' }).pipe(dest(path.resolve('dist')));
}

task('build:assets', parallel(copyIcons, copyCodex));
