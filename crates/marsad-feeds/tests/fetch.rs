//! The fetch policy against a real server: conditional GET, user agent,
//! per-host delay, retries, size cap.

use std::time::Duration;

use marsad_feeds::{Error, FetchPolicy, Fetcher, Validators};

use crate::data_dir;
use crate::server::{TestServer, ATOM_LAST_MODIFIED, RSS_ETAG};

pub fn quick_policy() -> FetchPolicy {
    FetchPolicy {
        host_delay: Duration::ZERO,
        backoff: Duration::from_millis(10),
        retries: 2,
        timeout: Duration::from_secs(10),
        ..FetchPolicy::default()
    }
}

#[test]
fn conditional_get_with_etag_and_last_modified() {
    let srv = TestServer::start(&data_dir());
    let f = Fetcher::new(quick_policy());
    let first = f
        .get(&srv.url("/rss.xml"), Validators::default())
        .expect("rss");
    assert_eq!(first.status, 200);
    assert_eq!(first.etag.as_deref(), Some(RSS_ETAG));
    assert!(!first.body.is_empty());
    let again = f
        .get(
            &srv.url("/rss.xml"),
            Validators {
                etag: first.etag.as_deref(),
                last_modified: None,
            },
        )
        .expect("rss again");
    assert!(again.not_modified());
    assert!(again.body.is_empty());

    let atom = f
        .get(&srv.url("/atom.xml"), Validators::default())
        .expect("atom");
    assert_eq!(atom.last_modified.as_deref(), Some(ATOM_LAST_MODIFIED));
    let atom2 = f
        .get(
            &srv.url("/atom.xml"),
            Validators {
                etag: None,
                last_modified: atom.last_modified.as_deref(),
            },
        )
        .expect("atom again");
    assert!(atom2.not_modified());
    assert_eq!(srv.statuses("/rss.xml"), vec![200, 304]);
    assert_eq!(srv.statuses("/atom.xml"), vec![200, 304]);
}

#[test]
fn requests_name_marsad_and_wait_between_hits_on_one_host() {
    let srv = TestServer::start(&data_dir());
    let delay = Duration::from_millis(300);
    let f = Fetcher::new(FetchPolicy {
        host_delay: delay,
        ..quick_policy()
    });
    for _ in 0..3 {
        f.get(&srv.url("/feed.json"), Validators::default())
            .expect("feed");
    }
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        let ua = r.user_agent.as_deref().unwrap_or("");
        assert!(ua.starts_with("marsad/"), "user agent {ua:?}");
    }
    for w in reqs.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        // the server logs after answering; allow for the response time
        assert!(gap >= delay - Duration::from_millis(50), "gap {gap:?}");
    }
}

#[test]
fn transient_failures_are_retried_with_backoff() {
    let srv = TestServer::start(&data_dir());
    let f = Fetcher::new(quick_policy());
    let ok = f
        .get(&srv.url("/flaky.html"), Validators::default())
        .expect("second attempt succeeds");
    assert_eq!(ok.status, 200);
    assert_eq!(srv.statuses("/flaky.html"), vec![503, 200]);

    let e = f
        .get(&srv.url("/broken.xml"), Validators::default())
        .expect_err("always 503");
    assert!(matches!(e, Error::Status { status: 503, .. }), "{e:?}");
    assert!(e.to_string().contains("/broken.xml"), "{e}");
    assert_eq!(srv.count("/broken.xml"), 3, "one try and two retries");

    let e = f
        .get(&srv.url("/nowhere"), Validators::default())
        .expect_err("404");
    assert!(matches!(e, Error::Status { status: 404, .. }), "{e:?}");
    assert_eq!(srv.count("/nowhere"), 1, "a 404 is not retried");
}

#[test]
fn a_refused_connection_is_an_error_naming_the_url() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let url = format!("http://127.0.0.1:{port}/rss.xml");
    let e = Fetcher::new(quick_policy())
        .get(&url, Validators::default())
        .expect_err("nobody listens");
    assert!(matches!(e, Error::Fetch { .. }), "{e:?}");
    assert!(e.to_string().contains(&url), "{e}");
}

#[test]
fn a_body_over_the_cap_is_refused() {
    let srv = TestServer::start(&data_dir());
    let f = Fetcher::new(FetchPolicy {
        max_bytes: 1 << 20,
        ..quick_policy()
    });
    let e = f
        .get(&srv.url("/big.html"), Validators::default())
        .expect_err("3 MiB over a 1 MiB cap");
    assert!(
        matches!(
            e,
            Error::TooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(srv.count("/big.html"), 1, "not retried");
}
