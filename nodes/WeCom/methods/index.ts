import * as approvalMapping from './approvalMapping';
import * as loadOptions from './loadOptions';

export const methods = { loadOptions, resourceMapping: { ...approvalMapping } };
