// <gather-organizer>'s section in Arabic (every plural form written out).
import { pluralsOf } from '../../src/i18n/plural.js';
import { registerBuiltInTranslation } from '../../src/i18n/registry.js';
import type { OrganizerStrings } from './strings.js';

const plural = pluralsOf('ar');
const letters = (n: number, shown: string) => plural(n, { zero: `${shown} حرف`, one: 'حرف واحد', two: 'حرفان', few: `${shown} أحرف`, many: `${shown} حرفًا`, other: `${shown} حرف` });
const devices = (n: number, shown: string) => plural(n, { zero: `${shown} جهاز`, one: 'جهازًا واحدًا', two: 'جهازين', few: `${shown} أجهزة`, many: `${shown} جهازًا`, other: `${shown} جهاز` });

export const organizerAr: OrganizerStrings = {
  identityLegend: 'مفتاح التنظيم الخاص بك',
  noKey: 'لا يملك هذا المتصفح مفتاح تنظيم: إنه يشارك بمفتاح جهازه.',
  create: 'إنشاء مفتاح تنظيم',
  created: 'أُنشئ مفتاح التنظيم. ضع مفتاحه العام في صفحتك، واحفظ نسخة احتياطية منه الآن.',
  hasKey: 'يشارك هذا المتصفح بمفتاح التنظيم أدناه، في كل أدوات Gather على هذا الموقع.',
  standing: (standing) =>
    standing === 'root'
      ? 'هذه الصفحة تسمّيه منظِّمًا.'
      : standing === 'added'
        ? 'أضافه أحد المنظِّمين إلى هذه الغرفة.'
        : 'لا تسمّيه هذه الصفحة بعد: ضعه في organizer="…" في أدواتك، أو اطلب من أحد منظِّمي هذه الغرفة إضافته.',
  publicKey: 'المفتاح العام',
  snippet: 'لصفحتك',
  copy: 'نسخ',
  copied: 'نُسخ.',
  keptOnPage: 'لا يحتفظ هذا المتصفح ببيانات المواقع: يبقى المفتاح ما دامت هذه الصفحة مفتوحة فقط. احفظ نسخة منه قبل إغلاقها.',
  backupLegend: 'نسخة احتياطية من المفتاح',
  backupHelp:
    'يحتوي الملف على مفتاحك الخاص مختومًا بعبارة مرور. احفظ الملف والعبارة منفصلين؛ من يملكهما معًا يستطيع التصرف باسمك. ومن دونهما، فقدان المتصفح يعني فقدان المفتاح.',
  passphrase: 'عبارة المرور',
  passphraseAgain: 'عبارة المرور نفسها مرة أخرى',
  passphraseHint: (min, shown) => `${letters(min, shown)} على الأقل؛ بضع كلمات لا علاقة بينها سهلة التذكر وصعبة التخمين.`,
  passphraseShort: (min, shown) => `تحتاج عبارة المرور إلى ${letters(min, shown)} على الأقل.`,
  passphraseDiffer: 'عبارتا المرور مختلفتان.',
  download: 'تنزيل ملف النسخة الاحتياطية',
  downloaded: (file) => `حُفظت النسخة باسم ${file}.`,
  restoreLegend: 'استعادة مفتاح من ملف نسخة احتياطية',
  restoreHelp: 'على جهاز آخر، أو بعد مسح هذا المتصفح: اختر الملف واكتب عبارة مروره.',
  file: 'ملف النسخة الاحتياطية',
  restore: 'استعادة',
  restored: 'استُعيد مفتاح التنظيم: يشارك هذا المتصفح الآن به.',
  noFile: 'اختر ملف النسخة الاحتياطية أولًا.',
  wrongPassphrase: 'عبارة المرور هذه لا تفتح هذا الملف.',
  notABackup: 'هذا ليس ملف مفتاح تنظيم من Gather.',
  unsupported: 'لا يستطيع هذا المتصفح استخدام هذا النوع من المفاتيح.',
  forget: 'نسيان المفتاح في هذا المتصفح',
  forgetConfirm: 'لديّ نسخة احتياطية من هذا المفتاح',
  forgotten: 'لم يعد مفتاح التنظيم في هذا المتصفح: عاد يشارك بمفتاح جهازه.',
  organizersLegend: 'منظِّمو هذه الغرفة',
  namedByPage: 'تسمّيه الصفحة',
  you: 'أنت',
  addLabel: 'المفتاح العام لمنظِّم آخر',
  add: 'إضافة منظِّم',
  remove: (key) => `إزالة المنظِّم ${key}`,
  removeVisible: 'إزالة',
  notAKey: 'هذا ليس مفتاحًا عامًا.',
  organizersHelp:
    'يستطيع المنظِّمون الإغلاق والإخفاء والإشراف، وإنشاء روابط الدعوة، وإزالة الأعضاء. المفاتيح التي تسمّيها الصفحة تبقى دائمًا؛ وإذا أزال أحدها شخصًا، تبقى الإزالة قائمة.',
  invitesLegend: 'روابط الدعوة',
  invitesHelp:
    'من يفتح الرابط ينضم إلى هذه الغرفة عضوًا، إلى أن يبلغ عدد الأجهزة ما تسمح به. تنتقل الدعوة بعد علامة # في الرابط، ولا ترسلها المتصفحات إلى أي خادم.',
  max: 'الأجهزة التي يقبلها',
  expires: 'يتوقف عن القبول',
  never: 'أبدًا',
  days: (days, shown) => `بعد ${plural(days, { zero: `${shown} يوم`, one: 'يوم واحد', two: 'يومين', few: `${shown} أيام`, many: `${shown} يومًا`, other: `${shown} يوم` })}`,
  includePassword: 'تضمين كلمة مرور الغرفة في الرابط',
  makeInvite: 'إنشاء رابط دعوة',
  inviteLink: 'رابط الدعوة',
  inviteMade: (max, shown) => `أُنشئ الرابط: يقبل ${devices(max, shown)}. أرسله إلى الأشخاص المقصودين به.`,
  inviteUse: (admitted, max, admittedText, maxText) => `شُغل ${admittedText} من ${plural(max, { zero: `${maxText} مكان`, one: 'مكان واحد', two: 'مكانين', few: `${maxText} أماكن`, many: `${maxText} مكانًا`, other: `${maxText} مكان` })}`,
  withdraw: (id) => `سحب الدعوة ${id}`,
  withdrawVisible: 'سحب',
  reopen: (id) => `إعادة فتح الدعوة ${id}`,
  reopenVisible: 'إعادة فتح',
  membersNow: (members, shown) =>
    `في الغرفة الآن ${plural(members, { zero: 'لا أعضاء', one: 'عضو واحد', two: 'عضوان', few: `${shown} أعضاء`, many: `${shown} عضوًا`, other: `${shown} عضو` })}.`,
  withdrawn: 'مسحوبة',
  noInvitesUsed: 'لم ينضم أحد بدعوة بعد.',
  membersLegend: 'الأعضاء',
  noMembers: 'لا أعضاء بعد.',
  memberState: (state) => {
    switch (state) {
      case 'member':
        return 'عضو';
      case 'revoked':
        return 'أُزيل';
      case 'over-limit':
        return 'انضم بعد امتلاء الرابط';
      case 'refused':
        return 'دعوة غير صالحة';
      case 'checking':
        return 'جارٍ التحقق';
      case 'organizer':
        return 'منظِّم';
      case 'none':
        return 'ليس عضوًا';
    }
  },
  revoke: (key) => `إزالة العضو ${key}`,
  revokeVisible: 'إزالة',
  restoreMember: (key) => `إعادة العضو ${key}`,
  restoreMemberVisible: 'إعادة',
  more: (count, shown) => `و${shown} غيرهم`,
  passwordLegend: 'كلمة مرور الغرفة',
  passwordNone: 'لا كلمة مرور لهذه الغرفة.',
  passwordHeld: 'يستخدم هذا المتصفح كلمة المرور هذه للغرفة:',
  passwordFromPage: 'الصفحة نفسها تحدد كلمة مرور هذه الغرفة.',
  passwordLabel: 'كلمة مرور الغرفة',
  passwordProtects: 'تُبعد كلمة المرور الغرباء الذين لا يعرفون إلا اسم الغرفة، ولا يستطيع الخادم الذي يعرّف المتصفحات ببعضها قراءة ما تتبادله.',
  passwordDoesNot: 'لا تحمي من أعضاء يعطونها، أو يعطون رابطًا يحملها، لشخص آخر: من يملكها يستطيع قراءة الغرفة.',
  passwordNewRoom: 'كلمة المرور تنشئ غرفة منفصلة: ما في الغرفة من دونها يبقى هناك. حدّدها قبل إرسال روابط الدعوة، وضمّنها فيها.',
  generate: 'إنشاء كلمة مرور طويلة جديدة',
  stopPassword: 'التوقف عن استخدام كلمة المرور هنا',
  passwordSet: 'حُددت كلمة المرور: يستخدمها هذا المتصفح الآن للغرفة.',
  passwordStopped: 'لم يعد هذا المتصفح يستخدم كلمة مرور للغرفة.',
  failed: 'لم ينجح ذلك. حاول مرة أخرى.',
  notOrganizer: 'منظِّمو هذه الغرفة وحدهم يستطيعون فعل هذا.',
};

registerBuiltInTranslation({ $code: 'ar', organizer: organizerAr });
