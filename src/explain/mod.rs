//! Why radpath said what it said: the report with the evidence of every fact and lesion
//! highlighted, the facts read, the summary, lesions and staging linked to their evidence;
//! rendered for a terminal ([`terminal`]) or as a self-contained review page ([`html`]).
//! The lexicon matches of every sentence (sections, triggers, terms) are there for lexicon
//! authors ([`render_matches`]).

use std::fmt::Write;

pub mod html;
pub mod page;
pub mod terminal;

use crate::extract::{Extraction, Extractor};
use crate::record::Language;
use crate::text::Document;

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// A section header.
    Section,
    /// A lexicon entry matched in the text.
    Lexicon,
    /// The evidence of an extracted fact.
    Fact,
    /// The evidence of a lesion.
    Lesion,
}

impl MarkKind {
    fn name(self) -> &'static str {
        match self {
            MarkKind::Section => "section",
            MarkKind::Lexicon => "lexicon",
            MarkKind::Fact => "fact",
            MarkKind::Lesion => "lesion",
        }
    }
}

/// One marked span of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Start byte in the original text.
    pub start: usize,
    /// End byte in the original text.
    pub end: usize,
    /// What it stands for.
    pub kind: MarkKind,
    /// What was read there (`pattern=rim_enhancement`, `segment = "VII"`).
    pub label: String,
    /// The rule or lexicon entry behind it.
    pub rule: String,
}

/// A sentence of the report with the section it lies in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceView {
    /// Start byte in the original text.
    pub start: usize,
    /// End byte in the original text.
    pub end: usize,
    /// Section name.
    pub section: String,
}

/// Everything `radpath explain` shows about one report.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The language used.
    pub language: Language,
    /// Sentences in order.
    pub sentences: Vec<SentenceView>,
    /// Every mark, sorted by start, then longest first.
    pub marks: Vec<Mark>,
    /// The extraction itself.
    pub extraction: Extraction,
}

/// Explains one report: runs the extractor and collects every span it recognised.
pub fn explain(extractor: &Extractor, text: &str, lang: Option<Language>) -> Explanation {
    let doc: Document = extractor.document(text);
    let language = lang.unwrap_or_else(|| extractor.detect_language(&doc));
    let lex = extractor.lexicons();
    let matchers = [
        lex.matcher(language.into()),
        lex.context_matcher(language.into()),
    ];
    let mut marks = Vec::new();
    for section in &doc.sections {
        if let Some((start, end)) = section.header {
            marks.push(Mark {
                start,
                end,
                kind: MarkKind::Section,
                label: format!("section={}", section.name),
                rule: "section header".to_string(),
            });
        }
    }
    for (matcher, m) in matchers.iter().flat_map(|mt| {
        mt.find_all(&doc.folded.text)
            .into_iter()
            .map(move |m| (mt, m))
    }) {
        let (start, end) = doc.original_range(m.start, m.end);
        for id in matcher.entries_of(&m) {
            let entry = lex.entry(id);
            let attrs = entry
                .attrs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            let label = if attrs.is_empty() {
                entry.kind.clone()
            } else {
                format!("{}: {attrs}", entry.kind)
            };
            marks.push(Mark {
                start,
                end,
                kind: MarkKind::Lexicon,
                label,
                rule: entry.rule(),
            });
        }
    }
    let extraction = extractor.extract_text(text, Some(language));
    for f in &extraction.facts {
        marks.push(Mark {
            start: f.evidence.start,
            end: f.evidence.end,
            kind: MarkKind::Fact,
            label: format!("{} = {}", f.field, f.value),
            rule: f.evidence.rule.to_string(),
        });
    }
    for (i, lesion) in extraction.lesions.iter().enumerate() {
        let kind = lesion.kind.as_str();
        for ev in &lesion.evidence {
            marks.push(Mark {
                start: ev.start,
                end: ev.end,
                kind: MarkKind::Lesion,
                label: format!("lesion {} ({kind})", i + 1),
                rule: ev.rule.to_string(),
            });
        }
    }
    marks.retain(|m| {
        m.start <= m.end
            && m.end <= text.len()
            && text.is_char_boundary(m.start)
            && text.is_char_boundary(m.end)
    });
    marks.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.kind.cmp(&b.kind))
    });
    marks.dedup();
    let sentences = doc
        .sentences
        .iter()
        .map(|s| SentenceView {
            start: s.start,
            end: s.end,
            section: doc
                .sections
                .get(s.section)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| "body".to_string()),
        })
        .collect();
    Explanation {
        language,
        sentences,
        marks,
        extraction,
    }
}

/// What `render_text` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// Colours or brackets.
    pub style: terminal::Style,
    /// Only the facts table.
    pub facts_only: bool,
    /// Also every lexicon match, sentence by sentence.
    pub matches: bool,
}

/// Renders an explanation for a terminal: the report with whole-word highlights, the facts
/// table, (with `matches`) every lexicon match sentence by sentence, and the summary.
pub fn render_text(ex: &Explanation, text: &str, title: &str, opts: TextOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "radpath explain: {title} (language {})",
        lang_name(ex.language)
    );
    if !opts.facts_only {
        let page = page::build(text, &ex.extraction);
        let _ = writeln!(out, "\n== report ==");
        out.push_str(&terminal::report(&page, text, opts.style));
    }
    let _ = writeln!(out, "\n== facts ==");
    out.push_str(&terminal::facts_table(ex, text));
    if opts.facts_only {
        return out;
    }
    if opts.matches {
        out.push_str(&render_matches(ex, text));
    }
    let _ = writeln!(out, "\n== summary ==");
    let summary = serde_json::to_string_pretty(&ex.extraction.summary).unwrap_or_default();
    let _ = writeln!(out, "{summary}");
    out
}

/// Every lexicon match and evidence span, sentence by sentence under its section: each
/// sentence with its lexicon matches in `[brackets]`, then every span in it with its rule.
pub fn render_matches(ex: &Explanation, text: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n== lexicon matches, sentence by sentence ==");
    let mut section = None;
    for s in &ex.sentences {
        if section != Some(s.section.as_str()) {
            let _ = writeln!(out, "\n== {} ==", s.section);
            section = Some(s.section.as_str());
        }
        let inside: Vec<&Mark> = ex
            .marks
            .iter()
            .filter(|m| m.start >= s.start && m.end <= s.end && m.end > m.start)
            .collect();
        let _ = writeln!(
            out,
            "{:>6}  {}",
            s.start,
            bracketed(text, s.start, s.end, &inside)
        );
        for m in inside {
            write_mark(&mut out, text, m);
        }
    }
    let outside: Vec<&Mark> = ex
        .marks
        .iter()
        .filter(|m| {
            m.kind != MarkKind::Section
                && !ex
                    .sentences
                    .iter()
                    .any(|s| m.start >= s.start && m.end <= s.end)
        })
        .collect();
    if !outside.is_empty() {
        let _ = writeln!(out, "\n== spans across sentences ==");
        for m in outside {
            write_mark(&mut out, text, m);
        }
    }
    out
}

/// One line for a mark: its kind, span, text, label and rule.
fn write_mark(out: &mut String, text: &str, m: &Mark) {
    let _ = writeln!(
        out,
        "        {:<7} {}..{} {:?}  {}  [{}]",
        m.kind.name(),
        m.start,
        m.end,
        text.get(m.start..m.end).unwrap_or(""),
        m.label,
        m.rule
    );
}

/// The sentence text with lexicon matches in brackets (matches never overlap).
fn bracketed(text: &str, start: usize, end: usize, marks: &[&Mark]) -> String {
    let mut out = String::new();
    let mut pos = start;
    for m in marks.iter().filter(|m| m.kind == MarkKind::Lexicon) {
        if m.start < pos {
            continue;
        }
        out.push_str(&one_line(&text[pos..m.start]));
        out.push('[');
        out.push_str(&one_line(&text[m.start..m.end]));
        out.push(']');
        pos = m.end;
    }
    out.push_str(&one_line(&text[pos..end]));
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn lang_name(l: Language) -> &'static str {
    match l {
        Language::Nl => "nl",
        Language::En => "en",
    }
}

/// Renders the review page of one report: a self-contained HTML file (see [`html`]).
pub fn render_html(ex: &Explanation, text: &str, title: &str) -> String {
    let page = page::build(text, &ex.extraction);
    html::render(ex, &page, text, title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LexiconSet;

    fn extractor() -> Extractor {
        Extractor::new(LexiconSet::embedded().expect("embedded lexicons"))
    }

    #[test]
    fn marks_headers_and_lexicon_matches_on_original_text() {
        let text = "CONCLUSIE:\nGéén aanwijzingen voor metastasen.";
        let ex = explain(&extractor(), text, None);
        let header = ex
            .marks
            .iter()
            .find(|m| m.kind == MarkKind::Section)
            .expect("header mark");
        assert_eq!(&text[header.start..header.end], "CONCLUSIE:");
        assert!(ex
            .marks
            .iter()
            .any(|m| m.kind == MarkKind::Lexicon && text[m.start..m.end].starts_with("Géén")));
        let rendered = render_text(
            &ex,
            text,
            "t",
            TextOptions {
                style: terminal::Style::Plain,
                facts_only: false,
                matches: true,
            },
        );
        assert!(rendered.contains("== conclusion =="), "{rendered}");
        assert!(rendered.contains("[Géén"), "{rendered}");
    }

    #[test]
    fn html_is_escaped_and_complete() {
        let text = "Verslag: <b>geen</b> afwijkingen & \"geen\" metastasen.";
        let ex = explain(&extractor(), text, None);
        let html = render_html(&ex, text, "a<b");
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("<b>geen"));
        assert!(html.contains("radpath review: a&lt;b"));
        assert!(html.trim_end().ends_with("</html>"));
    }
}
