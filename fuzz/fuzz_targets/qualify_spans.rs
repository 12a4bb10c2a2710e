//! The assertion engine on arbitrary text and arbitrary (even out-of-range or reversed)
//! folded spans: never panics, and always answers with the three qualifiers.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radpath::extract::assertion::qualify;
use radpath::extract::Ctx;
use radpath::record::Language;

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    dutch: bool,
    spans: Vec<(u16, u16)>,
}

fuzz_target!(|input: Input| {
    let extractor = radpath_fuzz::extractor();
    let doc = extractor.document(&input.text);
    let lang = if input.dutch { Language::Nl } else { Language::En };
    let matches = extractor.lexicons().matcher(lang.into()).find_all(&doc.folded.text);
    let ctx = Ctx { doc: &doc, lex: extractor.lexicons(), matches: &matches, lang };
    for (s, e) in input.spans.into_iter().take(16) {
        let q = qualify(&ctx, usize::from(s), usize::from(e));
        assert!(q.rules.len() <= matches.len(), "more rules than triggers");
        let (os, oe) = doc.original_range(usize::from(s), usize::from(e));
        assert!(os <= oe && oe <= input.text.len());
        assert!(input.text.is_char_boundary(os) && input.text.is_char_boundary(oe));
    }
});
