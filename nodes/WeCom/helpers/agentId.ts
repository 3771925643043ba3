import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readWeComCredential } from '../transport/credentialCache';

/** The agentid to send as: the override when set (non-zero), else the credential's Agent ID. */
export async function resolveAgentId(ctx: IExecuteFunctions, itemIndex: number, override?: unknown): Promise<number> {
	const fromOverride = Number(override ?? 0);
	if (Number.isFinite(fromOverride) && fromOverride > 0) return fromOverride;
	// The node run's copy of the credential (the transport's): a read per item would cost n8n a database query each.
	const { data: credentials } = await readWeComCredential(ctx, itemIndex);
	const agentId = Number(String(credentials.agentId ?? '').trim());
	if (!Number.isInteger(agentId) || agentId <= 0) {
		throw new NodeOperationError(ctx.getNode(), 'The WeCom credential has no valid Agent ID', {
			itemIndex,
			description: 'Fill in the AgentId of the app in the credential (应用管理 → your app), or set the Agent ID option.',
		});
	}
	return agentId;
}
