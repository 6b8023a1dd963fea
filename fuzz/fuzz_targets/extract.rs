//! The whole extractor: any text, with or without a (possibly malformed)
//! publication date; every span in bounds and the record serialises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marsad_fuzz::{check_record, doc, extractor, text_of};

fuzz_target!(|data: &[u8]| {
    // first byte chooses the date: fixed, none, or the next 10 bytes as given
    let (date, rest) = match data.split_first() {
        Some((b, rest)) if b % 3 == 1 => (None, rest),
        Some((b, rest)) if b % 3 == 2 && rest.len() >= 10 => {
            (Some(text_of(&rest[..10])), &rest[10..])
        }
        Some((_, rest)) => (Some("2015-08-10".to_string()), rest),
        None => (None, data),
    };
    let text = text_of(rest);
    let mut d = doc(text.clone());
    d.date = date;
    let rec = extractor().extract(&d);
    check_record(&text, &rec);
});
