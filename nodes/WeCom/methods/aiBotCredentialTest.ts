import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { testLongConnection } from '../../WeComAiBotTrigger/longConnection';

/** The long-connection credential's test, shared with the WeCom AI Bot Trigger: subscribe once, report WeCom's answer. */
export async function weComAiBotApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await testLongConnection(credential.data ?? {});
}
