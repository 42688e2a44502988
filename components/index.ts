// Every Gather element, defined on import. `<gather-room>` first, so widgets inside it find their room as they upgrade.
// The shipped languages' strings load the first time a widget on the page is in that language.
import '../src/i18n/languages.js';

export { GatherRoom } from './room/define.js';
export { GatherPoll } from './poll/define.js';
export { GatherSignup, GatherSlot, GatherSignupChangeEvent, type GatherSignupChangeDetail } from './signup/define.js';
export { GatherAidBoard, GatherPostEvent, type GatherPostDetail } from './aid-board/define.js';
export { GatherThread, GatherCommentEvent, type GatherCommentDetail } from './thread/define.js';
export { GatherOrganizer, GatherInviteEvent, type GatherInviteDetail } from './organizer/define.js';
export { GatherChangeEvent, type GatherChangeDetail } from './shared/change-event.js';
export { GatherVoteEvent, type GatherVoteDetail } from './poll/vote-event.js';
export { setPageOptions } from './shared/page-options.js';
// The widget kit, for widgets built outside this package (docs/widgets.md).
export { GatherWidget, type ModelArgs } from './shared/gather-widget.js';
export { define } from './shared/define.js';
export { AnnouncerController } from './shared/announcer-controller.js';
export { CommandController } from './shared/command-controller.js';
export { ChildConfigController } from './shared/child-config-controller.js';
export { renderStatus } from './shared/status.js';
