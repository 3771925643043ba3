/**
 * WeCom (企业微信) error codes with an English explanation and the fix.
 * One table for the action node, the credential test and the trigger, so every place explains a code the same way.
 * Unknown codes still surface with WeCom's own errmsg.
 */
export interface WeComErrorInfo {
	/** What the code means, in plain English. */
	meaning: string;
	/** What the user can do about it. */
	fix: string;
	/** Whether repeating the same call later can succeed (drives the transport's retry policy). */
	retryable?: boolean;
	/** The access token is missing, invalid or expired: refresh it once and repeat the call. */
	tokenProblem?: boolean;
}

export const WECOM_ERRORS: Readonly<Record<number, WeComErrorInfo>> = {
	[-1]: {
		meaning: 'WeCom is busy (系统繁忙)',
		fix: 'Try again in a moment; the node already retried with backoff.',
		retryable: true,
	},
	40001: {
		meaning: 'the app secret is wrong (不合法的secret参数)',
		fix: "Copy the Secret of this app again from the admin console (管理后台 → 应用管理 → your app → Secret); each app has its own secret.",
	},
	40003: {
		meaning: 'a user ID is invalid (无效的UserID)',
		fix: 'Use account IDs (账号) as shown in the contacts (通讯录), not names or mobile numbers.',
	},
	40004: {
		meaning: 'the media type is invalid (不合法的媒体文件类型)',
		fix: 'Upload images as JPG/PNG, voice as AMR, video as MP4, and pick the matching media type.',
	},
	40005: {
		meaning: 'the upload type is invalid (不合法的type参数)',
		fix: 'The media type must be image, voice, video or file, and match the file: image JPG/PNG, voice AMR, video MP4.',
	},
	40006: {
		meaning: 'the file size is invalid (不合法的文件大小)',
		fix: 'Files must be larger than 5 bytes and within the limit of their type (image 10 MB, voice 2 MB, video 10 MB, file 20 MB).',
	},
	40007: {
		meaning: 'the media_id is invalid (不合法的媒体文件id)',
		fix: 'Temporary media expire after 3 days and belong to the app that uploaded them; upload the file again.',
	},
	40009: {
		meaning: 'the image is too large (上传图片大小不是有效值)',
		fix: 'Images must be at most 10 MB (2 MB for permanent images and robot images).',
	},
	40011: {
		meaning: 'the video is too large (上传视频大小不是有效值)',
		fix: 'Videos must be MP4 files of at most 10 MB.',
	},
	40013: {
		meaning: 'the corp ID is wrong (不合法的CorpID)',
		fix: 'Copy the Corp ID (企业ID) from 管理后台 → 我的企业 → 企业信息 (it starts with "ww" or "wx").',
	},
	40014: {
		meaning: 'the access_token is invalid (不合法的access_token)',
		fix: 'The node refreshes the token and repeats the call once; if this persists, check that the credential belongs to this app.',
		tokenProblem: true,
	},
	40056: {
		meaning: 'the agent ID is invalid (不合法的agentid)',
		fix: 'Use the AgentId of the app whose Secret is in the credential (管理后台 → 应用管理 → your app).',
	},
	40058: {
		meaning: 'a parameter is invalid (不合法的参数)',
		fix: 'Check the fields named in WeCom\'s message below; IDs must be of the right kind and within limits.',
	},
	41001: {
		meaning: 'the access_token is missing (缺少access_token参数)',
		fix: 'The node fetches a token and repeats the call once; if this persists, check the API base URL (a proxy may drop the query string).',
		tokenProblem: true,
	},
	42001: {
		meaning: 'the access_token has expired (access_token已过期)',
		fix: 'The node refreshes the token and repeats the call once; this error only shows if the refresh itself failed.',
		tokenProblem: true,
	},
	43004: {
		meaning: 'the user is not bound to WeChat or does not follow the WeChat plugin (指定的userid未绑定微信或未关注微工作台)',
		fix: 'Ask the user to activate WeCom (or follow the WeChat plugin), or remove them from the recipients.',
	},
	44004: {
		meaning: 'the text content is empty (文本消息content参数为空)',
		fix: 'Fill in the message content; an expression may have resolved to an empty value.',
	},
	45002: {
		meaning: 'the content is too long (消息内容大小超过限制)',
		fix: 'Shorten the content; WeCom counts UTF-8 bytes (a Chinese character is 3 bytes).',
	},
	45009: {
		meaning: 'the API call frequency limit was reached (接口调用超过限制)',
		fix: 'Send fewer messages per minute (a group robot takes 20 a minute), spread bulk sends, or enable waiting for the rate limit.',
		retryable: true,
	},
	45033: {
		meaning: 'too many concurrent calls (接口并发调用超过限制)',
		fix: 'Lower the concurrency of the workflow (fewer parallel executions or batch items).',
		retryable: true,
	},
	40063: {
		meaning: 'a required parameter is empty (参数为空)',
		fix: 'Fill in the field named in WeCom\'s message below.',
	},
	44001: {
		meaning: 'the media file is empty (多媒体文件为空)',
		fix: 'The binary property holds no data; check the node that produced the file.',
	},
	45001: {
		meaning: 'the media file is too large (多媒体文件大小超过限制)',
		fix: 'Stay within the size limit of the media type (image 10 MB, voice 2 MB, video 10 MB, file 20 MB).',
	},
	47001: {
		meaning: 'the request body is malformed (数据格式错误)',
		fix: 'Check raw JSON fields: they must be valid JSON objects of the documented shape.',
	},
	48002: {
		meaning: 'this API is forbidden for the secret in the credential (API接口无权限调用)',
		fix: 'Contact writes (create, update, delete users and departments) and User → Get Many from all users (user/list_id) need a WeCom API credential with the contacts sync secret (管理工具 → 通讯录同步 → Secret, API permission 编辑); messages and media need the app secret. Create one credential per secret and pick the right one on the node.',
	},
	42014: {
		meaning: 'the task card task_id is invalid (任务卡片消息的task_id不合法)',
		fix: 'task_id: at most 128 bytes of letters, digits and _-@, unique within the app.',
	},
	42016: {
		meaning: 'the task card to update does not exist (更新的task_id不存在)',
		fix: 'Use the task_id of a task card this app sent.',
	},
	42017: {
		meaning: 'the button key does not exist on that task card (按钮key值不存在)',
		fix: 'clicked_key must be the key of one of the card\'s buttons as sent.',
	},
	42022: {
		meaning: 'this code was already used; it works only once (code已经被使用过)',
		fix: 'Each response_code updates a card once: use the ResponseCode of the newest click (WeCom Trigger) or send a new card.',
	},
	60011: {
		meaning: 'no permission for the target (指定的成员/部门/标签参数无权限)',
		fix: "The users, departments or tags are outside the app's visible range (可见范围): widen it under 应用管理 → your app → 可见范围, or use a credential with the contacts sync secret (通讯录同步), which sees the whole directory.",
	},
	60020: {
		meaning: "this server's IP is not in the app's trusted IP list (访问ip不在白名单之中)",
		fix: "Add this server's public IP under 管理后台 → 应用管理 → your app → 企业可信IP (for the contacts sync secret: 管理工具 → 通讯录同步 → 企业可信IP, mandatory since 2022), or route calls through a fixed-IP proxy and set it as the API base URL.",
	},
	81013: {
		meaning: 'every recipient is invalid (UserID、部门ID、标签ID全部非法或无权限)',
		fix: "Check the IDs and that they are inside the app's visible range (可见范围).",
	},
	82001: {
		meaning: 'the recipients are all empty or invalid (指定的成员/部门/标签全部为空)',
		fix: 'Give at least one user, department or tag; an expression may have resolved to nothing.',
	},
	86001: {
		meaning: 'the chat ID is invalid (参数 chatid 不合法)',
		fix: 'Chat IDs may only contain letters and digits, at most 32 characters.',
	},
	86003: {
		meaning: 'the app chat does not exist (参数 chatid 不存在)',
		fix: 'Only chats created by this app through the API can be used; create it first with App Chat → Create.',
	},
	86004: {
		meaning: 'the chat name is invalid (参数 群名 不合法)',
		fix: 'Use a chat name of at most 50 UTF-8 characters.',
	},
	86005: {
		meaning: 'the chat owner is invalid (参数 群主 不合法)',
		fix: 'The owner must be a member of the chat and a valid user ID.',
	},
	86006: {
		meaning: 'the number of chat members is invalid (群成员数过多或过少)',
		fix: 'An app chat needs between 2 and 2000 members.',
	},
	86007: {
		meaning: 'a chat member is invalid (不合法的群成员)',
		fix: 'Check the member user IDs; they must be inside the app\'s visible range.',
	},
	86008: {
		meaning: 'the chat was not created by this app (非法操作非自己创建的群)',
		fix: 'Apps can only manage chats they created through the API; create the chat with App Chat → Create.',
	},
	86101: {
		meaning: 'only the chat owner may do this (仅群主才有操作权限)',
		fix: 'Make the operation as the chat owner, or change the owner first.',
	},
	86207: {
		meaning: 'the owner is not in the member list (群主不在群成员列表)',
		fix: 'Add the owner to the members, or leave the owner empty to let WeCom pick one.',
	},
	86215: {
		meaning: 'the chat ID already exists (会话ID已经存在)',
		fix: 'Choose another chat ID or leave it empty so WeCom generates one.',
	},
	86216: {
		meaning: 'some chat members are invalid (存在非法会话成员ID)',
		fix: 'Check the member user IDs.',
	},
	86217: {
		meaning: 'the sender is not a member of the chat (会话发送者不在会话成员列表中)',
		fix: 'Add the user to the chat first.',
	},
	86220: {
		meaning: 'the chat parameters are invalid (指定的会话参数不合法)',
		fix: 'Check the chat ID and fields.',
	},
	93000: {
		meaning: 'the group robot webhook key is invalid (机器人webhookurl不合法或者机器人已经被移除出群)',
		fix: 'Copy the webhook URL again from the group chat (群聊 → 群机器人 → your robot); the robot may have been removed.',
	},
	93004: {
		meaning: 'the group robot is disabled (机器人被停用)',
		fix: 'A group owner or the robot\'s creator can turn it back on (群聊 → 群机器人 → your robot); otherwise add a new robot and put its webhook URL in the credential.',
	},
	93008: {
		meaning: 'the robot is not in the group (不在群里)',
		fix: 'Add the robot to the group chat again (群聊 → 群机器人 → 添加机器人) and put its webhook URL in the credential.',
	},
	301016: {
		meaning: 'the voice file does not meet WeCom\'s rules (上传语音文件不符合系统要求)',
		fix: 'Voice must be AMR, at most 2 MB and 60 seconds.',
	},
	301017: {
		meaning: 'voice uploads must be AMR (上传语音文件仅支持AMR格式)',
		fix: 'Convert the recording to AMR before uploading.',
	},
	830002: {
		meaning: 'the file is too large to download at once (文件过大)',
		fix: 'Download it in ranges of at most 20 MB.',
	},
	301002: {
		meaning: 'no permission for this app (无权限操作指定的应用)',
		fix: 'Use the Secret and AgentId of the same app.',
	},

	// Contacts (通讯录), page 90313 and the contacts pages.
	40031: {
		meaning: 'the user ID list is invalid (不合法的UserID列表)',
		fix: 'Give existing user IDs (账号); for tags, at least one of them must exist and be in the visible range.',
	},
	40066: {
		meaning: 'the department list is invalid (不合法的部门列表)',
		fix: 'Departments are numeric IDs of existing departments (Department → Get Many lists them).',
	},
	40068: {
		meaning: 'the tag ID is invalid or the tag does not exist (不合法的标签ID)',
		fix: 'Pick the tag from the list (Tag → Get Many) or check the tag ID.',
	},
	40070: {
		meaning: 'every user and department given is invalid (指定的标签范围结点全部无效)',
		fix: "Add existing users or departments that are inside the app's visible range (可见范围).",
	},
	40071: {
		meaning: 'the tag name is invalid or already taken (不合法的标签名字，标签名字已经存在)',
		fix: 'Tag names are 1-32 characters and unique in the company; pick another name or update the existing tag.',
	},
	46004: {
		meaning: 'no such member (不存在的成员)',
		fix: "Check the mobile number, email or ID; lookups find only members in the app's visible range. Many failed lookups (over 20% of the headcount) block lookups for a day.",
	},
	48009: {
		meaning: 'the contacts sync secret may not call this API from this IP (通讯录同步新增IP限制)',
		fix: 'Since 2022-08-15 the contacts sync secret, called from an IP added after that date, cannot read user or department details: use User → Get Many from all users (user/list_id) and Department → Get Many (simple list), or read details with a credential holding an app secret.',
	},
	60003: {
		meaning: 'the department does not exist (部门不存在)',
		fix: 'Pick the department from the list or check its ID (Department → Get Many).',
	},
	60004: {
		meaning: 'the parent department does not exist (父部门不存在)',
		fix: 'Use the ID of an existing department as the parent (1 is the root).',
	},
	60005: {
		meaning: 'the department still has members (部门下存在成员)',
		fix: 'Move or delete its members first (User → Update with other departments, or User → Delete).',
	},
	60006: {
		meaning: 'the department still has sub-departments (部门下存在子部门)',
		fix: 'Delete or move its sub-departments first.',
	},
	60007: {
		meaning: 'the root department cannot be deleted (不允许删除根部门)',
		fix: 'Department 1 is the company itself; delete departments below it instead.',
	},
	60008: {
		meaning: 'the department already exists (部门已存在)',
		fix: 'Department names are unique below one parent, and IDs unique in the company: pick another name or ID, or update the existing one.',
	},
	60009: {
		meaning: 'the department name is invalid (部门名称含有非法字符)',
		fix: 'Department names are 1-64 characters without \\ : * ? " < > |.',
	},
	60102: {
		meaning: 'the user ID already exists (UserID已存在)',
		fix: 'Use User → Update for existing users, or set Create\'s option "If the User Exists" to "Update It".',
	},
	60103: {
		meaning: 'the mobile number is invalid (手机号码不合法)',
		fix: 'Mainland numbers may omit +86; other regions need their country code (e.g. +852 ...).',
	},
	60104: {
		meaning: 'the mobile number belongs to another member (手机号码已存在)',
		fix: 'Mobile numbers are unique in the company: find the member with User → Get User ID by Mobile.',
	},
	60105: {
		meaning: 'the email address is invalid (邮箱不合法)',
		fix: 'Emails are 6-64 bytes and a valid address.',
	},
	60106: {
		meaning: 'the email address belongs to another member (邮箱已存在)',
		fix: 'Emails are unique in the company: find the member with User → Get User ID by Email.',
	},
	60110: {
		meaning: 'the user is in too many departments (用户所属部门数量超过限制)',
		// the member pages (90195/90197) allow 100 departments; the error table (90313) says 20 for this code
		fix: 'Give the member fewer departments: the member pages allow up to 100, while WeCom\'s error table names 20 for this error, so stay within what your corp accepts.',
	},
	60111: {
		meaning: 'the user ID does not exist (UserID不存在)',
		fix: "Check the user ID (账号, case-insensitive); use User → Create for new members. With an app secret, users outside the visible range look missing too.",
	},
	60146: {
		meaning: 'no member has this mobile number (未找到手机号)',
		fix: "Check the number (mainland numbers may omit +86, others need their country code); lookups find only members in the app's visible range. Many failed lookups (over 20% of the headcount) block lookups for a day.",
	},
	60147: {
		meaning: 'no member has this email (未找到邮箱)',
		fix: "Check the address and Email Type (personal email vs corp mail 企业邮箱); lookups find only members in the app's visible range. Many failed lookups block lookups for a day.",
	},
	60148: {
		meaning: 'no member has this corp email (未找到企业邮箱)',
		fix: 'Check the address, or set Email Type to personal email if it is not a corp mailbox (企业邮箱). Many failed lookups block lookups for a day.',
	},
	60112: {
		meaning: 'the member name is invalid (成员名称不合法)',
		fix: 'Names are 1-64 characters.',
	},
	60021: {
		meaning: "the user is outside the app's visible range (userid不在应用可见范围内)",
		fix: "Add the user (or a department or tag holding them) to the app's visible range under 应用管理 → your app → 可见范围, or use a credential with the contacts sync secret.",
	},
	60123: {
		meaning: 'the department ID is invalid (无效的部门id)',
		fix: 'Use the numeric ID of an existing department (Department → Get Many).',
	},
	60129: {
		meaning: 'mobile and email are both empty (成员手机和邮箱都为空)',
		fix: 'A new member needs a mobile number or an email.',
	},
	60132: {
		meaning: 'is_leader_in_dept does not match the departments (is_leader_in_dept和department的元素个数不一致)',
		fix: 'Give one leader flag (0 or 1) per department, in the same order.',
	},
	50100: {
		meaning: 'the paging cursor is invalid (分页查询的游标无效)',
		fix: 'Start the list again without a cursor; a cursor only works with the call (and filters) that returned it.',
	},
	81002: {
		meaning: 'departments are nested too deep (部门层级深度超过限制)',
		fix: 'Departments nest at most 15 levels.',
	},
	81011: {
		meaning: 'no permission for this tag (无权限操作标签)',
		fix: 'Only the app (or secret) that created a tag may rename it, delete it or change its members; use the credential of that app.',
	},
	// Approvals (审批, oa/…): pages 91982, 91853, 91816, 91983.
	301025: {
		meaning: 'an approval parameter is wrong: empty, or not as the template has it (审批开放接口参数错误)',
		fix: "Check WeCom's message below: a control ID or type that is not the template's, a required control without value, an option key, file or related approval number that does not exist, or a template ID of another company. Get Template shows the controls.",
	},
	301026: {
		meaning: 'WeCom could not fetch the approval template or approvals (拉取审批模板/审批单内部接口失败)',
		fix: "Check the template ID (管理后台 → 应用管理 → 审批 → the template: templateId in the address bar); a template that has not passed review fails too. Try again if the ID is right.",
	},
	301055: {
		meaning: 'the app may not use approvals, or the applicant is outside its visible range (无审批应用权限)',
		fix: 'Add the app to 管理后台 → 应用管理 → 审批 → API → 可调用接口的应用 (Get Many also needs 审批数据权限), and put the applicant in the app\'s visible range (可见范围). Departed members cannot be used as a filter.',
	},
	301056: {
		meaning: 'the approval app is disabled (审批应用已停用)',
		fix: 'Enable 审批 in 管理后台 → 应用管理.',
	},
	301057: {
		meaning: 'WeCom failed to file the approval (提交审批单内部接口失败)',
		fix: 'Try again later; if it keeps failing, check the values against the template (Get Template).',
	},
	301079: {
		meaning: 'the leave or attendance times clash with another application (审批单假勤时间有冲突)',
		fix: "Choose times that do not overlap the applicant's other leave, trip or overtime applications.",
	},
	301112: {
		meaning: 'the time range is too long (请缩小查询时间范围重试)',
		fix: 'Ask for at most 31 days per call; Get Many splits longer ranges itself.',
	},
};

/**
 * The same codes from the document and smart sheet endpoints (wedoc/…) mean something narrower: WeCom's pages for
 * them list no codes of their own, and the global ones come back (48002 when the app may not call the document,
 * 40058 for an unknown docid / sheet / field / record or a cell in the wrong format, with errmsg naming it).
 */
export const WECOM_DOC_ERRORS: Readonly<Record<number, WeComErrorInfo>> = {
	40058: {
		meaning:
			'the document, sheet, field or record does not exist, or a cell has the wrong format for its column (不合法的参数)',
		fix: "Check WeCom's message below: a record ID that does not exist (deleted, or from another sheet), a column whose type does not take the value (e.g. text into a number column, an option that is not in a select column), or a docid/sheet_id of another document. Get Many Fields shows each column's type.",
	},
	93000: {
		meaning: 'the smart sheet webhook key is invalid, or 接收外部数据 was turned off for the sheet',
		fix: 'Copy the webhook address again from the sheet (子表 → 接收外部数据) into the WeCom Smart Sheet Webhook API credential.',
	},
	48002: {
		meaning: 'the app may not call this document (API接口无权限调用)',
		fix: 'Add the app to 协作 → 文档 → API → 可调用接口的应用 in the admin console. WeCom lets an app read and edit only documents it created itself, not those members made (文档 overview, page 97392): create the document with this node (Smart Sheet Document → Create) and keep its docid.',
	},
};

/** Error codes that mean "the token is bad, refresh once and repeat". */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 41001, 42001]);

/** Codes worth repeating after a pause: WeCom busy or rate limited. */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([-1, 45009, 45033]);

/** The explanation of a code; endpoints with their own meaning of a code (wedoc/…) come first. */
export function describeWeComError(errcode: number, endpoint?: string): WeComErrorInfo | undefined {
	if (endpoint && /^\/?(cgi-bin\/)?wedoc\//.test(endpoint) && WECOM_DOC_ERRORS[errcode]) return WECOM_DOC_ERRORS[errcode];
	return WECOM_ERRORS[errcode];
}

/**
 * "WeCom 60020: this server's IP is not in the app's trusted IP list (...). Add this server's public IP ..."
 * errmsg is WeCom's own text, kept because it names the offending field.
 */
export function formatWeComError(errcode: number, errmsg?: string, endpoint?: string): { message: string; description: string } {
	const info = describeWeComError(errcode, endpoint);
	const message = info ? `WeCom ${errcode}: ${info.meaning}` : `WeCom ${errcode}: ${errmsg ?? 'unknown error'}`;
	const parts: string[] = [];
	if (info) parts.push(info.fix);
	if (errmsg) parts.push(`WeCom said: ${stripHint(errmsg)}`);
	return { message, description: parts.join(' ') };
}

/** WeCom appends "hint: [...], from ip: x, more info at https://open.work.weixin.qq.com/devtool/query?e=40014"; keep the useful part. */
function stripHint(errmsg: string): string {
	return errmsg.replace(/,?\s*hint:\s*\[[^\]]*\]/i, '').trim();
}
