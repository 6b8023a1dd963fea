//! Golden tests of the quotes layer through the public API: each case is a
//! sentence or two written for these tests, and the snapshot lists the quotes
//! found in it with their speaker (by entity name), speaker words, cue,
//! content, directness and medium.
//!
//! The speakers here are countries, capitals, titles and unnamed sources,
//! which the embedded lexicon resolves without the people and organisation
//! files, so the snapshots test the frames rather than the lexicon.

use std::sync::OnceLock;

use marsad_extract::{Extractor, InputDoc, Record};
use serde_json::{json, Value};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::embedded().expect("the embedded lexicon loads"))
}

fn extract(text: &str) -> Record {
    extractor().extract(&InputDoc {
        id: "test".into(),
        date: Some("2025-03-10".into()),
        text: text.into(),
        ..InputDoc::default()
    })
}

/// The quotes of one text, checked against the offset contract
/// (`text[span] == quote.text`) and reduced to what a reader checks.
fn quotes(text: &str) -> Vec<Value> {
    let rec = extract(text);
    let chars: Vec<char> = text.chars().collect();
    let name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|i| rec.entities.iter().find(|e| &e.id == i))
            .map(|e| e.name.clone())
    };
    rec.quotes
        .iter()
        .map(|q| {
            let [s, e] = q.span;
            assert!(
                s < e && e <= chars.len(),
                "span {:?} out of range in {text}",
                q.span
            );
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                q.text,
                "text[span] in {text}"
            );
            json!({
                "cue": q.cue,
                "speaker": name(&q.speaker),
                "speaker_text": q.speaker_text,
                "text": q.text,
                "direct": q.direct,
                "via": name(&q.via),
            })
        })
        .collect()
}

fn cases(texts: &[&str]) -> Value {
    Value::Array(
        texts
            .iter()
            .map(|t| json!({ "input": t, "quotes": quotes(t) }))
            .collect(),
    )
}

#[test]
fn verb_before_subject() {
    insta::assert_json_snapshot!(cases(&[
        "قال الرئيس الروسي إن بلاده مستعدة لاستئناف المفاوضات دون شروط مسبقة.",
        "وقالت وزارة الخارجية القطرية في بيان، إن الدوحة تواصل اتصالاتها مع الأطراف المعنية.",
        "أكد وزير الخارجية الصيني، الثلاثاء، أن بكين لن تقبل أي تدخل في شؤونها الداخلية.",
        "أعلنت طهران أنها ستفرج عن ناقلة النفط المحتجزة خلال أيام.",
        "وأوضح وزير الداخلية التركي أن قوات الأمن أحبطت ثلاث محاولات تسلل عبر الحدود الجنوبية.",
    ]));
}

#[test]
fn subject_before_verb() {
    insta::assert_json_snapshot!(cases(&[
        "وكانت أنقرة قد أعلنت أن قواتها ستبقى في المنطقة حتى إشعار آخر.",
        "الرئيس الفرنسي قال إن الاتفاق ما زال ممكناً رغم التعقيدات.",
        "أما وزير الخارجية البريطاني، فقال إن لندن ستواصل دعم كييف.",
        "والتقى الرئيس المصري وزير الخارجية الأمريكي الذي قال إن واشنطن تدعم جهود الوساطة.",
    ]));
}

#[test]
fn direct_quotes() {
    insta::assert_json_snapshot!(cases(&[
        "وقال الرئيس الأمريكي للصحافيين في البيت الأبيض: «سنعلن عن قرارنا قريباً جداً».",
        "وقال وزير الدفاع الإسرائيلي: «لن نتوقف حتى نحقق أهدافنا. الطريق طويل لكننا سنصل». وغادر القاعة بعد ذلك.",
        "وأكد رئيس الوزراء العراقي أن حكومته «لن تسمح بتحويل البلاد إلى ساحة لتصفية الحسابات».",
        "وقال الرئيس التركي إن \"المنطقة لا تحتمل حرباً جديدة\"، داعياً إلى حوار شامل.",
        "وأكد وزير الخارجية السعودي أن المملكة «تدعم الحل السياسي»، وأن الرياض «لن تدخر جهداً لإنهاء الأزمة».",
    ]));
}

#[test]
fn participle_chains() {
    insta::assert_json_snapshot!(cases(&[
        "قال مسؤول في وزارة الداخلية الأردنية إن الشرطة اعتقلت خمسة مشتبهين، مضيفاً أن التحقيقات ما زالت جارية.",
        "أعلنت وزارة الصحة الفلسطينية أن عدد الجرحى تجاوز مئتي شخص، مشيرة إلى أن المستشفيات تعاني نقصاً حاداً في الأدوية.",
        "بدوره، قال وزير الخارجية الإيراني إن طهران منفتحة على أي مبادرة جادة، محذراً من أن استمرار الضغوط سيقود إلى نتائج عكسية.",
        "وأكد الملك الأردني دعم بلاده الكامل لجهود التهدئة، مشدداً على ضرورة حماية المدنيين.",
        "ورد وزير الخارجية الإيراني على هذه التصريحات قائلاً إن طهران لا تسعى إلى التصعيد.",
        "وقال الرئيس اللبناني إن الجيش انتشر في البلدات الحدودية، لافتاً إلى أن الانتشار سيكتمل خلال أسبوعين.",
    ]));
}

#[test]
fn carried_over_speakers() {
    insta::assert_json_snapshot!(cases(&[
        "وقال الرئيس التركي إن أنقرة ستستضيف جولة جديدة من المحادثات. وأضاف أن الوفود ستصل إلى إسطنبول يوم الاثنين.",
        "وقال وزير الخارجية الفرنسي إن باريس تدعم وقف إطلاق النار. وتابع: «على جميع الأطراف أن تتحمل مسؤولياتها».",
        "قال المتحدث باسم الخارجية الصينية إن بكين تتابع الوضع. وأضاف المتحدث أن الصين تدعو إلى ضبط النفس.",
        "وقالت مصادر عسكرية إن الطائرات قصفت مواقع في الريف الشرقي. وأضافت المصادر أن الغارات أوقعت خسائر كبيرة.",
    ]));
}

#[test]
fn relay_chains() {
    insta::assert_json_snapshot!(cases(&[
        "ونقلت وكالة رويترز عن مسؤول أوروبي قوله إن الاتحاد يدرس فرض عقوبات جديدة على الشركات المتورطة.",
        "نقلت صحيفة محلية عن مصادر أمنية أن الهجوم استهدف قافلة عسكرية قرب الحدود.",
        "ونقل التلفزيون الرسمي عن الرئيس السوري قوله إن دمشق «ترحب بأي جهد عربي لإعادة الاستقرار».",
        "ونقلت قناة محلية عن وزير الدفاع العراقي قوله: «قواتنا جاهزة لأي طارئ»، مؤكداً أن الحدود مؤمنة بالكامل.",
    ]));
}

#[test]
fn source_phrases() {
    insta::assert_json_snapshot!(cases(&[
        "قال وزير الخارجية المصري إن القاهرة ترفض أي مخطط لتهجير السكان، وفق ما نقلت وكالة رويترز.",
        "وبحسب وزارة الصحة، ارتفع عدد الضحايا إلى أربعين قتيلاً منذ صباح اليوم.",
        "قتل ثلاثة أشخاص في انفجار سيارة مفخخة وسط العاصمة الصومالية، بحسب ما أفادت به مصادر طبية.",
        "أوقفت الشرطة التركية عشرين شخصاً في إسطنبول، وفق ما أفادت به مصادر أمنية.",
        "ووفقاً لوزارة الداخلية، تجاوز عدد المعتقلين مئة شخص خلال الأسبوع الماضي.",
    ]));
}

#[test]
fn unnamed_speakers() {
    insta::assert_json_snapshot!(cases(&[
        "وقال مصدر دبلوماسي غربي، طلب عدم ذكر اسمه، إن المحادثات وصلت إلى طريق مسدود.",
        "وذكرت مصادر مطلعة أن الوفد المفاوض سيعود إلى القاهرة الأسبوع المقبل.",
        "قال شهود عيان إن القصف استمر لساعات طويلة.",
        "وقال مسؤول في الحكومة العراقية لوكالة الأنباء الفرنسية إن بغداد تلقت ضمانات بعدم استهداف منشآتها.",
    ]));
}

#[test]
fn media_and_platforms() {
    insta::assert_json_snapshot!(cases(&[
        "وكتب الرئيس الأوكراني على منصة إكس أن كييف تلقت دفعة جديدة من أنظمة الدفاع الجوي.",
        "وقال الرئيس الفرنسي لصحيفة «لوموند» إن باريس لن تعترف بضم الأراضي بالقوة.",
        "وقالت الحكومة السودانية في بيان نشرته على منصة «إكس» إن الجيش استعاد السيطرة على المدينة.",
        "وقال وزير الخارجية الإسرائيلي في تغريدة على تويتر إن \"الرد سيكون حازماً\".",
    ]));
}

#[test]
fn charges_and_descriptions() {
    insta::assert_json_snapshot!(cases(&[
        "واتهم الرئيس الإيراني واشنطن بـ«زعزعة استقرار المنطقة».",
        "ووصف وزير الخارجية الروسي العقوبات الجديدة بأنها «غير قانونية وغير مبررة».",
        "وندد الرئيس الجزائري بالقرار، واصفاً إياه بـ«الاستفزاز غير المقبول».",
    ]));
}

#[test]
fn nested_and_split_statements() {
    insta::assert_json_snapshot!(cases(&[
        "وقالت وزارة الدفاع الروسية إن قواتها دمرت مستودعاً قالت إنه كان يستخدم لتخزين الذخيرة.",
        "وقال الرئيس الإيراني إن بلاده ستواصل التخصيب، فيما قالت باريس إن ذلك يهدد الاتفاق.",
        "وأعلنت عمان أنها ستستضيف المؤتمر، وأن الدعوات وجهت إلى جميع دول الجوار.",
    ]));
}

/// An extractor whose lexicon also knows a few media and two invented
/// speakers, so that named speakers and media (`via`) are tested whatever the
/// embedded people and organisation files hold.
fn extractor_with_media() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let mut sources = marsad_lexicon::Sources::embedded();
        sources.add(
            "orgs.tsv",
            "id\tname_ar\taliases_ar\tname_en\ttype\tactor\tcountry\n\
             qt_reuters\tرويترز\tوكالة رويترز\tReuters\tORG\t\t\n\
             qt_telegram\tتليغرام\tتلغرام\tTelegram\tORG\t\t\n\
             qt_x\tإكس\t\tX\tORG\t\t\n\
             qt_agency\tوكالة أنباء الساحل\t\tSahel News Agency\tORG\t\t\n\
             qt_tv\tقناة الأفق\tالأفق\tAl-Ufuq TV\tORG\t\t\n\
             qt_party\tحركة الغد\t\tTomorrow Movement\tORG\t\t\n",
        );
        sources.add(
            "people/quotes-test.tsv",
            "id\tname_ar\taliases_ar\tname_en\tactor\n\
             qt_samer\tسامر الحلبي\tالحلبي\tSamer al-Halabi\tSYRCVL\n\
             qt_lina\tلينا منصور\tمنصور\tLina Mansour\tLBNGOV\n",
        );
        let lex = marsad_lexicon::Lexicon::load(sources).expect("the test lexicon loads");
        Extractor::new(lex).expect("the test extractor builds")
    })
}

fn cases_with_media(texts: &[&str]) -> Value {
    Value::Array(
        texts
            .iter()
            .map(|t| {
                let rec = extractor_with_media().extract(&InputDoc {
                    id: "test".into(),
                    date: Some("2025-03-10".into()),
                    text: (*t).into(),
                    ..InputDoc::default()
                });
                let name = |id: &Option<String>| {
                    id.as_ref()
                        .and_then(|i| rec.entities.iter().find(|e| &e.id == i))
                        .map(|e| e.name.clone())
                };
                let quotes: Vec<Value> = rec
                    .quotes
                    .iter()
                    .map(|q| {
                        json!({
                            "cue": q.cue,
                            "speaker": name(&q.speaker),
                            "speaker_text": q.speaker_text,
                            "text": q.text,
                            "direct": q.direct,
                            "via": name(&q.via),
                        })
                    })
                    .collect();
                json!({ "input": t, "quotes": quotes })
            })
            .collect(),
    )
}

#[test]
fn named_speakers_and_media() {
    insta::assert_json_snapshot!(cases_with_media(&[
        "وقال سامر الحلبي في منشور على تطبيق تليغرام إن القوافل وصلت إلى المدينة.",
        "قالت لينا منصور إن الحكومة ستعلن خطتها قريباً، وفق ما نقلت وكالة رويترز.",
        "ونقلت وكالة أنباء الساحل عن مصدر دبلوماسي قوله إن «المفاوضات ستستأنف الأسبوع المقبل».",
        "وأكد الحلبي لـ«قناة الأفق» أن التظاهرات ستستمر، مضيفاً أن المحتجين «لن يتراجعوا».",
        "وكتبت حركة الغد على منصة إكس أن الانتخابات يجب أن تجري في موعدها.",
        "وبحسب رويترز، وصلت الشحنة إلى الميناء صباح اليوم.",
        "قالت منصور إن الوزارة ستفتح تحقيقاً. وأضافت أن النتائج ستعلن خلال أسبوع.",
    ]));
}

#[test]
fn sentences_without_quotes() {
    for text in [
        "ارتفعت أسعار النفط في الأسواق العالمية بنسبة ثلاثة في المئة.",
        "عقد مجلس الأمن جلسة طارئة لبحث الأوضاع في السودان.",
        "نقلت الشاحنات المساعدات إلى المدينة المحاصرة.",
        "وتابع المسؤولون التطورات عن كثب طوال الليل.",
        "وصل الرئيس الفرنسي إلى بيروت في زيارة رسمية تستمر يومين.",
        "وقالت إن.",
        "«».",
        "",
    ] {
        assert!(
            quotes(text).is_empty(),
            "no quote expected in {text:?}, got {:?}",
            quotes(text)
        );
    }
}

#[test]
fn odd_input_does_not_panic() {
    for text in [
        "قال: «",
        "» قال إن «",
        "قال الرئيس الروسي إن «بلاده مستعدة\nوأضاف أن",
        "، مضيفاً أن",
        "وفق ما",
        "نقلت عن قوله إن",
        "بحسب ،",
        "قال قال قال إن إن إن",
        "\"\"\"\"",
    ] {
        let _ = quotes(text);
    }
}

/// Words the quotes layer reacts to, shuffled into arbitrary texts.
const VOCAB: &[&str] = &[
    "قال",
    "وقالت",
    "إن",
    "أن",
    "بأنها",
    "وأن",
    ":",
    "«",
    "»",
    "\"",
    "“",
    "”",
    "،",
    ".",
    "\n",
    "مضيفاً",
    "مشيرة",
    "إلى",
    "على",
    "نقلت",
    "عن",
    "قوله",
    "وفق",
    "ما",
    "بحسب",
    "مصدر",
    "الرئيس",
    "الروسي",
    "موسكو",
    "في",
    "بيان",
    "لـ",
    "بـ",
    "اتهم",
    "وصف",
    "أكد",
    "حرص",
    "يذكر",
    "الذي",
    "ووفقاً",
    "لوزارة",
    "الصحة",
    "كما",
    "لكن",
    "معاليه",
    "عملية",
    "ﷺ",
    "َ",
    "ـ",
    "a",
    "1",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any mix of cue words, marks and punctuation: no panic, and every
    /// quote keeps the offset contract (`quotes` asserts it).
    #[test]
    fn arbitrary_texts_keep_the_offset_contract(
        picks in proptest::collection::vec(0..VOCAB.len(), 0..60),
        spaces in proptest::collection::vec(proptest::bool::ANY, 60),
    ) {
        let mut text = String::new();
        for (k, &p) in picks.iter().enumerate() {
            text.push_str(VOCAB[p]);
            if spaces.get(k).copied().unwrap_or(true) {
                text.push(' ');
            }
        }
        let _ = quotes(&text);
    }
}
