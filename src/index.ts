// The framework-free core, for bundlers: rooms, identity and signed entries, models, translations.
// The Lit elements are in `gather-widgets/components`; the one-file embed is `gather-widgets/gather.js`.
export * from './room/index.js';
export { MemoryNetwork } from './room/memory-room.js';
export type { Signer, SignatureAlgorithm, SignedEntry, EntryHeader } from './identity/types.js';
export { createSigner, loadDeviceSigner } from './identity/keys.js';
export { signEntry } from './identity/entries.js';
export { canonicalEncode } from './identity/canonical.js';
export { verifyEntry, VerificationCache } from './identity/verification.js';
export { GatherError, type GatherErrorCode } from './errors.js';
export type { Model, ChangeOrigin, ViewOrigin } from './models/model.types.js';
export { EntryModel, type EntryModelOptions } from './models/entry-model.js';
export { SignedEntryModel, parseOrganizers, type SignedEntryModelOptions } from './models/signed-entry-model.js';
export { entryKey, ownsKey, MAX_ID_LENGTH } from './models/entry-key.js';
export { compareEntries, sortEntries, isDue, MAX_CLOCK_SKEW_MS } from './models/order.js';
export type { PollConfig, PollOption, PollView, PollOptionView, BallotBody, PollExport, Ballot, PollKind, RankedRound, Reason, ResultsVisibility, Stance } from './models/poll.types.js';
export { PollModel } from './models/poll.js';
export { tally, countedBallot, type BallotLike } from './models/tally/index.js';
export type { TallyConfig, TallyResults, OptionResult } from './models/tally/types.js';
export { SignupModel, signupScope } from './models/signup.js';
export type { SignupConfig, SignupSlotConfig, SignupView, SignupSlotView, SignupPerson, SignupState, SignupStanding, SignupExport, NewSlot } from './models/signup.types.js';
export { AidBoardModel } from './models/aid-board.js';
export type { AidBoardConfig, AidBoardView, AidPostInput, AidPostView, AidResponseInput, AidResponseView, AidCounts, AidContact, AidKind, AidUrgency, AidStatus, AidOrder } from './models/aid-board.types.js';
export { ThreadModel, threadScope } from './models/thread.js';
export type { ThreadConfig, ThreadView, CommentView, ProposalView, DecisionView, Reaction } from './models/thread.types.js';
export { getDisplayName, setDisplayName, onDisplayNameChange } from './identity/display-name.js';
// Trust: organizer keys and their backups, invite capabilities and links, the room's organizers and members.
export { createOrganizerKey, exportOrganizerKey, restoreOrganizerKey, backupPublicKey, isOrganizerBackup, generatePassword, type OrganizerKey } from './identity/backup.js';
export { createCapability, readCapability, readInvite, verifyCapability, inviteLink, readInviteFragment, MAX_INVITE_DEVICES, type Capability, type Invite, type InviteFragment } from './identity/capability.js';
export { MembershipModel, TRUST_SCOPE, type TrustView, type MemberView, type InviteView, type MemberState, type MembershipOptions } from './models/membership.js';
export { checkStorage, type StorageVerdict } from './identity/storage-check.js';
export * from './i18n/index.js';
