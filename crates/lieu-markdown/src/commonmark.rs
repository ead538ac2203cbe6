//! Conformance with the CommonMark spec (0.31.2, vendored in tests/commonmark): every example
//! of the spec goes through lieu's pipeline before sanitizing (which is lieu's policy, not
//! Markdown's), with the heading anchors lieu adds taken out, and must give the spec's HTML.
//! The only differences allowed are those of the extensions lieu turns on, listed below.

use super::{RenderContext, render_unsanitized};

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let spec = include_str!("../tests/commonmark/spec.txt");
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            section = title.to_owned();
        }
        if line == format!("{fence} example") {
            let mut markdown = String::new();
            let mut html = String::new();
            let mut in_html = false;
            for l in lines.by_ref() {
                if l == fence {
                    break;
                }
                if l == "." && !in_html {
                    in_html = true;
                    continue;
                }
                let target = if in_html { &mut html } else { &mut markdown };
                target.push_str(&l.replace('→', "\t"));
                target.push('\n');
            }
            out.push(Example {
                number: out.len() + 1,
                section: section.clone(),
                markdown,
                html,
            });
        }
    }
    out
}

/// Takes out the `id` lieu gives to headings.
fn without_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let is_heading = tag
            .as_bytes()
            .get(2)
            .is_some_and(|b| (b'1'..=b'6').contains(b));
        if is_heading && let Some(id_at) = tag[..tag.find('>').unwrap_or(0)].find(" id=\"") {
            let end = tag[id_at + 5..]
                .find('"')
                .map_or(id_at, |e| id_at + 5 + e + 1);
            out.push_str(&tag[..id_at]);
            rest = &tag[end..];
        } else {
            out.push_str("<h");
            rest = &tag[2..];
        }
    }
    out.push_str(rest);
    out
}

/// Equivalent serializations compared as equal, as the spec's own runner does: `"` in text
/// may be escaped or not, and whitespace after `<li>` is not significant.
fn normalized(html: &str) -> String {
    html.replace("&quot;", "\"").replace("<li>\n", "<li>")
}

/// Examples whose CommonMark output lieu's extensions change on purpose: the task list and
/// table and strikethrough and footnote extensions, and `[[wiki links]]`.
fn changed_by_extensions(e: &Example) -> bool {
    e.markdown.contains("~~")
        || e.markdown.contains("[[")
        || e.markdown.contains("[^")
        || e.markdown.contains('|')
        || e.markdown.contains("[ ]")
        || e.markdown.contains("[x]")
        || e.markdown.contains("{{")
}

#[test]
fn every_commonmark_example_renders_as_the_spec_says() {
    let examples = examples();
    assert!(
        examples.len() > 600,
        "the spec has {} examples",
        examples.len()
    );
    let mut failures = Vec::new();
    let mut skipped = 0;
    for e in &examples {
        let got = without_heading_ids(
            &render_unsanitized(&e.markdown, &RenderContext::all_pages_exist()).html,
        );
        if normalized(&got) != normalized(&e.html) {
            // A difference is allowed only where an extension lieu turns on is at work.
            if changed_by_extensions(e) {
                skipped += 1;
                continue;
            }
            failures.push(format!(
                "example {} ({}):\n{:?}\nexpected {:?}\n     got {:?}",
                e.number, e.section, e.markdown, e.html, got
            ));
        }
    }
    eprintln!("{skipped} examples differ where lieu's extensions are at work");
    assert!(skipped <= 10, "{skipped} examples changed by extensions");
    assert!(
        failures.is_empty(),
        "{} of {} examples differ:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
}
