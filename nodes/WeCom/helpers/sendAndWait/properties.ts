/**
 * The fields of Send and Wait for Response, with n8n's parameter names and values (n8n-nodes-base keeps its own
 * copy in utils/sendAndWait, which community packages cannot import): `message`, `responseType`
 * (approval | freeText | customForm), `approvalOptions.values`, `defineForm` + `formFields.values` / `jsonOutput`,
 * and `options` with `limitWaitTime.values` and the form labels. n8n's Human review tool (…HitlTool) hides
 * resource, operation and responseType and replaces `message`, so those names matter.
 */
import type { INodeProperties } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { updateDisplayOptions } from '../displayOptions';

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'email', 'password', 'date', 'dropdown', 'checkbox', 'radio'] as const;

const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	placeholder: 'Add Limit',
	description: 'Whether to stop waiting after a while; the node then outputs its input items (no answer)',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Stop waiting after an amount of time' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Stop waiting at a date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const formFieldValues: INodeProperties[] = [
	{ displayName: 'Field Label', name: 'fieldLabel', type: 'string', default: '', placeholder: 'e.g. Amount', required: true },
	{
		displayName: 'Element Type',
		name: 'fieldType',
		type: 'options',
		default: 'text',
		options: [
			{ name: 'Checkboxes', value: 'checkbox' },
			{ name: 'Date', value: 'date' },
			{ name: 'Dropdown List', value: 'dropdown' },
			{ name: 'Email', value: 'email' },
			{ name: 'Number', value: 'number' },
			{ name: 'Password', value: 'password' },
			{ name: 'Radio Buttons', value: 'radio' },
			{ name: 'Text', value: 'text' },
			{ name: 'Textarea', value: 'textarea' },
		],
	},
	{
		displayName: 'Placeholder',
		name: 'placeholder',
		type: 'string',
		default: '',
		displayOptions: { hide: { fieldType: ['dropdown', 'date', 'checkbox', 'radio'] } },
	},
	{
		displayName: 'Field Options',
		name: 'fieldOptions',
		placeholder: 'Add Field Option',
		type: 'fixedCollection',
		default: { values: [{ option: '' }] },
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { fieldType: ['dropdown', 'checkbox', 'radio'] } },
		options: [{ displayName: 'Values', name: 'values', values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }] }],
	},
	{ displayName: 'Required Field', name: 'requiredField', type: 'boolean', default: false, description: 'Whether the form can only be sent with this field filled in' },
];

function sendAndWaitFields(answerModes: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			placeholder: 'e.g. Approval required',
			description: 'The card title (main_title); "Approval required" when empty',
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { rows: 4 },
			description: 'What the person is asked; shown on the card and at the top of the response form',
		},
		{
			displayName: 'Response Type',
			name: 'responseType',
			type: 'options',
			default: 'approval',
			options: [
				{ name: 'Approval', value: 'approval', description: 'The person approves (or declines) from the card' },
				{ name: 'Free Text', value: 'freeText', description: 'The person answers in a form with one text box' },
				{ name: 'Custom Form', value: 'customForm', description: 'The person fills in a form you define' },
			],
		},
		...(answerModes
			? [
					{
						displayName: 'Answer With',
						name: 'answerWith',
						type: 'options',
						default: 'links',
						displayOptions: { show: { responseType: ['approval'] } },
						options: [
							{
								name: 'Links to the Approval Page',
								value: 'links',
								description: "Links on the card open n8n's approval page in WeCom's browser; needs n8n reachable from the users' phones",
							},
							{
								name: 'Card Buttons (via WeCom Trigger)',
								value: 'buttons',
								description: "One tap in the card (button_interaction); needs the app's callbacks going to a published WeCom Trigger",
							},
						],
					} satisfies INodeProperties,
					{
						displayName:
							"Native buttons: the app's callback URL (接收消息) must point to a published workflow with a WeCom Trigger using the WeCom Callback API credential selected here. The trigger checks each click and resumes this execution; the card then shows who answered.",
						name: 'buttonsNotice',
						type: 'notice',
						default: '',
						displayOptions: { show: { responseType: ['approval'], answerWith: ['buttons'] } },
					} satisfies INodeProperties,
				]
			: []),
		{
			displayName: 'Approval Options',
			name: 'approvalOptions',
			type: 'fixedCollection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { responseType: ['approval'] } },
			options: [
				{
					displayName: 'Values',
					name: 'values',
					values: [
						{
							displayName: 'Type of Approval',
							name: 'approvalType',
							type: 'options',
							default: 'single',
							options: [
								{ name: 'Approve Only', value: 'single' },
								{ name: 'Approve and Disapprove', value: 'double' },
							],
						},
						{ displayName: 'Approve Button Label', name: 'approveLabel', type: 'string', default: 'Approve' },
						{
							displayName: 'Disapprove Button Label',
							name: 'disapproveLabel',
							type: 'string',
							default: 'Decline',
							displayOptions: { show: { approvalType: ['double'] } },
						},
					],
				},
			],
		},
		...updateDisplayOptions({ show: { responseType: ['customForm'] } }, [
			{
				displayName: 'Define Form',
				name: 'defineForm',
				type: 'options',
				noDataExpression: true,
				default: 'fields',
				options: [
					{ name: 'Using Fields Below', value: 'fields' },
					{ name: 'Using JSON', value: 'json' },
				],
			},
			{
				displayName: 'Form Elements',
				name: 'formFields',
				placeholder: 'Add Form Element',
				type: 'fixedCollection',
				default: {},
				typeOptions: { multipleValues: true, sortable: true },
				displayOptions: { show: { defineForm: ['fields'] } },
				options: [{ displayName: 'Values', name: 'values', values: formFieldValues }],
			},
			{
				displayName: 'Form Fields',
				name: 'jsonOutput',
				type: 'json',
				typeOptions: { rows: 5 },
				default: '[\n  {\n    "fieldLabel": "Amount",\n    "fieldType": "number",\n    "requiredField": true\n  }\n]',
				description: 'An array of fields as n8n\'s Form node takes them: fieldLabel, fieldType, requiredField, placeholder, fieldOptions',
				displayOptions: { show: { defineForm: ['json'] } },
			},
		]),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { responseType: ['approval'] } },
			options: [limitWaitTimeOption],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { responseType: ['freeText', 'customForm'] } },
			options: [
				{ displayName: 'Message Button Label', name: 'messageButtonLabel', type: 'string', default: 'Respond' },
				{
					displayName: 'Response Form Title',
					name: 'responseFormTitle',
					type: 'string',
					default: '',
					description: 'Title of the form the person opens to answer',
				},
				{
					displayName: 'Response Form Description',
					name: 'responseFormDescription',
					type: 'string',
					default: '',
					description: 'Text above the form; the message when empty',
				},
				{ displayName: 'Response Form Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Submit' },
				limitWaitTimeOption,
			],
		},
	];
}

/**
 * The operation's fields for `resource`, after `targetFields` (the recipients). `answerModes` adds the choice
 * between links and native card buttons (app messages only: group robots cannot send button cards).
 */
export function sendAndWaitProperties(resource: string, targetFields: INodeProperties[], answerModes: boolean): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [SEND_AND_WAIT_OPERATION] } }, [
		...targetFields,
		...sendAndWaitFields(answerModes),
	]);
}

/** The tooltip n8n shows on the node while the execution waits. */
export const SEND_AND_WAIT_TOOLTIP = 'Waiting for an answer in WeCom: the execution goes on when the person answers (or the wait time ends)';
