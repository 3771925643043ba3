import * as loadOptions from './loadOptions';
import { weComAiBotApiTest } from './aiBotCredentialTest';

export const methods = { loadOptions, credentialTest: { weComAiBotApiTest } };
