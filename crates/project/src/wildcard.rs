//! Wippy's name patterns (runtime `internal/wildcard`): a pattern is split at `.` into
//! segments; `*` matches exactly one segment, `**` zero or more, `(a|b)` one of the
//! alternatives, anything else itself. A pattern without wildcards matches only itself; the
//! pattern `*` alone matches any one-segment name. Entry patterns are `ns:name`, each side a
//! pattern (runtime `boot/build/stages/disable.go`).
//!
//! `wippy lint --ns` uses a simpler rule ([`ns_filter_matches`]).

/// Whether `name` matches the dotted pattern `pattern`.
pub fn matches(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        return !name.is_empty() && !name.contains('.');
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let s: Vec<&str> = name.split('.').collect();
    segments(&p, &s)
}

fn segments(p: &[&str], s: &[&str]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((&"**", rest)) => (0..=s.len()).any(|i| segments(rest, &s[i..])),
        Some((&first, rest)) => match s.split_first() {
            None => false,
            Some((&seg, srest)) => segment(first, seg) && segments(rest, srest),
        },
    }
}

fn segment(p: &str, s: &str) -> bool {
    match p.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(alts) => alts.split('|').any(|a| a == s),
        None => p == "*" || p == s,
    }
}

/// Whether the entry `ns:name` matches the entry pattern `pattern` (`ns:name`, each side a
/// pattern); a pattern without `:` matches nothing.
pub fn entry_matches(pattern: &str, ns: &str, name: &str) -> bool {
    match pattern.split_once(':') {
        Some((np, nm)) if !np.is_empty() && !nm.is_empty() => matches(np, ns) && matches(nm, name),
        _ => false,
    }
}

/// `wippy lint --ns` (runtime `cmd/wippy/cmd/lint.go` `matchesNSFilter`): the namespace itself,
/// or with a trailing `.*`/`.**` the namespace and everything under it.
pub fn ns_filter_matches(filter: &str, ns: &str) -> bool {
    if filter == ns {
        return true;
    }
    let prefix = filter.trim_end_matches(['.', '*']);
    (filter.ends_with(".*") || filter.ends_with(".**"))
        && (ns == prefix || ns.strip_prefix(prefix).is_some_and(|r| r.starts_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_segments() {
        for (p, s, want) in [
            ("app", "app", true),
            ("app", "app.x", false),
            ("app.*", "app.x", true),
            ("app.*", "app.x.y", false),
            ("app.**", "app", true),
            ("app.**", "app.x.y", true),
            ("**", "anything.at.all", true),
            ("*", "one", true),
            ("*", "one.two", false),
            ("(a|b).x", "b.x", true),
            ("(a|b).x", "c.x", false),
            ("a.**.z", "a.z", true),
            ("a.**.z", "a.b.c.z", true),
        ] {
            assert_eq!(matches(p, s), want, "{p} vs {s}");
        }
        assert!(entry_matches("app:**", "app", "x"));
        assert!(!entry_matches("app", "app", "x"));
    }

    #[test]
    fn lint_ns_filter() {
        assert!(ns_filter_matches("app", "app"));
        assert!(!ns_filter_matches("app", "app.x"));
        assert!(ns_filter_matches("app.*", "app"));
        assert!(ns_filter_matches("app.*", "app.x.y"));
        assert!(!ns_filter_matches("app.*", "apples"));
    }
}
