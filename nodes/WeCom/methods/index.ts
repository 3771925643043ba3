import * as loadOptions from './loadOptions';

export const methods = { loadOptions };
