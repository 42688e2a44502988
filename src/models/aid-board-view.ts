/** The mutual-aid board's configuration as kept, its orders and its empty view: pure helpers. */
import { compareStrings } from './order.js';
import { AID_KINDS, AID_ORDERS, AID_STATUSES, AID_LIMITS, type AidBoardConfig, type AidBoardView, type AidCounts, type AidPostView, type AidUrgency } from './aid-board.types.js';

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T => (list as readonly unknown[]).includes(value);

/** The config as the model keeps it: trimmed, blanks and duplicates dropped, bounded. */
export const normalizeAidConfig = (config: AidBoardConfig): AidBoardConfig => {
  const list = (values: readonly string[], max: number) => Object.freeze([...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0 && v.length <= max))].slice(0, 50));
  return Object.freeze({
    categories: list(config.categories, AID_LIMITS.category),
    areas: list(config.areas, AID_LIMITS.area),
    order: isOneOf(AID_ORDERS, config.order) ? config.order : 'newest',
  });
};

/** A list as the page writes it: comma-separated (`food, rides, childcare`). */
export const parseList = (text: string | null | undefined): string[] => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

const URGENCY_RANK: Readonly<Record<AidUrgency, number>> = { today: 0, 'this-week': 1, whenever: 2 };

/** Orders posts: newest first, or most urgent first (open before matched before the rest; then urgency, needed-by, newest). */
export const comparePosts = (order: AidBoardConfig['order']) => {
  const newest = (a: AidPostView, b: AidPostView) => b.posted - a.posted || compareStrings(a.id, b.id);
  if (order !== 'urgent') return newest;
  const stage = (p: AidPostView) => (p.hidden !== null ? 3 : p.status === 'open' && !p.expired ? 0 : p.status === 'matched' ? 1 : 2);
  return (a: AidPostView, b: AidPostView) =>
    stage(a) - stage(b) ||
    URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
    compareStrings(a.neededBy ?? '9999-99-99', b.neededBy ?? '9999-99-99') ||
    newest(a, b);
};

/** Counts of a board with no posts, for `config`'s categories and areas. */
export const emptyCounts = (config: AidBoardConfig): AidCounts => {
  const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  return { total: 0, kind: zero(AID_KINDS), status: zero(AID_STATUSES), category: zero(config.categories), area: zero(config.areas), expired: 0, hidden: 0, mine: 0 };
};

/** What a board shows before anything has loaded. */
export const emptyAidView = (config: AidBoardConfig): AidBoardView => ({ posts: [], counts: emptyCounts(normalizeAidConfig(config)) });
