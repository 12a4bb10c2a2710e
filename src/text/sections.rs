//! Section headers ("Conclusie:", "FINDINGS", "Imp:") and the sections they open.

use std::collections::HashMap;

use super::fold::fold_str;
use super::sentences::Joiners;

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
    ///
    /// A combined header ("Conclusie/advies", "Findings / Impression") takes the section
    /// of its first part when the whole is not known.
    pub fn lookup(&self, folded_candidate: &str) -> Option<&str> {
        if folded_candidate.len() > self.longest * 2 + 4 {
            return None;
        }
        let whole = normalise_header(folded_candidate);
        if let Some(name) = self.headers.get(&whole) {
            return Some(name.as_str());
        }
        let (first, rest) = whole.split_once('/')?;
        if rest.trim().is_empty() || !self.headers.contains_key(&normalise_header(rest)) {
            return None; // both parts must be headers: "Lever/milt" is no header
        }
        self.headers
            .get(&normalise_header(first))
            .map(String::as_str)
    }

    /// The longest original text a header can have (decoration and a combined second
    /// part included); longer candidates are not looked up.
    pub fn max_candidate_len(&self) -> usize {
        (self.longest * 2 + 8).min(MAX_HEADER_BYTES)
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

/// Finds the section headers of `text`. A header stands at the start of a line, alone on
/// it ("CONCLUSIE", "Concl.") or followed by a colon and content ("Verslag: ..."). In
/// reports whose line breaks were lost on export, a header followed by a colon also
/// counts after a sentence end ("... coloncarcinoom. Conclusie: ...").
pub fn find_sections(text: &str, headers: &HeaderSet, joiners: &Joiners) -> Vec<Section> {
    let mut found: Vec<(usize, usize, usize, String)> = Vec::new(); // (hstart, hend, content_start, name)
    let mut line_start = 0;
    // Lines end at LF, CRLF or a lone CR; the LF of a CRLF is then an empty line.
    for line in text.split_inclusive(['\n', '\r']) {
        let line_end = line_start + line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if !headers.is_empty() && !content.trim().is_empty() {
            find_in_line(content, line_start, line_end, headers, &mut found);
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
        let start = (*cs).min(end);
        let own_end = if PREAMBLE.contains(&name.as_str()) {
            preamble_end(text, start, end, joiners)
        } else {
            end
        };
        sections.push(Section {
            name: name.clone(),
            header: Some((*hs, *he)),
            start,
            end: own_end,
        });
        if !text[own_end..end].trim().is_empty() {
            // The report goes on without a header of its own ("Vergelijking: CT 2021.\n
            // Lever: ..."): that text is no comparison, it is unnamed report body.
            sections.push(Section {
                name: "body".into(),
                header: None,
                start: own_end,
                end,
            });
        }
    }
    sections
}

/// Sections that hold a few lines before the report proper (the clinical question, the
/// technique, the prior exam). They end at the end of their statement when the header
/// has content on its own line ("Vergelijking: CT van 2021."), else at the first blank
/// line; what follows before the next header is unnamed `body`.
const PREAMBLE: &[&str] = &["clinical", "indication", "comparison", "technique"];

/// Where a preamble section whose content starts at `start` ends (at most `end`).
fn preamble_end(text: &str, start: usize, end: usize, joiners: &Joiners) -> usize {
    let bytes = text.as_bytes();
    let inline = start < end
        && start > 0
        && !matches!(bytes[start], b'\n' | b'\r')
        && bytes[start - 1] != b'\n';
    let mut seen_content = false;
    let mut line_start = start;
    for (off, _) in text[start..end].match_indices('\n') {
        let nl = start + off;
        let line = text[line_start..nl].trim();
        line_start = nl + 1;
        if line.is_empty() {
            if seen_content {
                return nl;
            }
            continue;
        }
        seen_content = true;
        if inline
            && (line.ends_with(['.', '!', '?'])
                || super::sentences::is_line_boundary(text, nl, joiners))
        {
            return nl;
        }
    }
    end
}

/// Longest header candidate looked at, in bytes.
const MAX_HEADER_BYTES: usize = 60;

/// Finds the headers of one line (`content`, without its line end, starting at byte
/// `line_start` of the text).
fn find_in_line(
    content: &str,
    line_start: usize,
    line_end: usize,
    headers: &HeaderSet,
    found: &mut Vec<(usize, usize, usize, String)>,
) {
    let lead = content.len() - content.trim_start().len();
    let body = content.trim_start();
    let body_start = line_start + lead;
    let content_end = line_start + content.len();
    let after_colon = |colon: usize| {
        let rest = &body[colon + 1..];
        (body_start + colon + 1 + (rest.len() - rest.trim_start().len())).min(content_end)
    };
    // The whole line is the header ("CONCLUSIE", "Concl.", "-- Verslag --").
    let max = headers.max_candidate_len();
    if body.len() <= max {
        if let Some(name) = headers.lookup(&fold_str(body)) {
            found.push((
                body_start,
                body_start + body.trim_end().len(),
                line_end,
                name.to_string(),
            ));
            return;
        }
    }
    // "Header: content" at the start of the line, then after each sentence end.
    let mut from = 0;
    let mut first = true;
    for (colon, _) in body.match_indices(':') {
        // The line start, else the last sentence end before the colon ("... 2 cm.
        // Conclusie: ...", the first colon of a line whose breaks were lost).
        let at_start = first.then_some(0);
        let after_end = last_sentence_end(body, from, colon);
        first = false;
        from = colon + 1;
        let header = [at_start, after_end].into_iter().flatten().find_map(|cs| {
            let cand = body.get(cs..colon)?;
            if cand.trim().is_empty() || cand.len() > max {
                return None;
            }
            headers.lookup(&fold_str(cand)).map(|name| (cs, cand, name))
        });
        if let Some((cs, cand, name)) = header {
            let lead_ws = cand.len() - cand.trim_start().len();
            found.push((
                body_start + cs + lead_ws,
                body_start + colon + 1,
                after_colon(colon),
                name.to_string(),
            ));
        }
    }
}

/// The byte just after the last sentence end (`.`, `!` or `?` then whitespace) in
/// `body[from..to]`, where a header could start.
fn last_sentence_end(body: &str, from: usize, to: usize) -> Option<usize> {
    let b = body.as_bytes();
    (from..to.saturating_sub(1))
        .rev()
        .find(|&i| matches!(b[i], b'.' | b'!' | b'?') && b[i + 1].is_ascii_whitespace())
        .map(|i| i + 1)
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
        let s = find_sections(text, &headers(), &Joiners::default());
        let names: Vec<_> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["clinical", "findings", "conclusion"]);
        assert_eq!(&text[s[0].start..s[0].end], "coloncarcinoom.");
        assert_eq!(&text[s[2].start..s[2].end], "metastase.");
    }

    #[test]
    fn header_after_a_sentence_end_on_a_line_without_breaks() {
        let text = "CT abdomen. Laesie in segment 7 van 2 cm. Conclusie: metastase.";
        let s = find_sections(text, &headers(), &Joiners::default());
        let names: Vec<_> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["body", "conclusion"]);
        assert_eq!(&text[s[1].start..s[1].end], "metastase.");
    }

    #[test]
    fn no_headers_is_one_body() {
        let s = find_sections("Geen bijzonderheden.", &headers(), &Joiners::default());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "body");
    }
}
