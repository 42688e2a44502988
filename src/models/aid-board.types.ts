/** The mutual-aid board's public shapes: what a post is, what the view holds, what commands take. */

/** What a post is: someone offers help, or asks for it. */
export const AID_KINDS = ['offer', 'request'] as const;
export type AidKind = (typeof AID_KINDS)[number];

/** How soon: today, this week, whenever. */
export const AID_URGENCIES = ['today', 'this-week', 'whenever'] as const;
export type AidUrgency = (typeof AID_URGENCIES)[number];

/** Where a post stands, each step signed by its author: open → matched → done, or withdrawn. */
export const AID_STATUSES = ['open', 'matched', 'done', 'withdrawn'] as const;
export type AidStatus = (typeof AID_STATUSES)[number];

/** The board's orders: newest first, or most urgent first. */
export const AID_ORDERS = ['newest', 'urgent'] as const;
export type AidOrder = (typeof AID_ORDERS)[number];

/** Bounds every peer applies (UTF-16 code units, counts). */
export const AID_LIMITS = Object.freeze({
  title: 120,
  description: 800,
  category: 40,
  area: 80,
  contact: 200,
  message: 500,
  reason: 300,
  /** Open or matched posts per author; later ones (in the shared order) are not shown. */
  activePosts: 10,
  /** Posts per author, whatever their status. */
  posts: 100,
  /** Responses per author to open or matched posts. */
  activeResponses: 20,
  /** Responses shown per post (the first, in the shared order). */
  responsesPerPost: 50,
});

/** The page's configuration (`categories`, `areas`) and the order the board shows. */
export interface AidBoardConfig {
  readonly categories: readonly string[];
  readonly areas: readonly string[];
  readonly order?: AidOrder;
}

/** What `post()` takes. `contact` is sealed for the poster's own device; nobody else can read it. */
export interface AidPostInput {
  readonly kind: AidKind;
  readonly title: string;
  readonly description?: string;
  readonly category: string;
  readonly area?: string;
  readonly urgency?: AidUrgency;
  /** A day (`YYYY-MM-DD`) after which the post shows as expired, or null. */
  readonly neededBy?: string | null;
  readonly contact: string;
}

/** What `respond()` takes: both sealed for the poster alone. */
export interface AidResponseInput {
  readonly message?: string;
  readonly contact: string;
}

/** A response as the view shows it. */
export interface AidResponseView {
  /** The responder's public key. */
  readonly author: string;
  /** Their message: for the poster only (decrypted on the poster's device); null for everyone else. */
  readonly message: string | null;
  /** Whether the poster accepted this responder. */
  readonly accepted: boolean;
}

export interface AidPostView {
  /** `<author key>:<local id>`: names its author, so nobody can claim another's post. */
  readonly id: string;
  readonly kind: AidKind;
  /** Empty when hidden by organizers. */
  readonly title: string;
  /** Empty when hidden by organizers. */
  readonly description: string;
  readonly category: string;
  readonly area: string;
  readonly urgency: AidUrgency;
  readonly neededBy: string | null;
  /** `neededBy` has passed (on this device's clock). */
  readonly expired: boolean;
  readonly status: AidStatus;
  /** The poster's public key. */
  readonly author: string;
  /** This visitor posted it. */
  readonly mine: boolean;
  readonly responses: readonly AidResponseView[];
  /** When it was posted (the poster's clock, ms). */
  readonly posted: number;
  /** The organizers' reason when they hid it; null when shown. */
  readonly hidden: string | null;
}

/** Posts per value of each filter (hidden posts are counted in `hidden` only). */
export interface AidCounts {
  readonly total: number;
  readonly kind: Readonly<Record<AidKind, number>>;
  readonly status: Readonly<Record<AidStatus, number>>;
  /** Per configured category. */
  readonly category: Readonly<Record<string, number>>;
  /** Per configured area (free-text areas are counted in `total` only). */
  readonly area: Readonly<Record<string, number>>;
  readonly expired: number;
  readonly hidden: number;
  /** Posts this visitor wrote or responded to. */
  readonly mine: number;
}

export interface AidBoardView {
  /** Every post, in the board's current order. */
  readonly posts: readonly AidPostView[];
  readonly counts: AidCounts;
}

/** A contact this visitor may read, decrypted on this device. */
export interface AidContact {
  /** Whose contact it is (a public signing key). */
  readonly author: string;
  readonly contact: string;
}
