//! Section headers ("Conclusie:", "FINDINGS", "Imp:") and the sections they open.

use std::collections::HashMap;

use super::fold::fold_str;

/// A set of known section headers: folded header text -> section name.
///
/// The header words come from lexicon data; this type only knows how to find them at
/// the start of a line.
#[derive(Debug, Clone, Default)]
pub struct HeaderSet {
    headers: HashMap<String, String>,
    longest: usize,
}

impl HeaderSet {
    /// Builds a header set from (header text, section name) pairs.
    pub fn new<I, S, T>(pairs: I) -> HeaderSet
    where
        I: IntoIterator<Item = (S, T)>,
        S: AsRef<str>,
        T: Into<String>,
    {
        let mut set = HeaderSet::default();
        for (term, name) in pairs {
            let folded = normalise_header(&fold_str(term.as_ref()));
            if folded.is_empty() {
                continue;
            }
            set.longest = set.longest.max(folded.len());
            set.headers.insert(folded, name.into());
        }
        set
    }

    /// The section name for a folded candidate header, if it is one.
    pub fn lookup(&self, folded_candidate: &str) -> Option<&str> {
        if folded_candidate.len() > self.longest + 4 {
            return None;
        }
        self.headers
            .get(&normalise_header(folded_candidate))
            .map(String::as_str)
    }

    /// Number of headers known.
    pub fn len(&self) -> usize {
        self.headers.len()
    }

    /// True when no header is known.
    pub fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }
}

/// Strips the punctuation a header may carry ("Concl.", "IMP:", "-- Conclusie --").
fn normalise_header(s: &str) -> String {
    let t = s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '.' | '-' | '*' | '#' | '=' | '_')
    });
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A section of a report: from its header (or the start of the text) to the next header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Section name from the header lexicon (`conclusion`, `findings`, ...), or `body`
    /// for text before the first header.
    pub name: String,
    /// Byte range of the header in the original text, if any.
    pub header: Option<(usize, usize)>,
    /// Byte offset where the section's content starts (after the header).
    pub start: usize,
    /// Byte offset where the section ends.
    pub end: usize,
}

/// Finds the section headers of `text`: a header stands at the start of a line, alone on
/// it or followed by a colon and content.
pub fn find_sections(text: &str, headers: &HeaderSet) -> Vec<Section> {
    let mut found: Vec<(usize, usize, usize, String)> = Vec::new(); // (hstart, hend, content_start, name)
    let mut line_start = 0;
    // Lines end at LF, CRLF or a lone CR; the LF of a CRLF is then an empty line.
    for line in text.split_inclusive(['\n', '\r']) {
        let line_end = line_start + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start().len();
        let body = content.trim_start();
        if !body.is_empty() && !headers.is_empty() {
            // Candidate 1: text up to the first colon.
            let mut matched = false;
            if let Some(colon) = body.find(':') {
                let cand = &body[..colon];
                if cand.len() <= 60 {
                    if let Some(name) = headers.lookup(&fold_str(cand)) {
                        let hs = line_start + lead;
                        let he = hs + colon + 1;
                        let cs =
                            he + (body[colon + 1..].len() - body[colon + 1..].trim_start().len());
                        found.push((hs, he, cs.min(line_start + content.len()), name.to_string()));
                        matched = true;
                    }
                }
            }
            // Candidate 2: the whole line is the header ("CONCLUSIE", "Concl.").
            if !matched && body.len() <= 60 {
                if let Some(name) = headers.lookup(&fold_str(body)) {
                    let hs = line_start + lead;
                    let he = hs + body.trim_end().len();
                    found.push((hs, he, line_end, name.to_string()));
                }
            }
        }
        line_start = line_end;
    }
    let mut sections = Vec::with_capacity(found.len() + 1);
    let first_start = found.first().map(|f| f.0).unwrap_or(text.len());
    if first_start > 0 || found.is_empty() {
        sections.push(Section {
            name: "body".into(),
            header: None,
            start: 0,
            end: first_start,
        });
    }
    for (i, (hs, he, cs, name)) in found.iter().enumerate() {
        let end = found.get(i + 1).map(|f| f.0).unwrap_or(text.len());
        sections.push(Section {
            name: name.clone(),
            header: Some((*hs, *he)),
            start: (*cs).min(end),
            end,
        });
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> HeaderSet {
        HeaderSet::new([
            ("Conclusie", "conclusion"),
            ("Concl", "conclusion"),
            ("Verslag", "findings"),
            ("Klinische gegevens", "clinical"),
            ("Impression", "conclusion"),
            ("Imp", "conclusion"),
        ])
    }

    #[test]
    fn header_alone_and_inline() {
        let text = "Klinische gegevens: coloncarcinoom.\nVERSLAG\nLaesie in segment 7.\nConcl.: metastase.";
        let s = find_sections(text, &headers());
        let names: Vec<_> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["clinical", "findings", "conclusion"]);
        assert_eq!(&text[s[0].start..s[0].end], "coloncarcinoom.\n");
        assert_eq!(&text[s[2].start..s[2].end], "metastase.");
    }

    #[test]
    fn no_headers_is_one_body() {
        let s = find_sections("Geen bijzonderheden.", &headers());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "body");
    }
}
