//! The editor support in `editors/` against the compiler: every keyword of the grammar is
//! known to every editor grammar (TextMate, tree-sitter, Vim, Emacs), and the VS Code snippets,
//! expanded with their defaults, parse and are in `vnetc fmt`'s layout.

mod common;

use vnet::fmt::format_source;
use vnet::syntax;

/// The keywords of `grammar/vnet.pest` (`kw_NAME = @{ "NAME" ... }`).
fn keywords() -> Vec<String> {
    let pest = std::fs::read_to_string(common::root().join("grammar/vnet.pest")).unwrap();
    let words: Vec<String> = pest
        .lines()
        .filter(|l| l.starts_with("kw_"))
        .filter_map(|l| l.split('"').nth(1).map(str::to_string))
        .collect();
    assert!(words.len() > 60, "keywords found: {words:?}");
    words
}

fn contains_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[test]
fn every_keyword_is_known_to_every_editor_grammar() {
    let files = [
        "editors/vscode/syntaxes/vnet.tmLanguage.json",
        "editors/tree-sitter-vnet/grammar.js",
        "editors/vim/syntax/vnet.vim",
        "editors/emacs/vnet-mode.el",
    ];
    let mut missing = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(common::root().join(file)).unwrap();
        for word in keywords() {
            if !contains_word(&text, &word) {
                missing.push(format!("{file}: {word}"));
            }
        }
    }
    assert!(missing.is_empty(), "keywords missing: {missing:#?}");
}

/// A snippet body with each placeholder replaced by its default (`${1:name}` → `name`,
/// `${2|a,b|}` → `a`, `$0` → nothing).
fn expand(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').expect("a closed placeholder");
            let spec = &inner[..end];
            let default = match spec.split_once(':') {
                Some((_, text)) => text,
                None => spec
                    .split_once('|')
                    .and_then(|(_, choices)| choices.split([',', '|']).next())
                    .unwrap_or(""),
            };
            out.push_str(default);
            rest = &inner[end + 1..];
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn snippets_expand_to_statements_in_the_canonical_layout() {
    let path = common::root().join("editors/vscode/snippets/vnet.json");
    let snippets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let snippets = snippets.as_object().unwrap();
    assert!(snippets.len() >= 12);
    for (name, snippet) in snippets {
        let body: Vec<&str> = snippet["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let text = expand(&body.join("\n")) + "\n";
        let top_level = ["vpc", "peering", "transit_gateway", "expect"]
            .iter()
            .any(|k| text.starts_with(k));
        // Statements that live in a VPC are checked inside one, indented as the formatter
        // would indent them.
        let file = if top_level {
            text.clone()
        } else {
            let inner: String = text.lines().map(|l| format!("  {l}\n")).collect();
            format!("vpc v {{\n{inner}}}\n")
        };
        let parsed = syntax::parse(&file);
        assert!(
            parsed.errors.is_empty(),
            "snippet {name}:\n{file}\n{:?}",
            parsed.errors
        );
        let formatted = format_source(&file).unwrap();
        // A snippet may leave an empty line for the cursor; the formatter drops it before `}`.
        let lines: Vec<&str> = file.lines().map(str::trim_end).collect();
        let expected: String = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                let next = lines[i + 1..].iter().find(|n| !n.is_empty());
                !(l.is_empty() && next.is_some_and(|n| n.trim_start().starts_with('}')))
            })
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        assert_eq!(
            formatted, expected,
            "snippet {name} is not in the canonical layout"
        );
    }
}
