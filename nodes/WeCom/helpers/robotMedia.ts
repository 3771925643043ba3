/**
 * Files for group robots: images travel inline (base64 + md5 of the raw bytes); files and voice are uploaded
 * through the robot's own upload endpoint (webhook/upload_media), whose media_id only that robot can send.
 */
import { createHash } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import { weComRobotRequest } from '../transport/robot';
import type { UploadFile } from '../transport/multipart';
import { MEDIA_RULES, checkMediaFile, type MediaRule } from './media';

const MB = 1024 * 1024;

export type RobotMediaType = 'file' | 'voice';

/** Robot image messages: JPG or PNG, at most 2 MB before base64 encoding (path 91770). */
export const ROBOT_IMAGE_RULE: MediaRule = {
	maxBytes: 2 * MB,
	formats: ['jpg', 'png'],
	label: 'Group robot image: JPG or PNG, at most 2 MB before base64 encoding',
};

/** webhook/upload_media: file 5 B–20 MB; voice AMR at most 2 MB and 60 seconds (same as app media). */
export const ROBOT_UPLOAD_RULES: Record<RobotMediaType, MediaRule> = {
	file: MEDIA_RULES.file,
	voice: MEDIA_RULES.voice,
};

/** The `image` object of a robot message, after checking size and format. */
export function robotImagePayload(ctx: IExecuteFunctions, file: UploadFile, itemIndex: number): { base64: string; md5: string } {
	checkMediaFile(ctx, file, ROBOT_IMAGE_RULE, itemIndex);
	return { base64: file.data.toString('base64'), md5: createHash('md5').update(file.data).digest('hex') };
}

export interface RobotUpload {
	media_id: string;
	type: string;
	created_at: string;
}

/** Uploads a file or voice message for this robot (valid 3 days) after checking size and format. */
export async function uploadRobotMedia(
	ctx: IExecuteFunctions,
	type: RobotMediaType,
	file: UploadFile,
	itemIndex: number,
): Promise<RobotUpload> {
	checkMediaFile(ctx, file, ROBOT_UPLOAD_RULES[type], itemIndex);
	const answer = await weComRobotRequest.call(ctx, { endpoint: 'webhook/upload_media', qs: { type }, upload: file, itemIndex });
	return { media_id: String(answer.media_id), type: String(answer.type ?? type), created_at: String(answer.created_at ?? '') };
}
