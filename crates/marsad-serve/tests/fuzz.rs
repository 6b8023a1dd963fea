//! Arbitrary query strings: the server answers 2xx or 4xx, never 5xx.

use proptest::prelude::*;

use crate::support::shared;

const PATHS: &[&str] = &[
    "/api/events",
    "/api/quotes",
    "/api/entities",
    "/api/counts",
    "/api/timeline",
    "/api/network",
    "/api/health",
];
const NAMES: &[&str] = &[
    "actor",
    "source_actor",
    "target_actor",
    "country",
    "code",
    "plover",
    "modality",
    "since",
    "until",
    "text",
    "cluster",
    "limit",
    "cursor",
    "by",
    "x",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-f]{0,40}",
        "[\\-0-9]{0,12}",
        "\\PC{0,30}",
        Just("\"*^:()OR NEAR".to_string()),
        Just("%_\\'; DROP TABLE events; --".to_string()),
        Just("ب".repeat(256)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_query_string_gets_a_5xx(
        path in prop::sample::select(PATHS),
        pairs in prop::collection::vec((prop::sample::select(NAMES), value()), 0..4),
    ) {
        let s = shared();
        let mut req = s.agent.get(s.url(path));
        for (k, v) in &pairs {
            req = req.query(*k, v);
        }
        let resp = req.call().expect("request");
        let status = resp.status().as_u16();
        prop_assert!(status < 500, "{} {:?} -> {}", path, pairs, status);
    }

    #[test]
    fn no_raw_query_string_gets_a_5xx(path in prop::sample::select(PATHS), raw in "[ -~]{0,60}") {
        let s = shared();
        let encoded: String = raw.bytes().map(|b| match b {
            b' ' | b'#' => format!("%{b:02X}"),
            _ => (b as char).to_string(),
        }).collect();
        let resp = s.agent.get(format!("{}?{}", s.url(path), encoded)).call();
        // a query the client library itself refuses to send is not the server's to answer
        if let Ok(resp) = resp {
            let status = resp.status().as_u16();
            prop_assert!(status < 500, "{}?{} -> {}", path, encoded, status);
        }
    }
}
