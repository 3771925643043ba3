import * as approvalMapping from './approvalMapping';
import * as loadOptions from './loadOptions';
import { weComAiBotApiTest } from './aiBotCredentialTest';

export const methods = { loadOptions, resourceMapping: { ...approvalMapping }, credentialTest: { weComAiBotApiTest } };
