//! Golden tests of the entity layer on sentences written for them: titles
//! that depend on the date, clitics and spelling variants, people found from
//! context, and references to entities already named.

use crate::common::{entity_lines, extract};

fn golden(text: &str, date: Option<&str>) -> String {
    let rec = extract(text, date);
    entity_lines(text, &rec)
}

#[test]
fn titles_resolve_by_the_article_date() {
    let text = "قال الرئيس الأميركي إن بلاده ستدعم المفاوضات.";
    let in_2023 = golden(text, Some("2023-06-01"));
    let in_2025 = golden(text, Some("2025-06-01"));
    assert!(in_2023.contains("جو بايدن"), "{in_2023}");
    assert!(
        in_2025.contains("ترامب") || in_2025.contains("ترمب"),
        "{in_2025}"
    );
    insta::assert_snapshot!("title_2023", in_2023);
    insta::assert_snapshot!("title_2025", in_2025);
}

#[test]
fn clitics_variants_and_one_entity_per_referent() {
    let text = "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الصيني في موسكو، وقال لافروف إن روسيا والصين متفقتان. \
                وأضاف الوزير الروسي أن بلاده لن تسمح لواشنطن بفرض إرادتها، فيما دعا ترمب وترامب ولترمب إلى التهدئة، وتوجه وفد للأمم المتحدة.";
    let out = golden(text, Some("2024-03-01"));
    insta::assert_snapshot!(out);
}

#[test]
fn people_found_from_context_get_an_actor_from_their_title() {
    let text = "وقال المتحدث باسم وزارة الخارجية المغربية، سعيد الحسني، إن الرباط ترحب بالمبادرة. \
                وأكد الحسني أن المحادثات ستستمر. وقال قائد الفرقة الثالثة في الجيش السوداني العميد حامد عمر الطيب إن الوضع في ولاية كسلا هادئ.";
    let out = golden(text, Some("2024-05-10"));
    insta::assert_snapshot!(out);
}

#[test]
fn references_resolve_to_entities_already_named() {
    let text = "أدانت وزارة الخارجية الأردنية الهجوم، وقالت الوزارة في بيان إن عمّان تتابع الوضع. \
                واتصل الرئيس الفرنسي بالملك الأردني، وبحث الأخير معه التطورات.";
    let out = golden(text, Some("2024-02-01"));
    insta::assert_snapshot!(out);
}
