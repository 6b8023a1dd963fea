//! POST /api/documents: token, body limit, bad lines, then real writes.

use crate::support::{ingesting, shared, ARTICLES, TOKEN};

#[test]
fn a_read_only_server_refuses_ingest() {
    let s = shared();
    let (status, body) = s.post("/api/documents", Some(TOKEN), ARTICLES.as_bytes());
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "read_only");
}

#[test]
fn ingest_needs_the_right_token() {
    let s = ingesting(1 << 20);
    let (status, body) = s.post("/api/documents", None, ARTICLES.as_bytes());
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized");
    for wrong in [
        "",
        "s3cret-test-toke",
        "s3cret-test-tokenX",
        "S3CRET-TEST-TOKEN",
    ] {
        let (status, body) = s.post("/api/documents", Some(wrong), ARTICLES.as_bytes());
        assert!(
            status == 403 || (wrong.is_empty() && status == 401),
            "{wrong:?}: {status} {body}"
        );
    }
    let (_, h) = s.get("/api/health", &[]);
    assert_eq!(h["documents"], 0, "nothing may be stored without the token");
}

#[test]
fn ingest_stores_and_is_idempotent() {
    let s = ingesting(1 << 20);
    let (status, body) = s.post("/api/documents", Some(TOKEN), ARTICLES.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["documents"], 7);
    assert_eq!(body["stored"], 7);
    let (_, h) = s.get("/api/health", &[]);
    assert_eq!(h["documents"], 7);
    assert!(h["events"].as_u64().unwrap() > 0);
    let (status, body) = s.post("/api/documents", Some(TOKEN), ARTICLES.as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["unchanged"], 7);
    // the new articles are readable at once
    let (status, d) = s.get("/api/documents/serve-4", &[]);
    assert_eq!(status, 200);
    assert!(d["text"].as_str().unwrap().contains("أنقرة"));
}

#[test]
fn bad_lines_are_named_and_nothing_is_stored() {
    let s = ingesting(1 << 20);
    let body = format!(
        "{}\nnot json\n{{\"id\": \"x\"}}\n",
        ARTICLES.lines().next().unwrap()
    );
    let (status, resp) = s.post("/api/documents", Some(TOKEN), body.as_bytes());
    assert_eq!(status, 400, "{resp}");
    let lines = resp["error"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["id"], "x");
    let (_, h) = s.get("/api/health", &[]);
    assert_eq!(h["documents"], 0);
    let (status, _) = s.post("/api/documents", Some(TOKEN), b"\n\n");
    assert_eq!(status, 400);
    let (status, _) = s.post("/api/documents", Some(TOKEN), &[0xff, 0xfe, b'\n']);
    assert_eq!(status, 400);
}

#[test]
fn bodies_over_the_limit_are_413() {
    let s = ingesting(4096);
    let big = ARTICLES.repeat(10);
    assert!(big.len() > 4096);
    let (status, body) = s.post("/api/documents", Some(TOKEN), big.as_bytes());
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "body_too_large");
}
