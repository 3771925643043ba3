import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../types';
import * as addField from './addField.operation';
import * as addSheet from './addSheet.operation';
import * as deleteField from './deleteField.operation';
import * as deleteSheet from './deleteSheet.operation';
import * as getFields from './getFields.operation';
import * as getSheets from './getSheets.operation';
import * as getViews from './getViews.operation';
import * as renameSheet from './renameSheet.operation';
import * as updateField from './updateField.operation';

export const operations: OperationMap = { getSheets, addSheet, renameSheet, deleteSheet, getViews, getFields, addField, updateField, deleteField };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['smartsheet'] } },
		options: [
			{ name: 'Add Field', value: 'addField', action: 'Add a field to a sheet', description: 'Add a column (字段) with its type and settings' },
			{ name: 'Add Sheet', value: 'addSheet', action: 'Add a sheet to a document', description: 'Add an empty sheet (子表)' },
			{ name: 'Delete Field', value: 'deleteField', action: 'Delete fields of a sheet', description: 'Delete columns and their cells' },
			{ name: 'Delete Sheet', value: 'deleteSheet', action: 'Delete a sheet', description: 'Delete a sheet and all its records' },
			{ name: 'Get Many Fields', value: 'getFields', action: 'Get many fields of a sheet', description: 'List the columns with their types and settings' },
			{ name: 'Get Many Sheets', value: 'getSheets', action: 'Get many sheets of a document', description: 'List the sheets of a document' },
			{ name: 'Get Many Views', value: 'getViews', action: 'Get many views of a sheet', description: 'List the views (视图) of a sheet' },
			{ name: 'Rename Sheet', value: 'renameSheet', action: 'Rename a sheet', description: 'Give a sheet a new title' },
			{ name: 'Update Field', value: 'updateField', action: 'Update a field of a sheet', description: 'Rename a column or change its settings (its type stays)' },
		],
		default: 'getSheets',
	},
	...getSheets.description,
	...addSheet.description,
	...renameSheet.description,
	...deleteSheet.description,
	...getViews.description,
	...getFields.description,
	...addField.description,
	...updateField.description,
	...deleteField.description,
];
