const path = require('path');
const { src, dest, task } = require('gulp');

// n8n loads node and credential icons from next to the compiled .js files, which tsc does not copy.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	);
}

task('build:icons', copyIcons);
