import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../helpers/displayOptions';
import { listEndpoint } from '../../helpers/endpoint';
import { returnAllFields } from '../../helpers/listing';

const properties: INodeProperties[] = returnAllFields('tag', ['getAll'], { maxLimit: 3000 });

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['getAll'] } }, properties);

/** Every tag of the company (获取标签列表, tag/list), one item each. */
export const execute = listEndpoint({ method: 'GET', endpoint: 'tag/list', request: () => ({}), records: 'taglist' });
