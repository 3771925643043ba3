import * as approvalMapping from './approvalMapping';
import * as contactsSearch from './contactsSearch';
import * as loadOptions from './loadOptions';

export const methods = { loadOptions, listSearch: { ...contactsSearch }, resourceMapping: { ...approvalMapping } };
