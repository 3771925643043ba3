import type { INodePropertyOptions } from 'n8n-workflow';

/** Filter values: "message.<msgtype>" / "event.<eventtype>" with WeCom's spelling. */
export const AIBOT_TRIGGER_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Event: Card Click (模板卡片事件)', value: 'event.template_card_event', action: 'On template card click (模板卡片事件)', description: 'A button, vote or selection on a card the bot sent; answer with Update Template Card within 5 s' },
	{ name: 'Event: Enter Chat (进入会话)', value: 'event.enter_chat', action: 'On user entering the chat (进入会话)', description: 'A user opened the single chat with the bot for the first time today; answer with Welcome Message within 5 s' },
	{ name: 'Event: Feedback (用户反馈)', value: 'event.feedback_event', action: 'On answer feedback (用户反馈)', description: 'A user marked an answer accurate or inaccurate' },
	{ name: 'Message: File (文件)', value: 'message.file', action: 'On file message (文件)', description: 'Single chat only; the file arrives decrypted as binary data' },
	{ name: 'Message: Image (图片)', value: 'message.image', action: 'On image message (图片)', description: 'The image arrives decrypted as binary data' },
	{ name: 'Message: Mixed (图文混排)', value: 'message.mixed', action: 'On mixed text and image message (图文混排)', description: 'Text parts joined in text; images as binary data' },
	{ name: 'Message: Text (文本)', value: 'message.text', action: 'On text message (文本)', description: 'In group chats, the messages that @mention the bot; text comes without the mention' },
	{ name: 'Message: Video (视频)', value: 'message.video', action: 'On video message (视频)', description: 'Single chat only; the video arrives decrypted as binary data' },
	{ name: 'Message: Voice (语音)', value: 'message.voice', action: 'On voice message (语音)', description: 'WeCom transcribes voice; the transcript arrives in text' },
];

export function splitTriggerOn(values: string[]): { messageTypes: string[]; eventTypes: string[] } {
	const messageTypes: string[] = [];
	const eventTypes: string[] = [];
	for (const value of values) {
		if (value.startsWith('message.')) messageTypes.push(value.slice('message.'.length));
		else if (value.startsWith('event.')) eventTypes.push(value.slice('event.'.length));
	}
	return { messageTypes, eventTypes };
}
