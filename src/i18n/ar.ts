import { pluralsOf } from './plural.js';
import { registerBuiltInTranslation } from './registry.js';
import type { BuiltInTranslation } from './types.js';

const plural = pluralsOf('ar');
/** "N changes" in Arabic's six plural forms. */
const changes = (n: number, shown: string) =>
  plural(n, { zero: 'لا تعديلات', one: 'تعديل واحد', two: 'تعديلان', few: `${shown} تعديلات`, many: `${shown} تعديلًا`, other: `${shown} تعديل` });

export const ar: BuiltInTranslation = {
  $code: 'ar',
  $name: 'العربية',
  $dir: 'rtl',

  status: {
    connecting: 'جارٍ الاتصال…',
    online: (peers, shown) =>
      peers === 0
        ? 'متصل · لا أحد غيرك هنا الآن'
        : `متصل · ${plural(peers, {
            one: 'شخص آخر واحد هنا',
            two: 'شخصان آخران هنا',
            few: `${shown} أشخاص آخرين هنا`,
            many: `${shown} شخصًا آخر هنا`,
            other: `${shown} شخص آخر هنا`,
          })}`,
    offline: (saved) => (saved ? 'غير متصل · محفوظ على هذا الجهاز' : 'غير متصل'),
    cannotSign: 'لا يمكن لهذا المتصفح المشاركة هنا: يجب تقديم الصفحة عبر https.',
    saveFailed: 'تعذّر الحفظ. يُرجى المحاولة مرة أخرى.',
    keeperSaved: 'محفوظ على خادم المجموعة',
    keeperWaiting: (n, shown) => `${changes(n, shown)} بانتظار الخادم`,
    keeperConnecting: 'جارٍ الوصول إلى خادم المجموعة…',
    keeperOffline: (n, shown) =>
      n === 0
        ? 'تعذّر الوصول إلى الخادم — التعديلات محفوظة على هذا الجهاز'
        : `تعذّر الوصول إلى الخادم — ${changes(n, shown)} محفوظة على هذا الجهاز`,
    keeperRefused: (reason) => {
      switch (reason) {
        case 'permission-denied':
          return 'رفض خادم المجموعة هذه الغرفة: كلمة المرور غير مطابقة — التعديلات محفوظة على هذا الجهاز';
        case 'room-not-allowed':
          return 'خادم المجموعة لا يحفظ هذه الغرفة — التعديلات محفوظة على هذا الجهاز';
        case 'too-many-rooms':
          return 'خادم المجموعة ممتلئ الآن — التعديلات محفوظة على هذا الجهاز';
        case 'room-too-large':
          return 'هذه الغرفة أكبر مما يتسع له خادم المجموعة — التعديلات محفوظة على هذا الجهاز';
      }
    },
    checking: (verified, total) => `جارٍ التحقق من التواقيع: ${verified} من ${total}…`,
    receiving: (part) => `جارٍ استلام الغرفة: ${part}…`,
    repaired: (n, shown) =>
      plural(n, {
        zero: 'لم تُستعد أي مدخلات',
        one: 'استُعيد مُدخل واحد حذفه مشارك آخر',
        two: 'استُعيد مُدخلان حذفهما مشارك آخر',
        few: `استُعيدت ${shown} مُدخلات حذفها مشارك آخر`,
        many: `استُعيد ${shown} مُدخلًا حذفها مشارك آخر`,
        other: `استُعيد ${shown} مُدخل حذفها مشارك آخر`,
      }),
    withKeeper: (peers, keeper) => `${peers} · ${keeper}`,
    notKept: (reason) =>
      reason === 'full'
        ? 'لن يتذكر هذا المتصفح تصويتك ولا أي شيء تفعله هنا بعد إغلاق الصفحة: مساحة التخزين فيه ممتلئة.'
        : 'لن يتذكر هذا المتصفح تصويتك ولا أي شيء تفعله هنا بعد إغلاق الصفحة: فهو لا يحتفظ ببيانات هذا الموقع.',
  },
};

// Loaded the first time a widget on the page is in this language (./languages.ts).
registerBuiltInTranslation(ar);
