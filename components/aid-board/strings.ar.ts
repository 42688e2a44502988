// The mutual-aid board's strings in Arabic (registered beside English and Spanish by
// ./strings.ts), with Arabic's six plural forms through Intl.PluralRules.
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { AidBoardStrings } from './strings.js';

const plural = pluralsOf('ar');
const posts = (n: number, text: string) =>
  plural(n, { zero: 'لا منشورات', one: 'منشور واحد', two: 'منشوران', few: `${text} منشورات`, many: `${text} منشورًا`, other: `${text} منشور` });
const responses = (n: number, text: string) =>
  plural(n, { zero: 'لا ردود', one: 'رد واحد', two: 'ردّان', few: `${text} ردود`, many: `${text} ردًّا`, other: `${text} رد` });

export const aidBoardAr: AidBoardStrings = {
  heading: 'العون المتبادل',
  intro: 'اعرض المساعدة أو اطلبها. يتواصل الجيران فيما بينهم؛ لا يرى أحد بيانات تواصلك إلا من تختاره أنت.',
  all: (count) => `كل المنشورات (${count})`,
  mine: (count) => `منشوراتي (${count})`,
  viewsLabel: 'أي منشورات',

  newPost: 'انشر عرضًا أو طلبًا',
  kindLegend: 'أريد أن',
  kindChoice: { offer: 'أعرض المساعدة', request: 'أطلب المساعدة' },
  title: 'العنوان',
  description: 'التفاصيل',
  category: 'الفئة',
  area: 'المنطقة',
  areaHint: 'حيّ أو معلَم معروف — لا عنوان شارع أبدًا.',
  urgencyLegend: 'متى',
  urgency: { today: 'اليوم', 'this-week': 'هذا الأسبوع', whenever: 'في أي وقت' },
  neededBy: 'مطلوب قبل (اختياري)',
  contact: 'كيف يمكن التواصل معك',
  contactHint: 'رقم هاتف، بريد إلكتروني، اسم على Signal…',
  postPrivacy:
    'تُشفَّر بيانات تواصلك على هذا الجهاز. لا يمكن لأحد قراءتها — لا الجيران ولا هذا الموقع ولا خادم المجموعة — حتى تقبل ردّ أحدهم. عندها يستطيع ذلك الشخص وحده قراءتها.',
  submitPost: 'انشر',
  saving: 'جارٍ الحفظ…',
  posted: 'نُشر.',
  postFailed: 'تعذّر حفظ منشورك. يُرجى المحاولة مرة أخرى.',
  limitReached: 'لديك بالفعل أقصى عدد من المنشورات (أو الردود) المفتوحة التي تسمح بها اللوحة: علِّم أحدها كمنجز أو اسحبه أولًا.',

  filters: 'تصفية المنشورات',
  kindFilter: 'عروض أو طلبات',
  anyKind: 'العروض والطلبات',
  kindPlural: { offer: (n) => `العروض (${n})`, request: (n) => `الطلبات (${n})` },
  anyCategory: 'كل الفئات',
  anyArea: 'كل المناطق',
  statusFilter: 'الحالة',
  anyStatus: 'أي حالة',
  withCount: (label, count) => `${label} (${count})`,
  expired: 'منتهي الصلاحية',
  search: 'بحث',
  order: 'الترتيب',
  newest: 'الأحدث أولًا',
  urgent: 'الأكثر إلحاحًا أولًا',
  showing: (shown, total, n) => `يُعرض ${shown} من ${posts(n, total)}`,
  empty: 'لا منشورات بعد. كن أول من يعرض المساعدة أو يطلبها.',
  noMatches: 'لا منشورات تطابق هذه المرشِّحات.',
  clearFilters: 'امسح المرشِّحات',
  posts: 'المنشورات',

  kind: { offer: 'عرض', request: 'طلب' },
  status: { open: 'مفتوح', matched: 'تمّت المطابقة', done: 'منجز', withdrawn: 'مسحوب' },
  neededByDate: (date) => `مطلوب قبل ${date}`,
  postedOn: (date) => `نُشر في ${date}`,
  postedByYou: 'أنت نشرت هذا',
  responses: (n, formatted) => responses(n, formatted),
  hiddenByOrganizers: 'أخفاه المنظِّمون',
  hiddenReason: (reason) => `أخفاه المنظِّمون: ${reason}`,
  responseNumber: (n) => `الرد ${n}`,
  posterOnly: 'صاحب المنشور وحده يستطيع قراءة هذا الرد.',
  acceptedMark: 'مقبول',

  respondTo: { offer: 'أحتاج هذا', request: 'أستطيع المساعدة' },
  message: 'رسالة إلى صاحب المنشور',
  respondContact: 'كيف يمكن لصاحب المنشور التواصل معك',
  respondPrivacy: 'صاحب المنشور وحده يستطيع قراءة رسالتك وبيانات تواصلك. إن قبلك، سترى هنا كيف تتواصل معه.',
  send: 'أرسل',
  cancel: 'إلغاء',
  responded: 'لقد رددت. القرار لصاحب المنشور.',
  respondedAccepted: 'قبلك صاحب المنشور.',
  respondedOther: 'قبل صاحب المنشور شخصًا آخر.',
  respondFailed: 'تعذّر إرسال ردك. يُرجى المحاولة مرة أخرى.',

  accept: 'اقبل',
  unmatch: 'ألغِ المطابقة',
  markDone: 'علِّم كمنجز',
  withdraw: 'اسحب',
  showContacts: 'أظهر بيانات التواصل',
  hideContacts: 'أخفِ بيانات التواصل',
  contactsHeading: 'بيانات التواصل (أنت وحدك تراها)',
  contactOf: (who) => `${who}:`,
  posterContact: 'صاحب المنشور',
  noContacts: 'لا بيانات تواصل لعرضها.',
  hide: 'أخفِ',
  hideReason: 'السبب (يراه الجميع)',
  confirmHide: 'أخفِ المنشور',
  unhide: 'أظهره مجددًا',
  actionFailed: 'تعذّر الحفظ. يُرجى المحاولة مرة أخرى.',

  updated: (n, formatted) => `تحدّثت اللوحة: ${posts(n, formatted)}.`,
};

registerBuiltInTranslation({ $code: 'ar', aidBoard: aidBoardAr });
