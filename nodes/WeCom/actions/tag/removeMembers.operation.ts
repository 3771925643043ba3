import { updateDisplayOptions } from '../../helpers/displayOptions';
import { memberChange, memberProperties } from './members';

export const description = updateDisplayOptions({ show: { resource: ['tag'], operation: ['removeMembers'] } }, memberProperties);

/** Removes users and departments from a tag (删除标签成员, tag/deltagusers). */
export const execute = memberChange('tag/deltagusers');
