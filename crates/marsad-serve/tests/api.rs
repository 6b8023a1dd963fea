//! The read API: filters, pages, aggregates, documents, errors.

use std::collections::HashSet;

use crate::support::{read_only, shared};

#[test]
fn health_reports_the_store() {
    let s = shared();
    let (status, h) = s.get("/api/health", &[]);
    assert_eq!(status, 200);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["documents"], 7);
    assert!(h["events"].as_u64().unwrap() >= 5, "{h}");
    assert_eq!(h["ingest"], false);
}

#[test]
fn events_carry_their_trigger_text() {
    let s = shared();
    let (status, page) = s.get("/api/events", &[("limit", "1000")]);
    assert_eq!(status, 200);
    let rows = page["rows"].as_array().unwrap();
    assert!(rows.len() >= 5, "{page}");
    for r in rows {
        let (_, doc) = s.get(
            &format!("/api/documents/{}", r["doc_id"].as_str().unwrap()),
            &[],
        );
        let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
        let (a, b) = (
            r["trigger_start"].as_u64().unwrap() as usize,
            r["trigger_end"].as_u64().unwrap() as usize,
        );
        let slice: String = text[a..b].iter().collect();
        assert_eq!(slice, r["trigger"].as_str().unwrap());
    }
}

#[test]
fn filters_narrow_events() {
    let s = shared();
    let (_, all) = s.get("/api/events", &[("limit", "1000")]);
    let (status, rus) = s.get("/api/events", &[("actor", "RUS"), ("limit", "1000")]);
    assert_eq!(status, 200);
    let rus = rus["rows"].as_array().unwrap();
    assert!(!rus.is_empty());
    assert!(rus.len() < all["rows"].as_array().unwrap().len());
    for r in rus {
        let codes = [r["source_actor"].as_str(), r["target_actor"].as_str()];
        assert!(codes.iter().flatten().any(|c| c.starts_with("RUS")), "{r}");
    }
    let (_, dated) = s.get(
        "/api/events",
        &[("since", "2025-03-05"), ("until", "2025-03-06")],
    );
    for r in dated["rows"].as_array().unwrap() {
        let day = r["day"].as_str().unwrap();
        assert!(("2025-03-05"..="2025-03-06").contains(&day), "{r}");
    }
    // full text, in Arabic, through the query string
    let (status, txt) = s.get("/api/events", &[("text", "غزة")]);
    assert_eq!(status, 200);
    let rows = txt["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["doc_id"] == "serve-3"), "{txt}");
}

#[test]
fn quotes_entities_counts_answer() {
    let s = shared();
    let (status, q) = s.get("/api/quotes", &[]);
    assert_eq!(status, 200);
    assert!(q["rows"].as_array().unwrap().len() >= 3, "{q}");
    let (status, e) = s.get("/api/entities", &[("actor", "بوتين")]);
    assert_eq!(status, 200);
    let rows = e["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["actor"].as_str().is_some_and(|a| a.starts_with("RUS"))),
        "{e}"
    );
    let (status, c) = s.get("/api/counts", &[("code", "KILL")]);
    assert_eq!(status, 200);
    let rows = c["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["doc_id"] == "serve-3" && r["min"] == 8),
        "{c}"
    );
}

#[test]
fn timeline_and_network_aggregate_events() {
    let s = shared();
    let (_, all) = s.get("/api/events", &[("limit", "1000")]);
    let dated = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["day"].as_str().is_some_and(|d| d.len() == 10))
        .count() as u64;
    let (status, t) = s.get("/api/timeline", &[]);
    assert_eq!(status, 200);
    assert_eq!(t["by"], "quad_class");
    let sum: u64 = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["events"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, dated);
    let (status, p) = s.get("/api/timeline", &[("by", "plover")]);
    assert_eq!(status, 200);
    assert_eq!(p["by"], "plover");
    let (status, n) = s.get("/api/network", &[]);
    assert_eq!(status, 200);
    let edges = n["edges"].as_array().unwrap();
    assert!(!edges.is_empty(), "{n}");
    let nodes: HashSet<&str> = n["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["actor"].as_str().unwrap())
        .collect();
    for e in edges {
        assert!(nodes.contains(e["source_actor"].as_str().unwrap()));
        assert!(nodes.contains(e["target_actor"].as_str().unwrap()));
        let g = e["mean_goldstein"].as_f64().unwrap();
        assert!((-10.0..=10.0).contains(&g));
    }
}

#[test]
fn documents_have_every_span_and_unknown_ids_are_404() {
    let s = shared();
    let (status, d) = s.get("/api/documents/serve-7", &[]);
    assert_eq!(status, 200);
    let text: Vec<char> = d["text"].as_str().unwrap().chars().collect();
    // the emoji is one code point: spans stay code-point offsets
    assert!(text.contains(&'😀'));
    for q in d["quotes"].as_array().unwrap() {
        let (a, b) = (
            q["start"].as_u64().unwrap() as usize,
            q["end"].as_u64().unwrap() as usize,
        );
        assert!(a < b && b <= text.len());
    }
    assert!(!d["entities"].as_array().unwrap().is_empty());
    let (status, e) = s.get("/api/documents/no-such-doc", &[]);
    assert_eq!(status, 404);
    assert_eq!(e["error"]["code"], "not_found");
}

#[test]
fn cursor_pages_cover_every_row_once() {
    // 7 articles × 4 copies: enough rows for many small pages
    let s = read_only(3, 1000);
    for (path, key) in [
        ("/api/events", "event_id"),
        ("/api/quotes", "text"),
        ("/api/counts", "text"),
        ("/api/entities", "name"),
    ] {
        let (_, all) = s.get(path, &[("limit", "1000")]);
        let all = all["rows"].as_array().unwrap().clone();
        assert!(all.len() > 6, "{path}: {}", all.len());
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut q = vec![("limit", "3")];
            if let Some(c) = &cursor {
                q.push(("cursor", c.as_str()));
            }
            let (status, page) = s.get(path, &q);
            assert_eq!(status, 200, "{page}");
            let rows = page["rows"].as_array().unwrap();
            assert!(rows.len() <= 3);
            seen.extend(rows.iter().cloned());
            pages += 1;
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
            assert!(pages < 1000, "{path}: pagination does not end");
        }
        // same rows, same order, no duplicates, no gaps
        assert_eq!(seen, all, "{path} ({key})");
    }
}

#[test]
fn limits_are_capped() {
    let s = read_only(1, 4);
    let (status, page) = s.get("/api/events", &[("limit", "100000")]);
    assert_eq!(status, 200);
    assert_eq!(page["limit"], 4);
    assert_eq!(page["rows"].as_array().unwrap().len(), 4);
    assert!(page["next_cursor"].is_string());
    let (status, page) = s.get("/api/events", &[("limit", "99999999999999999999999")]);
    assert_eq!(status, 400, "{page}");
}

#[test]
fn bad_parameters_are_400_with_a_json_error() {
    let s = shared();
    for (path, q) in [
        ("/api/events", vec![("since", "last week")]),
        ("/api/events", vec![("limit", "0")]),
        ("/api/events", vec![("limit", "-3")]),
        ("/api/events", vec![("code", "abc")]),
        ("/api/events", vec![("cursor", "zz")]),
        ("/api/events", vec![("cursor", "5b315d")]),
        ("/api/events", vec![("cluster", "x")]),
        ("/api/events", vec![("colour", "red")]),
        ("/api/quotes", vec![("plover", "PROTEST")]),
        ("/api/entities", vec![("cursor", "not-hex")]),
        ("/api/timeline", vec![("by", "month")]),
        ("/api/timeline", vec![("cursor", "00")]),
        ("/api/events", vec![("text", "***")]),
    ] {
        let (status, body) = s.get(path, &q);
        assert_eq!(status, 400, "{path} {q:?}: {body}");
        assert_eq!(body["error"]["status"], 400);
        assert_eq!(body["error"]["code"], "invalid_parameter");
        let msg = body["error"]["message"].as_str().unwrap();
        assert!(!msg.is_empty() && !msg.contains("panicked"), "{msg}");
    }
    let long = "ب".repeat(300);
    let (status, _) = s.get("/api/events", &[("actor", long.as_str())]);
    assert_eq!(status, 400);
}

#[test]
fn unknown_routes_and_methods_get_json_errors() {
    let s = shared();
    let (status, body) = s.get("/api/nothing", &[]);
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = s.post("/api/events", None, b"{}");
    assert_eq!(status, 405);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[test]
fn the_page_and_its_assets_are_served() {
    let s = shared();
    let mut resp = s.agent.get(s.url("/")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let ct = resp
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(ct.starts_with("text/html"));
    let html = resp.body_mut().read_to_string().unwrap();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains("/assets/app.js"));
    let resp = s.agent.get(s.url("/assets/app.js")).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("content-security-policy").is_some());
}
