/** What both WeCom triggers share about a callback URL that is entered by hand in WeCom's admin console. */
import type { IHookFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/** Nothing to register through an API: the admin pastes the URL, so the webhook always "exists". */
export const manualWebhookMethods = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};

/** The credential test's answer for a Token/EncodingAESKey check (`problem` empty when they are well-formed). */
export function callbackCredentialResult(problem: string | undefined): INodeCredentialTestResult {
	return problem ? { status: 'Error', message: problem } : { status: 'OK', message: 'Token and EncodingAESKey are well-formed' };
}
