//! docs/openapi.yaml and the router cannot drift apart.

#[test]
fn every_route_is_in_the_openapi_file_and_back() {
    let spec = include_str!("../../../docs/openapi.yaml");
    // paths are the two-space-indented keys under `paths:`
    let mut documented = Vec::new();
    let mut path: Option<String> = None;
    let mut in_paths = false;
    for line in spec.lines() {
        if line.starts_with("paths:") {
            in_paths = true;
            continue;
        }
        if in_paths && !line.starts_with(' ') && !line.trim().is_empty() {
            in_paths = false;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /") {
            path = Some(format!("/{}", p.trim_end_matches(':')));
        } else if let Some(m) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':')) {
            if ["get", "post", "put", "delete", "patch"].contains(&m) {
                if let Some(p) = &path {
                    documented.push((m.to_uppercase(), p.clone()));
                }
            }
        }
    }
    let routes = marsad_serve::routes();
    for (method, route) in &routes {
        assert!(
            documented.iter().any(|(m, p)| m == method && p == route),
            "{method} {route} is not in docs/openapi.yaml"
        );
    }
    for (m, p) in &documented {
        assert!(
            routes.iter().any(|(rm, rp)| rm == m && rp == p),
            "docs/openapi.yaml documents {m} {p}, which the server does not have"
        );
    }
    assert_eq!(documented.len(), routes.len());
}
