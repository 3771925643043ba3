import { BinaryDataService } from 'n8n-core';
import { Container } from '@n8n/di';
import type { IBinaryData } from 'n8n-workflow';

import { setupEngine } from './engine';

/** The bytes of an output item's binary property, read the way n8n reads them. */
export async function readBinary(binary: IBinaryData | undefined): Promise<Buffer> {
	if (!binary) throw new Error('No binary data given');
	setupEngine();
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
