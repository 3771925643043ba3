/**
 * WeCom's limits for app messages (message/send, path 90236) and app chat messages (appchat/send, path 90248),
 * checked against WeCom's docs (see the fact-check notes). One place for each figure: the field descriptions
 * quote these constants and the body builders enforce them.
 */
export const MAX_USERS_PER_SEND = 1000;
export const MAX_PARTIES_PER_SEND = 100;
export const MAX_TAGS_PER_SEND = 100;

export const TEXT_MAX_BYTES = 2048;
export const MARKDOWN_MAX_BYTES = 2048;

export const TITLE_MAX_BYTES = 128;
export const DESCRIPTION_MAX_BYTES = 512;
export const URL_MAX_BYTES = 2048;

/** message/send counts the text card's title and description in characters; appchat/send counts bytes. */
export const TEXTCARD_TITLE_MAX = 128;
export const TEXTCARD_DESCRIPTION_MAX = 512;
export const TEXTCARD_BTNTXT_MAX_CHARS = 4;

export const MIN_ARTICLES = 1;
export const MAX_ARTICLES = 8;
export const NEWS_PAGEPATH_MAX_BYTES = 128;
export const MPNEWS_CONTENT_MAX_BYTES = 666 * 1024;
export const MPNEWS_AUTHOR_MAX_BYTES = 64;
export const MPNEWS_DIGEST_MAX_BYTES = 512;

export const MINIPROGRAM_TITLE_MIN_CHARS = 4;
export const MINIPROGRAM_TITLE_MAX_CHARS = 12;
export const MINIPROGRAM_MAX_ITEMS = 10;
export const MINIPROGRAM_KEY_MAX_CHARS = 10;
export const MINIPROGRAM_VALUE_MAX_CHARS = 30;
export const MINIPROGRAM_PAGE_MAX_BYTES = 1024;

export const TASKCARD_MIN_BUTTONS = 1;
export const TASKCARD_MAX_BUTTONS = 2;
export const TASKCARD_BUTTON_KEY_MAX_BYTES = 128;
export const TASKCARD_BUTTON_NAME_MAX_BYTES = 18;

/** task_id of task cards and template cards: unique per app, letters, digits and _-@, at most 128 bytes. */
export const TASK_ID_MAX_BYTES = 128;
export const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/;

export const DUPLICATE_CHECK_MAX_SECONDS = 14400;
export const DUPLICATE_CHECK_DEFAULT_SECONDS = 1800;

export const APPCHAT_NAME_MAX_CHARS = 50;
export const APPCHAT_MIN_MEMBERS = 2;
export const APPCHAT_MAX_MEMBERS = 2000;
export const APPCHAT_CHATID_MAX_CHARS = 32;
export const APPCHAT_CHATID_PATTERN = /^[0-9A-Za-z]+$/;

export const UPDATE_TASKCARD_MAX_USERS = 1000;
