import { describeNetworkError, redactSecrets } from '../../nodes/shared/networkError';

describe('describeNetworkError', () => {
	it('names an HTTP status and a socket error code once each', () => {
		expect(describeNetworkError({ response: { status: 502 }, code: 'ERR_BAD_RESPONSE' })).toBe('HTTP 502 ERR_BAD_RESPONSE');
		// n8n copies a socket error's code into httpCode: that is not an HTTP status
		expect(describeNetworkError({ httpCode: 'ECONNRESET', code: 'ECONNRESET' })).toBe('ECONNRESET');
		expect(describeNetworkError({ cause: { code: 'ETIMEDOUT' } })).toBe('ETIMEDOUT');
	});

	it('falls back to a message with secrets removed', () => {
		const text = describeNetworkError({ message: 'GET http://x/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cr3t failed' });
		expect(text).not.toContain('s3cr3t');
		expect(text).toContain('corpsecret=***');
		expect(redactSecrets('a?access_token=abc&key=def')).toBe('a?access_token=***&key=***');
	});
});
