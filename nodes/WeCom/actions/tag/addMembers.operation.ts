import { updateDisplayOptions } from '../../helpers/displayOptions';
import { memberChange, memberProperties } from './members';

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['addMembers'] } }, memberProperties);

/** Adds users and departments to a tag (增加标签成员, tag/addtagusers). */
export const execute = memberChange('tag/addtagusers');
