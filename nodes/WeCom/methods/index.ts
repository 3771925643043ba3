import * as approvalMapping from './approvalMapping';
import * as contactsSearch from './contactsSearch';
import * as loadOptions from './loadOptions';
import { weComAiBotApiTest } from './aiBotCredentialTest';
import { getColumns } from './smartsheetMapping';
import { getSheetColumns, searchSheets } from './smartsheetSearch';

export const methods = {
	loadOptions: { ...loadOptions, getSheetColumns },
	listSearch: { ...contactsSearch, searchSheets },
	resourceMapping: { ...approvalMapping, getColumns },
	credentialTest: { weComAiBotApiTest },
};
