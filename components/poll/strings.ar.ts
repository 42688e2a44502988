// The poll's strings in Arabic (registered beside English and Spanish by ./strings.ts). Counts
// take Arabic's six plural forms (zero, one, two, few, many, other) through Intl.PluralRules.
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { PollStrings } from './strings.js';

const plural = pluralsOf('ar');
const votes = (n: number, shown: string) =>
  plural(n, { zero: 'لا أصوات', one: 'صوت واحد', two: 'صوتان', few: `${shown} أصوات`, many: `${shown} صوتًا`, other: `${shown} صوت` });
const ballots = (n: number, shown: string) =>
  plural(n, { zero: 'لا بطاقات', one: 'بطاقة واحدة', two: 'بطاقتان', few: `${shown} بطاقات`, many: `${shown} بطاقةً`, other: `${shown} بطاقة` });
const characters = (n: number, shown: string) =>
  plural(n, { zero: 'لا أحرف', one: 'حرف واحد', two: 'حرفان', few: `${shown} أحرف`, many: `${shown} حرفًا`, other: `${shown} حرف` });
const ORDINALS = ['الأول', 'الثاني', 'الثالث', 'الرابع', 'الخامس', 'السادس', 'السابع', 'الثامن', 'التاسع', 'العاشر'];

export const pollAr: PollStrings = {
  vote: 'صوّت',
  changeVote: 'غيّر صوتك',
  retract: 'اسحب صوتك',
  cancel: 'إلغاء',
  chooseFirst: 'اختر خيارًا أولًا.',
  voteFailed: 'تعذّر حفظ صوتك. يُرجى المحاولة مرة أخرى.',
  saving: 'جارٍ الحفظ…',
  results: 'النتائج',
  yourChoice: (label) => `صوّتَّ لـ${label}.`,
  youVoted: 'لقد صوّتَّ.',
  notVoted: 'لم تصوّت بعد.',
  optionResult: (count, shown, percent) => `${votes(count, shown)}، ${percent}`,
  total: (count, shown) => `المجموع: ${votes(count, shown)}`,
  noOptions: 'لا توجد خيارات في هذا الاستطلاع.',
  updated: (total, shown) => `تحدّثت النتائج: ${votes(total, shown)} في المجموع.`,
  hiddenUntilVote: (count, shown) => `${votes(count, shown)} حتى الآن — تظهر النتائج بعد أن تصوّت.`,
  hiddenUntilClose: (count, shown) => `${votes(count, shown)} حتى الآن — تظهر النتائج عند إغلاق الاستطلاع.`,
  closed: 'هذا الاستطلاع مغلق.',
  closes: (when) => `يُغلق التصويت في ${when}.`,
  closedOn: (when) => `أُغلق التصويت في ${when}.`,
  clockNote: 'يُقارَن وقت الإغلاق بساعة جهاز كل مصوّت، كما وُقّعت مع صوته.',
  quorum: (count, needed, countText, neededText) => `${countText} من ${neededText} مطلوبين`,
  quorumLabel: 'عدد المصوّتين المطلوب',
  anonymousNote: 'تُعرض الأصوات دون أسماء أصحابها. إنها بأسماء مستعارة لا سرّية: كل صوت موقّع بمفتاح جهاز ومحفوظ في السجل المشترك.',
  closeNow: 'أغلق الاستطلاع',
  reopen: 'أعد فتح الاستطلاع',
  exportJson: 'تنزيل البطاقات (JSON)',
  exportCsv: 'تنزيل البطاقات (CSV)',
  reason: 'السبب (اختياري)',
  reasonLeft: (left, shown) => `متبقٍّ: ${characters(left, shown)}`,
  reasons: 'الأسباب المذكورة',
  chooseUpTo: (max, shown) => `اختر حتى ${shown}.`,
  tooMany: (max, shown) => `اختر ${shown} على الأكثر.`,
  rankHint: 'رتّب الخيارات التي تؤيدها: ١ لخيارك الأول. اترك البقية دون ترتيب.',
  rankFor: (label) => `ترتيب ${label}`,
  notRanked: 'دون ترتيب',
  rank: (n, shown) => (Number.isInteger(n) && n >= 1 && n <= ORDINALS.length ? `الخيار ${ORDINALS[n - 1]}` : `الخيار رقم ${shown}`),
  rankTwice: 'أعطِ كل ترتيب لخيار واحد فقط.',
  rankOne: 'رتّب خيارًا واحدًا على الأقل.',
  winner: (label) => `الفائز: ${label}.`,
  noWinner: 'لا بطاقات بعد.',
  condorcetSame: (label) => `${label} يتفوّق أيضًا على كل خيار آخر في المواجهة المباشرة.`,
  condorcetOther: (label) => `${label} يتفوّق على كل خيار آخر في المواجهة المباشرة، لكنه لم يفز بالفرز بالإقصاء.`,
  noCondorcet: 'لا يتفوّق أي خيار على كل الخيارات الأخرى في المواجهة المباشرة.',
  rounds: 'الفرز، جولة بعد جولة',
  round: (n, shown) => `الجولة ${shown}`,
  roundCount: (label, count) => `${label}: ${count}`,
  exhausted: (count, shown) => `${ballots(count, shown)} لم يبقَ فيها خيار`,
  eliminated: (label, moved) => `أُقصي ${label}؛ تذهب أصواته إلى ${moved}.`,
  movedTo: (label, count) => `${label} (${count})`,
  movedNowhere: 'لا خيار آخر',
  wins: (label) => `حصل ${label} على أكثر من نصف الأصوات وفاز.`,
  scoreFor: (label) => `درجة ${label}`,
  noScore: 'دون درجة',
  average: 'المتوسط',
  mean: (value) => `المتوسط ${value}`,
  notScored: 'دون تقييم',
  option: 'الخيار',
  stances: { agree: 'موافق', abstain: 'ممتنع', disagree: 'غير موافق', block: 'اعتراض مانع' },
  stanceHelp: {
    agree: 'أؤيد هذا.',
    abstain: 'سأمضي مع ما تقرره المجموعة.',
    disagree: 'لديّ تحفّظات، لكنني لن أمنعه.',
    block: 'لديّ اعتراض جوهري ولا يمكنني القبول بالمضيّ فيه.',
  },
  stanceResult: (stance, count) => `${stance}: ${count}`,
  chooseStance: 'اختر موقفك أولًا.',
  availability: { yes: 'نعم', maybe: 'عند الضرورة', no: 'لا' },
  availabilityFor: (label) => `هل يناسبك ${label}؟`,
  best: 'الأنسب',
  bestTimes: (labels) => `الأنسب حتى الآن: ${labels}.`,
};

registerBuiltInTranslation({ $code: 'ar', poll: pollAr });
