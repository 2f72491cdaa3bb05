//! "Did you mean …?": the closest of some names to a misspelt one (Jaro–Winkler similarity
//! from `strsim`, at least 0.8, or a case-insensitive match).

/// The candidate most similar to `name`, if any is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = if c.to_lowercase() == lower {
            1.0
        } else {
            strsim::jaro_winkler(name, c)
        };
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn typos_find_their_name() {
        let ids = ["app:greet", "app:hello", "lib:util"];
        assert_eq!(super::closest("app:gret", ids), Some("app:greet"));
        assert_eq!(super::closest("zzz", ids), None);
        assert_eq!(
            super::closest("exlude", ["exclude", "levels"]),
            Some("exclude")
        );
    }
}
