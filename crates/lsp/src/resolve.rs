//! What a name at a position means, answered from an analysis: words and receiver chains in
//! the text, the locals in scope, the environment's globals and the member lookup shared with
//! the checker ([`typedefs::ModuleSet::listed_member`], with the chunk's declared types).

use checker::walk::index::{ChunkIndex, LocalSymbol, MemberAccess};
use typedefs::{ListedMember, ModuleSet, Type};

use crate::analysis::Analysis;
use crate::workspace::globals_of;

/// Whether `c` can be part of a Lua identifier.
pub fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Lua's reserved words (Lua 5.3; `goto` included).
pub const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Whether `name` is a Lua identifier that is not a reserved word.
pub fn is_valid_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(is_ident)
        && !KEYWORDS.contains(&name)
}

/// Start of the identifier that ends at `offset`.
pub fn word_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident(*c))
        .last()
        .map_or(offset, |(i, _)| i)
}

/// The identifier around byte `offset` (start, end).
pub fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = word_start(text, offset);
    let end = offset
        + text[offset..]
            .find(|c: char| !is_ident(c))
            .unwrap_or(text.len() - offset);
    (start < end).then_some((start, end))
}

/// The names of a plain receiver chain ending just before the `.`/`:` at `dot_end` (`json`,
/// `crypto.random`, `db`); `None` for other expressions (`f().`, `t[1].`, `"s":`).
pub fn receiver_chain(text: &str, dot_end: usize) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut end = text[..dot_end]
        .trim_end_matches([' ', '\t'])
        .len()
        .checked_sub(1)?;
    loop {
        let start = word_start(text, end);
        if start == end {
            return None;
        }
        names.push(text[start..end].to_owned());
        let before = text[..start].trim_end_matches([' ', '\t']);
        if before.ends_with('.') && !before.ends_with("..") {
            end = before.len() - 1;
            continue;
        }
        if names[names.len() - 1].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        break;
    }
    names.reverse();
    Some(names)
}

/// Locals of `index` visible at `offset`, innermost first, without placeholder names.
pub fn visible(index: &ChunkIndex, offset: usize) -> Vec<&LocalSymbol> {
    index
        .visible(offset as u32)
        .into_iter()
        .filter(|l| !l.name.is_empty() && l.name != crate::complete::HOLE)
        .collect()
}

/// The type and description of global `name` in the environment of `a`'s document (or of
/// module `name`).
pub fn global(a: &Analysis, modules: &ModuleSet, name: &str) -> Option<(Type, Option<String>)> {
    if let Some(g) = globals_of(a.environment()).get(name) {
        return Some((g.ty.clone(), g.description.clone()));
    }
    let m = modules.get(name)?;
    Some((m.value_type(), m.description.clone()))
}

/// The type of a receiver chain at byte `at` of `a`'s text: the first name a visible local
/// (else a global or module), then each member in turn.
pub fn chain_type(a: &Analysis, modules: &ModuleSet, at: usize, names: &[String]) -> Option<Type> {
    let index = a.index.as_deref()?;
    let first = names.first()?;
    let mut ty = match visible(index, at).into_iter().find(|l| &l.name == first) {
        Some(l) => l.ty.clone(),
        None => global(a, modules, first)?.0,
    };
    for n in &names[1..] {
        ty = modules
            .listed_member(&ty, n, false, Some(&index.local_types))?
            .ty;
    }
    Some(ty)
}

/// The member `name` of an access's receiver (with the chunk's declared types).
pub fn member_of(
    modules: &ModuleSet,
    index: &ChunkIndex,
    access: &MemberAccess,
    name: &str,
) -> Option<ListedMember> {
    modules.listed_member(
        &access.receiver,
        name,
        access.colon,
        Some(&index.local_types),
    )
}

/// The text of the receiver written before the member whose name starts at `name_start`
/// (`strings` in `strings.trim`, `self.db` in `self.db:query`), when it is a name chain.
pub fn receiver_text(text: &str, name_start: usize) -> Option<String> {
    let before = text[..name_start].trim_end_matches([' ', '\t']);
    let dot = before.len().checked_sub(1)?;
    receiver_chain(text, dot + 1).map(|n| n.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_chains_and_names() {
        let t = "local x = crypto.random.str";
        assert_eq!(word_at(t, t.len()), Some((24, 27)));
        assert_eq!(
            receiver_chain(t, 24),
            Some(vec!["crypto".to_owned(), "random".to_owned()])
        );
        assert_eq!(receiver_chain("f().", 4), None);
        assert_eq!(receiver_text(t, 24).as_deref(), Some("crypto.random"));
        assert!(is_valid_name("_x1") && !is_valid_name("end") && !is_valid_name("1x"));
        assert!(!is_valid_name("a b") && !is_valid_name(""));
    }
}
