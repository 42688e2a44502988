// The signup sheet's strings in Arabic (registered beside English and Spanish by ./strings.ts),
// with Arabic's six plural forms through Intl.PluralRules. Numbers arrive formatted (`…Text`).
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { SignupStrings } from './strings.js';

const plural = pluralsOf('ar');
const places = (n: number, text: string) =>
  plural(n, { zero: 'لا أماكن', one: 'مكان واحد', two: 'مكانان', few: `${text} أماكن`, many: `${text} مكانًا`, other: `${text} مكان` });
const people = (n: number, text: string) =>
  plural(n, { zero: 'لا أحد', one: 'شخص واحد', two: 'شخصان', few: `${text} أشخاص`, many: `${text} شخصًا`, other: `${text} شخص` });
const slots = (n: number, text: string) =>
  plural(n, { zero: 'لا فترات', one: 'فترة واحدة', two: 'فترتين', few: `${text} فترات`, many: `${text} فترةً`, other: `${text} فترة` });

export const signupAr: SignupStrings = {
  noSlots: 'لا توجد فترات بعد.',
  signUp: 'سجّلني',
  signUpFor: (label) => `سجّلني في ${label}`,
  joinWaitlist: 'أضفني إلى قائمة الانتظار',
  joinWaitlistFor: (label) => `أضفني إلى قائمة انتظار ${label}`,
  withdraw: 'انسحب',
  withdrawFrom: (label) => `انسحب من ${label}`,
  joinLegend: (label) => `التسجيل في ${label}`,
  nameLabel: 'اسمك',
  noteLabel: 'ملاحظة (اختيارية)',
  nameHint: 'يُحفظ على هذا الجهاز للمرة القادمة.',
  confirmJoin: 'سجّلني',
  cancel: 'إلغاء',
  nameRequired: 'اكتب اسمك لتسجّل.',
  nameTooLong: (max) => `يمكن أن يتكوّن اسمك من ${max} حرفًا على الأكثر.`,
  taken: (_taken, capacity, takenText, capacityText) => `${takenText} من ${places(capacity, capacityText)} محجوزة`,
  left: (left, leftText) => `متبقٍّ: ${places(left, leftText)}`,
  full: 'ممتلئ',
  waiting: (count, countText) => `${people(count, countText)} في قائمة الانتظار`,
  signedUp: (count, countText) => `${people(count, countText)} مسجّلون`,
  youConfirmed: 'مكانك مؤكَّد',
  youWaitlisted: (position) => `ترتيبك ${position} في قائمة الانتظار`,
  closed: 'مغلق',
  over: 'انتهت هذه الفترة',
  confirmedList: (label) => `المسجّلون في ${label}`,
  waitlistList: (label) => `قائمة انتظار ${label}`,
  addToCalendar: 'أضف إلى التقويم',
  addToCalendarFor: (label) => `أضف إلى التقويم: ${label}`,
  closeSlot: (label) => `أغلق ${label}`,
  reopenSlot: (label) => `أعد فتح ${label}`,
  remove: 'إزالة',
  removePerson: (name, label) => `إزالة ${name} من ${label}`,
  waitlistHeading: 'قائمة الانتظار',
  someone: 'شخص ما',
  removeSlot: (label) => `أزل الفترة ${label}`,
  addedByVisitor: 'أضافها أحد المشاركين',
  downloadCsv: 'تنزيل القائمة (CSV)',
  addSlot: 'أضف فترة',
  addSlotLegend: 'أضف فترة',
  slotLabel: 'ماذا',
  capacityLabel: 'عدد الأماكن',
  capacityHint: 'اتركه فارغًا إن لم يكن هناك حد.',
  startLabel: 'يبدأ',
  endLabel: 'ينتهي',
  locationLabel: 'أين (اختياري)',
  addSlotSubmit: 'أضف الفترة',
  slotsLeftToAdd: (count, countText) => `يمكنك إضافة ${slots(count, countText)} أخرى.`,
  joinFailed: 'تعذّر حفظ تسجيلك. يُرجى المحاولة مرة أخرى.',
  leaveFailed: 'تعذّر حفظ انسحابك. يُرجى المحاولة مرة أخرى.',
  addFailed: 'تعذّرت إضافة الفترة. تحقّق مما أدخلته وحاول مرة أخرى.',
  slotClosedNow: 'أُغلقت هذه الفترة للتو.',
  nowConfirmed: (label) => `تأكّد مكانك في ${label}.`,
  movedUp: (label) => `فرغ مكان: تأكّد مكانك الآن في ${label}.`,
  nowWaitlisted: (label, position) => `ترتيبك ${position} في قائمة انتظار ${label}.`,
  nowOff: (label) => `لم تعد مسجّلًا في ${label}.`,
};

registerBuiltInTranslation({ $code: 'ar', signup: signupAr });
