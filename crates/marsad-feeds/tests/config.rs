use std::time::Duration;

use marsad_feeds::{Error, WatchConfig};

#[test]
fn a_feeds_file_with_defaults_and_per_feed_settings() {
    let text = r#"
interval = "30m"
host_delay = "500ms"
max_page_bytes = 1000000

[[feed]]
url = "https://rasif.example/rss.xml"
name = "الرصيف"
outlet = "صحيفة الرصيف"

[[feed]]
url = "https://almanara.example/atom.xml"
interval = "5m"
"#;
    let c = WatchConfig::parse(text, "FEEDS.toml").expect("valid");
    assert_eq!(c.feeds.len(), 2);
    assert_eq!(c.feeds[0].interval, Duration::from_secs(1800));
    assert_eq!(c.feeds[0].label(), "الرصيف");
    assert_eq!(c.feeds[0].outlet.as_deref(), Some("صحيفة الرصيف"));
    assert_eq!(c.feeds[1].interval, Duration::from_secs(300));
    assert_eq!(c.feeds[1].label(), "https://almanara.example/atom.xml");
    assert_eq!(c.policy.host_delay, Duration::from_millis(500));
    assert_eq!(c.policy.max_bytes, 1_000_000);
    assert!(c.policy.user_agent.starts_with("marsad/"));
}

#[test]
fn mistakes_in_the_feeds_file_are_named() {
    let cases = [
        ("[[feed]]\nurl = \"https://a.example/rss\"\nintreval = \"5m\"\n", "intreval"),
        ("[[feed]]\nurl = \"https://a.example/rss\"\ninterval = \"soon\"\n", "soon"),
        ("[[feed]]\nurl = \"ftp://a.example/rss\"\n", "not an http(s) URL"),
        ("[[feed]]\nurl = \"https://a.example/rss\"\ninterval = \"0s\"\n", "longer than zero"),
        (
            "[[feed]]\nurl = \"https://a.example/rss\"\n[[feed]]\nurl = \"https://a.example/rss\"\n",
            "listed twice",
        ),
        ("interval = \"5m\"\n", "no [[feed]]"),
    ];
    for (text, needle) in cases {
        match WatchConfig::parse(text, "FEEDS.toml") {
            Err(e @ Error::Config { .. }) => {
                let msg = e.to_string();
                assert!(msg.starts_with("FEEDS.toml: "), "{msg}");
                assert!(msg.contains(needle), "{needle:?} not in {msg:?}");
            }
            other => panic!("{text:?} gave {other:?}"),
        }
    }
}
