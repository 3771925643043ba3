/** The small HTML pages the send-and-wait webhook answers with (WeCom's in-app browser shows them). */

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, text: string): string {
	return (
		'<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8" />' +
		'<meta name="viewport" content="width=device-width, initial-scale=1.0" />' +
		`<title>${escapeHtml(title)}</title>` +
		'<style>body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f6f8;margin:0;padding:48px 16px;color:#1f2329}' +
		'.card{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:32px 24px;text-align:center;box-shadow:0 2px 8px rgba(0,0,0,.06)}' +
		'h1{font-size:20px;margin:0 0 12px}p{margin:0;color:#646a73}</style></head>' +
		`<body><div class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div></body></html>`
	);
}

export const ANSWER_RECORDED_PAGE = page('Got it, thanks', 'Your answer has been recorded. You can close this page.');

export const USE_CARD_BUTTONS_PAGE = page('Answer in WeCom', 'This request is answered with the buttons on its card in WeCom.');

export function refusedPage(reason: string): string {
	return page('This answer was not accepted', reason);
}

/** The card body's page for approvals: the question and one link per answer. */
export function choicesPage(title: string, message: string, links: Array<{ label: string; url: string }>): string {
	const buttons = links
		.map((link) => `<a href="${escapeHtml(link.url)}" style="display:inline-block;margin:16px 6px 0;padding:10px 20px;border-radius:6px;background:#1677ff;color:#fff;text-decoration:none">${escapeHtml(link.label)}</a>`)
		.join('');
	return page(title, message).replace('</p></div>', `</p><div>${buttons}</div></div>`);
}
