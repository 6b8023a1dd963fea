//! Bytes to text by the page's declared charset. Many Arabic sites still
//! serve windows-1256 (or ISO-8859-6); reading them as UTF-8 would turn every
//! letter into U+FFFD.

use dom_query::Document;
use encoding_rs::{Encoding, UTF_8};

/// How much of a page is searched for a `<meta charset>`: HTML requires the
/// declaration within the first 1024 bytes; some sites are sloppier.
const META_PRESCAN_BYTES: usize = 4096;

/// The `charset` parameter of a `Content-Type` value, if any.
pub fn charset_of_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// The charset a page declares in a `<meta>` near its start.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    // Tags and attribute names are ASCII, so a lossy read finds them in any
    // ASCII-compatible encoding.
    let doc = Document::from(String::from_utf8_lossy(head).as_ref());
    if let Some(c) = doc.select("meta[charset]").attr("charset") {
        return Some(c.trim().to_string());
    }
    for meta in doc.select("meta[http-equiv][content]").iter() {
        let is_content_type = meta
            .attr("http-equiv")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"));
        if is_content_type {
            if let Some(content) = meta.attr("content") {
                if let Some(c) = charset_of_content_type(&content) {
                    return Some(c.to_string());
                }
            }
        }
    }
    None
}

/// Decodes a page: a byte-order mark wins, then the `Content-Type` header's
/// charset, then `<meta charset>`, then UTF-8. Undecodable bytes become
/// U+FFFD rather than failing the page.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let declared = content_type
        .and_then(charset_of_content_type)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .or_else(|| meta_charset(bytes).and_then(|l| Encoding::for_label(l.as_bytes())))
        .unwrap_or(UTF_8);
    let (text, _, _) = declared.decode(bytes);
    text.into_owned()
}
