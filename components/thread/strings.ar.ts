// The thread's strings in Arabic (registered beside English and Spanish by ./strings.ts), with
// Arabic's six plural forms through Intl.PluralRules.
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { ThreadStrings } from './strings.js';

const plural = pluralsOf('ar');
const comments = (n: number, text: string) =>
  plural(n, { zero: 'لا تعليقات', one: 'تعليق واحد', two: 'تعليقان', few: `${text} تعليقات`, many: `${text} تعليقًا`, other: `${text} تعليق` });
const characters = (n: number, text: string) =>
  plural(n, { zero: 'لا أحرف', one: 'حرف واحد', two: 'حرفان', few: `${text} أحرف`, many: `${text} حرفًا`, other: `${text} حرف` });

export const threadAr: ThreadStrings = {
  someone: 'شخص ما',
  you: 'أنت',
  reading: (count) => `يقرأ الآن: ${count}`,
  readingNamed: (count, names) => `يقرأ الآن: ${count}، منهم ${names}`,
  atLeast: (count) => `${count} أو أكثر`,
  unread: (count, shown) => `${plural(count, { one: 'تعليق جديد واحد', two: 'تعليقان جديدان', few: `${shown} تعليقات جديدة`, many: `${shown} تعليقًا جديدًا`, other: `${shown} تعليق جديد` })} منذ زيارتك الأخيرة`,
  jumpToUnread: 'انتقل إلى أول تعليق جديد',
  newBadge: 'جديد',
  order: 'اعرض',
  oldest: 'الأقدم أولًا',
  newest: 'الأحدث أولًا',
  showEarlier: (count, shown) => `اعرض ${comments(count, shown)} أخرى`,
  comments: (count, shown) => comments(count, shown),
  noComments: 'لا تعليقات بعد. ابدأ النقاش.',
  commentBy: (name) => `تعليق من ${name}`,
  edited: 'معدَّل',
  replyingTo: (name) => `ردًّا على ${name}`,
  retracted: 'سحب كاتبه هذا التعليق.',
  hiddenBy: (reason) => `أخفاه المنظِّمون: ${reason}`,
  hiddenNoReason: 'أخفاه المنظِّمون.',
  reactions: 'التفاعلات',
  reaction: { agree: 'موافق', disagree: 'غير موافق', question: 'سؤال', thanks: 'شكرًا' },
  reactionLabel: (reaction, count) => `${reaction} (${count})`,
  addReaction: 'أضف تفاعلًا',
  reply: 'ردّ',
  edit: 'عدّل',
  retract: 'اسحب',
  retractConfirm: 'اسحب هذا التعليق نهائيًا',
  hide: 'أخفِ',
  hideReason: 'سبب الإخفاء (يراه الجميع)',
  cancel: 'إلغاء',
  save: 'احفظ',
  yourName: 'اسمك (يُحفظ على هذا الجهاز)',
  yourComment: 'تعليقك',
  yourReply: (name) => `ردّك على ${name}`,
  editComment: 'عدّل تعليقك',
  charactersLeft: (left, shown) => `متبقٍّ: ${characters(left, shown)}`,
  post: 'انشر التعليق',
  postReply: 'انشر الرد',
  propose: 'اطرحه كمقترح',
  locked: 'أقفل المنظِّمون هذا النقاش: لا تعليقات جديدة في الوقت الحالي.',
  lock: 'أقفل النقاش',
  unlock: 'افتح النقاش',
  proposals: 'المقترحات',
  proposalBy: (name) => `مقترح من ${name}`,
  open: 'مفتوح لإبداء المواقف',
  decided: (when) => `تقرّر في ${when}`,
  stance: { agree: 'موافق', abstain: 'ممتنع', disagree: 'غير موافق', block: 'اعتراض مانع' },
  stanceCount: (stance, count) => `${stance}: ${count}`,
  yourStance: 'موقفك',
  reason: 'السبب (اختياري)',
  saveStance: 'احفظ الموقف',
  chooseStance: 'اختر موقفًا أولًا.',
  youTook: (stance) => `موقفك: ${stance}`,
  reasons: 'الأسباب المذكورة',
  outcome: 'النتيجة',
  recordOutcome: 'سجّل النتيجة',
  decision: 'القرار',
  decisionOn: (proposal) => `بشأن المقترح: ${proposal}`,
  failed: 'تعذّر الحفظ. يُرجى المحاولة مرة أخرى.',
  tooFast: 'كتبت كثيرًا في وقت قصير. يُرجى الانتظار بضع دقائق.',
  lockedFailed: 'هذا النقاش مقفل.',
  updated: (count, shown) => `تحدّث النقاش: ${comments(count, shown)}.`,
  posted: 'نُشر.',
};

registerBuiltInTranslation({ $code: 'ar', thread: threadAr });
