//! Article pages: the right body, title, date and outlet, and the golden
//! text of each page.

use marsad_feeds::{canonical_url, decode_html, extract_article, parse_date, Article, DateSource};

use crate::{data_dir, extractor};

fn read(name: &str, content_type: Option<&str>, url: Option<&str>) -> Article {
    let bytes = std::fs::read(data_dir().join(name)).expect("test page");
    let html = decode_html(&bytes, content_type);
    extract_article(&html, url, name, extractor()).expect("an article")
}

fn assert_clean(text: &str, clutter: &[&str]) {
    for c in clutter {
        assert!(!text.contains(c), "boilerplate {c:?} in the text:\n{text}");
    }
    assert!(!text.contains('\u{FFFD}'), "undecoded bytes in:\n{text}");
}

#[test]
fn page_with_navigation_related_links_comments_and_share_buttons() {
    let a = read(
        "article-clutter.html",
        Some("text/html; charset=utf-8"),
        Some("https://rasif.example/politics/2026/02/jordan-iraq-border?utm_source=rss"),
    );
    assert_eq!(
        a.title.as_deref(),
        Some("وزير الخارجية الأردني يبحث مع نظيره العراقي أمن الحدود")
    );
    // the article's <time>, not the site header's "today" nor the comments'
    assert_eq!(a.date.as_deref(), Some("2026-02-03"));
    assert_eq!(a.date_source, Some(DateSource::TimeElement));
    assert_eq!(a.outlet.as_deref(), Some("صحيفة الرصيف"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://rasif.example/politics/2026/02/jordan-iraq-border"),
        "canonical link resolved against the page URL"
    );
    assert!(a.text.starts_with("استقبل وزير الخارجية الأردني في عمّان"));
    assert!(a.text.contains("عابرة للحدود"));
    assert!(a.text.ends_with("إزاء الأزمات الإقليمية."));
    assert_eq!(a.text.lines().count(), 5, "five paragraphs:\n{}", a.text);
    assert_clean(
        &a.text,
        &[
            "اقرأ أيضاً",
            "ارتفاع الصادرات",
            "قمة ثلاثية مرتقبة",
            "التعليقات",
            "أبو سامر",
            "الأكثر قراءة",
            "فيسبوك",
            "الرئيسية",
            "أرشيفية",
            "وسوم",
            "جميع الحقوق",
            "تسجيل الدخول",
            "dataLayer",
        ],
    );
    insta::assert_snapshot!("clutter", a.text);
}

#[test]
fn windows_1256_page_is_decoded_by_its_meta_charset() {
    let a = read("article-1256.html", Some("text/html"), None);
    assert_eq!(
        a.title.as_deref(),
        Some("الجزائر والمغرب: تبادل الاتهامات حول الحدود المغلقة")
    );
    assert_eq!(a.date.as_deref(), Some("2026-02-17"));
    assert_eq!(a.date_source, Some(DateSource::MetaPublishedTime));
    assert_eq!(a.outlet.as_deref(), Some("الأخبار المغاربية"));
    assert_eq!(a.url, None, "no canonical link and no URL");
    assert!(a
        .text
        .starts_with("اتهمت وزارة الخارجية الجزائرية يوم الاثنين"));
    assert_clean(&a.text, &["شارك", "تونس: إضراب", "حقوق النشر", "اتصل بنا"]);
    insta::assert_snapshot!("windows_1256", a.text);
}

#[test]
fn a_charset_in_the_content_type_wins_over_the_page() {
    let bytes = std::fs::read(data_dir().join("article-1256.html")).expect("page");
    // Read as UTF-8 (wrongly declared by the server) every letter is lost.
    let wrong = decode_html(&bytes, Some("text/html; charset=utf-8"));
    assert!(wrong.contains('\u{FFFD}'));
    let right = decode_html(&bytes, Some("text/html; charset=\"windows-1256\""));
    assert!(right.contains("وزارة الخارجية الجزائرية"));
}

#[test]
fn page_with_json_ld() {
    let a = read(
        "article-jsonld.html",
        None,
        Some("https://almanara.example/lebanon/2026/03/parliament#top"),
    );
    assert_eq!(
        a.title.as_deref(),
        Some("البرلمان اللبناني يؤجل جلسة انتخاب رئيس الحكومة")
    );
    // the publisher's day (+02:00), not the UTC one
    assert_eq!(a.date.as_deref(), Some("2026-03-09"));
    assert_eq!(a.date_source, Some(DateSource::JsonLd));
    assert_eq!(a.outlet.as_deref(), Some("المنارة"), "JSON-LD publisher");
    assert_eq!(
        a.url.as_deref(),
        Some("https://almanara.example/lebanon/2026/03/parliament")
    );
    assert!(a.text.starts_with("أعلن رئيس مجلس النواب اللبناني"));
    assert_clean(
        &a.text,
        &[
            "اقرأ أيضا",
            "جدل حول قانون",
            "الأكثر مشاهدة",
            "صورة من جلسة",
            "طباعة",
            "شروط الاستخدام",
            "لبنان\nالعالم",
        ],
    );
    insta::assert_snapshot!("json_ld", a.text);
}

#[test]
fn page_with_only_a_dateline() {
    let a = read(
        "article-dateline.html",
        None,
        Some("http://www.sudan-news.example/sudan/2026/03/protests"),
    );
    assert_eq!(
        a.title.as_deref(),
        Some("احتجاجات في الخرطوم للمطالبة بوقف الحرب")
    );
    assert_eq!(a.date.as_deref(), Some("2026-03-12"));
    assert_eq!(a.date_source, Some(DateSource::Dateline));
    assert_eq!(a.outlet.as_deref(), Some("sudan-news.example"), "the host");
    assert!(a
        .text
        .starts_with("الخرطوم - 12 مارس 2026 - خرج مئات المتظاهرين"));
    assert_clean(
        &a.text,
        &[
            "شارك الخبر",
            "فيسبوك",
            "أعلن معنا",
            "الصفحة الأولى",
            "السودان اليوم",
        ],
    );
    insta::assert_snapshot!("dateline", a.text);
}

/// A page carrying a date in every place, each one a different day: the
/// first present in the documented order wins.
#[test]
fn publication_date_sources_in_order() {
    let body = "<p>عقد مجلس الوزراء جلسته الأسبوعية برئاسة رئيس الحكومة، وناقش خلالها مشروع \
        قانون الضرائب الجديد وخطة لإصلاح قطاع الكهرباء، وقرر إحالة المشروع إلى البرلمان \
        لمناقشته في دورته المقبلة بعد أن أدخلت عليه تعديلات طالبت بها النقابات.</p>\
        <p>وقال المتحدث باسم الحكومة إن الخطة تهدف إلى خفض ساعات انقطاع التيار الكهربائي \
        خلال الصيف المقبل، وإن تمويلها سيأتي من قروض ميسرة ومنح من دول صديقة ومن \
        موازنة الدولة، مشيراً إلى أن تنفيذها سيبدأ في غضون أشهر قليلة.</p>";
    let page = |time: bool, meta: bool, ld: bool| {
        format!(
            "<html><head>{}{}</head><body><article>{}<p>بيروت - 4 يناير 2026 - خبر عاجل.</p>{body}</article></body></html>",
            if meta { r#"<meta property="article:published_time" content="2026-01-02T12:00:00Z">"# } else { "" },
            if ld { r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-01-03"}</script>"# } else { "" },
            if time { r#"<time datetime="2026-01-01T09:00:00+02:00">1 يناير</time>"# } else { "" },
        )
    };
    let date = |html: String| {
        let a = extract_article(&html, None, "inline", extractor()).expect("article");
        (a.date, a.date_source)
    };
    assert_eq!(
        date(page(true, true, true)),
        (Some("2026-01-01".into()), Some(DateSource::TimeElement))
    );
    assert_eq!(
        date(page(false, true, true)),
        (
            Some("2026-01-02".into()),
            Some(DateSource::MetaPublishedTime)
        )
    );
    assert_eq!(
        date(page(false, false, true)),
        (Some("2026-01-03".into()), Some(DateSource::JsonLd))
    );
    assert_eq!(
        date(page(false, false, false)),
        (Some("2026-01-04".into()), Some(DateSource::Dateline))
    );
}

#[test]
fn a_page_without_text_is_an_error_naming_it() {
    let e = extract_article(
        "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>",
        None,
        "empty.html",
        extractor(),
    )
    .expect_err("no text");
    assert!(e.to_string().contains("empty.html"), "{e}");
}

#[test]
fn dates_as_pages_and_feeds_write_them() {
    for (s, want) in [
        ("2026-03-09T23:40:00-05:00", Some("2026-03-09")),
        ("2026-03-09T23:40:00+0300", Some("2026-03-09")),
        ("2026-03-09T23:40:00.123Z", Some("2026-03-09")),
        ("2026-03-09T23:40", Some("2026-03-09")),
        ("2026-03-09", Some("2026-03-09")),
        ("Tue, 17 Feb 2026 09:30:00 +0100", Some("2026-02-17")),
        ("Tue, 17 Feb 2026 09:30:00 GMT", Some("2026-02-17")),
        ("الثلاثاء", None),
        ("2026-13-40", None),
        ("", None),
    ] {
        assert_eq!(parse_date(s).as_deref(), want, "{s:?}");
    }
}

#[test]
fn canonical_urls() {
    for (raw, want) in [
        (
            "HTTPS://Rasif.Example:443/a/b?utm_source=rss&id=7&fbclid=x#c",
            "https://rasif.example/a/b?id=7",
        ),
        (
            "http://rasif.example/a?utm_medium=feed",
            "http://rasif.example/a",
        ),
        (
            "https://rasif.example/%D8%A3",
            "https://rasif.example/%D8%A3",
        ),
    ] {
        assert_eq!(canonical_url(raw).expect(raw), want);
    }
    for bad in ["ftp://rasif.example/a", "not a url", "file:///etc/passwd"] {
        let e = canonical_url(bad).expect_err(bad);
        assert!(e.to_string().contains(bad), "{e}");
    }
}
