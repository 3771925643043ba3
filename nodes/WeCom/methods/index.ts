import * as approvalMapping from './approvalMapping';
import * as contactsSearch from './contactsSearch';
import * as loadOptions from './loadOptions';
import { weComAiBotApiTest } from './aiBotCredentialTest';

export const methods = { loadOptions, listSearch: { ...contactsSearch }, resourceMapping: { ...approvalMapping }, credentialTest: { weComAiBotApiTest } };
