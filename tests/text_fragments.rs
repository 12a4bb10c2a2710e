//! The text pipeline on real-looking report fragments, Dutch and English, with the
//! embedded lexicons: section headers, sentence boundaries, tokens, and folded offsets
//! that map back to the original text.

use radpath::lexicon::LexiconSet;
use radpath::text::{Document, Folded, TextConfig};

fn config() -> TextConfig {
    LexiconSet::embedded()
        .expect("embedded lexicons")
        .text_config()
        .clone()
}

fn sentences(text: &str) -> Vec<String> {
    let cfg = config();
    let doc = Document::new(text, &cfg);
    doc.sentences
        .iter()
        .map(|s| text[s.start..s.end].to_string())
        .collect()
}

fn sections(text: &str) -> Vec<(String, String)> {
    let cfg = config();
    let doc = Document::new(text, &cfg);
    doc.sections
        .iter()
        .map(|s| (s.name.clone(), text[s.start..s.end].trim().to_string()))
        .collect()
}

fn section_names(text: &str) -> Vec<String> {
    sections(text).into_iter().map(|(n, _)| n).collect()
}

fn tokens(text: &str) -> Vec<String> {
    let cfg = config();
    let doc = Document::new(text, &cfg);
    doc.tokens
        .iter()
        .map(|t| doc.folded.text[t.start..t.end].to_string())
        .collect()
}

// ---- sentence splitting ----------------------------------------------------------------

#[test]
fn nl_abbreviations_do_not_end_sentences() {
    assert_eq!(
        sentences("Laesie o.a. in segment 7 i.v.m. eerdere resectie. Verder geen afwijkingen."),
        [
            "Laesie o.a. in segment 7 i.v.m. eerdere resectie.",
            "Verder geen afwijkingen."
        ]
    );
}

#[test]
fn nl_dd_and_ca_before_capitalised_words() {
    assert_eq!(
        sentences("Hypodense laesie van ca. 2 cm, dd. Metastase. Controle over 3 maanden."),
        [
            "Hypodense laesie van ca. 2 cm, dd. Metastase.",
            "Controle over 3 maanden."
        ]
    );
}

#[test]
fn nl_de_dato_and_seg() {
    assert_eq!(
        sentences(
            "Vergeleken met CT d.d. 12-03-2021. Laesie in seg. VII is groter. Geen nieuwe laesies."
        ),
        [
            "Vergeleken met CT d.d. 12-03-2021.",
            "Laesie in seg. VII is groter.",
            "Geen nieuwe laesies."
        ]
    );
}

#[test]
fn nl_vlgs_and_mn() {
    assert_eq!(
        sentences(
            "Vlgs. de aanvrager bekend met coloncarcinoom. Laesies m.n. rechts. Geen ascites."
        ),
        [
            "Vlgs. de aanvrager bekend met coloncarcinoom.",
            "Laesies m.n. rechts.",
            "Geen ascites."
        ]
    );
}

#[test]
fn en_abbreviations_do_not_end_sentences() {
    assert_eq!(
        sentences("Several lesions, e.g. in segment 6, measure approx. 12 mm. No ascites."),
        [
            "Several lesions, e.g. in segment 6, measure approx. 12 mm.",
            "No ascites."
        ]
    );
}

#[test]
fn en_ie_and_vs() {
    assert_eq!(
        sentences("Arterial enhancement, i.e. LR-4 vs. LR-5. Recommend MRI."),
        [
            "Arterial enhancement, i.e. LR-4 vs. LR-5.",
            "Recommend MRI."
        ]
    );
}

#[test]
fn decimal_commas_and_points_stay_inside() {
    assert_eq!(
        sentences("Laesie van 2,3 x 1,8 cm in segment 7. Tweede laesie 1.2 cm. Milt 11.5 cm."),
        [
            "Laesie van 2,3 x 1,8 cm in segment 7.",
            "Tweede laesie 1.2 cm.",
            "Milt 11.5 cm."
        ]
    );
}

#[test]
fn compact_sizes_stay_inside() {
    assert_eq!(
        sentences("Lesion 2.3x1.8cm in S4a. Another 0.8cm lesion in S6."),
        ["Lesion 2.3x1.8cm in S4a.", "Another 0.8cm lesion in S6."]
    );
}

#[test]
fn numbered_list_items_are_sentences() {
    assert_eq!(
        sentences("Conclusie:\n1. Twee levermetastasen rechts.\n2. Geen extrahepatische ziekte\n3. Cholecystolithiasis"),
        ["Conclusie:", "1. Twee levermetastasen rechts.", "2. Geen extrahepatische ziekte", "3. Cholecystolithiasis"]
    );
}

#[test]
fn dashed_list_items_are_sentences() {
    assert_eq!(
        sentences(
            "Impression:\n- Multiple hepatic metastases\n- No ascites\n* Stable lung nodules"
        ),
        [
            "Impression:",
            "- Multiple hepatic metastases",
            "- No ascites",
            "* Stable lung nodules"
        ]
    );
}

#[test]
fn parenthesised_and_lettered_lists() {
    assert_eq!(
        sentences(
            "Diagnosis:\na) liver, segment 6, biopsy: metastasis\nb) liver, segment 2: steatosis"
        ),
        [
            "Diagnosis:",
            "a) liver, segment 6, biopsy: metastasis",
            "b) liver, segment 2: steatosis"
        ]
    );
}

#[test]
fn nl_hard_wraps_inside_a_sentence_are_not_boundaries() {
    let text = "In de lever worden meerdere hypodense laesies gezien met\nringvormige aankleuring, de grootste in segment 7 van\n2,3 cm. Milt niet vergroot.";
    assert_eq!(
        sentences(text),
        [
            "In de lever worden meerdere hypodense laesies gezien met\nringvormige aankleuring, de grootste in segment 7 van\n2,3 cm.",
            "Milt niet vergroot."
        ]
    );
}

#[test]
fn en_hard_wraps_with_acronyms_continue() {
    let text = "There are three hypoattenuating lesions in the right lobe on\nCT, the largest measuring 31 mm, compatible with\nmetastases. The spleen is normal.";
    assert_eq!(
        sentences(text),
        [
            "There are three hypoattenuating lesions in the right lobe on\nCT, the largest measuring 31 mm, compatible with\nmetastases.",
            "The spleen is normal."
        ]
    );
}

#[test]
fn wrap_after_a_comma_continues() {
    assert_eq!(
        sentences("Lever: twee laesies,\nsegment 4a en 8. Galwegen niet verwijd."),
        [
            "Lever: twee laesies,\nsegment 4a en 8.",
            "Galwegen niet verwijd."
        ]
    );
}

#[test]
fn wrap_before_a_mixed_case_marker_continues() {
    let text = "By immunohistochemistry the cells are negative for CK20, CDX2, GATA3 and\nHepPar-1. Bile ducts stain with CK7.";
    assert_eq!(
        sentences(text),
        [
            "By immunohistochemistry the cells are negative for CK20, CDX2, GATA3 and\nHepPar-1.",
            "Bile ducts stain with CK7."
        ]
    );
}

#[test]
fn a_line_ending_in_a_joiner_goes_on() {
    assert_eq!(
        sentences(
            "Laesie in segment 7 met\nperifere aankleuring.\nMass in the liver with\nWashout."
        ),
        [
            "Laesie in segment 7 met\nperifere aankleuring.",
            "Mass in the liver with\nWashout."
        ]
    );
}

#[test]
fn a_label_colon_before_a_lower_case_line_goes_on() {
    assert_eq!(
        sentences("Tumor in het resectievlak:\nirradicaal (R1).\nLever:\nTwee laesies."),
        [
            "Tumor in het resectievlak:\nirradicaal (R1).",
            "Lever:",
            "Twee laesies."
        ]
    );
}

#[test]
fn short_lines_without_periods_are_statements() {
    assert_eq!(
        sentences("Lever: normaal\nMilt: normaal\nNieren: geen afwijkingen"),
        [
            "Lever: normaal",
            "Milt: normaal",
            "Nieren: geen afwijkingen"
        ]
    );
}

#[test]
fn missing_final_period() {
    assert_eq!(
        sentences("Geen aanwijzingen voor metastasen"),
        ["Geen aanwijzingen voor metastasen"]
    );
    assert_eq!(
        sentences("No focal liver lesion. Normal spleen"),
        ["No focal liver lesion.", "Normal spleen"]
    );
}

#[test]
fn windows_line_ends() {
    assert_eq!(
        sentences("Verslag:\r\nLaesie in segment 6.\r\nGeen ascites.\r\n"),
        ["Verslag:", "Laesie in segment 6.", "Geen ascites."]
    );
}

#[test]
fn question_and_exclamation_marks() {
    assert_eq!(
        sentences("Vraagstelling: metastasen? Graag vergelijken! Dank."),
        [
            "Vraagstelling:",
            "metastasen?",
            "Graag vergelijken!",
            "Dank."
        ]
    );
}

#[test]
fn closing_bracket_after_period() {
    assert_eq!(
        sentences("Bekend met coloncarcinoom (resectie 2019.) Nu controle."),
        ["Bekend met coloncarcinoom (resectie 2019.)", "Nu controle."]
    );
}

#[test]
fn non_ascii_spaces_before_a_period() {
    // A no-break space or line separator before an abbreviation is a word boundary.
    assert_eq!(
        sentences("Laesie\u{00A0}o.a. in segment 7.\u{2028}Ca. 2 cm.\u{00A0}Verder normaal."),
        [
            "Laesie\u{00A0}o.a. in segment 7.",
            "Ca. 2 cm.",
            "Verder normaal."
        ]
    );
}

#[test]
fn iv_contrast_is_not_a_sentence_end() {
    assert_eq!(
        sentences("CT thorax/abdomen met i.v. Omnipaque. Geen afwijkingen."),
        ["CT thorax/abdomen met i.v. Omnipaque.", "Geen afwijkingen."]
    );
}

#[test]
fn sentences_never_empty_and_inside_text() {
    for text in [
        "",
        "   \n\n  ",
        ".",
        "...",
        "- \n* \n",
        "Conclusie:\n\n",
        "a.\nb.\n",
    ] {
        for s in sentences(text) {
            assert!(!s.trim().is_empty(), "empty sentence in {text:?}");
        }
    }
}

// ---- sections --------------------------------------------------------------------------

#[test]
fn nl_radiology_sections() {
    let text = "CT abdomen\n\nKlinische gegevens: coloncarcinoom.\nVraagstelling: metastasen?\nTechniek: portoveneuze fase.\nVergelijking: CT 2021.\nVerslag:\nLaesie in segment 7.\nConclusie:\nMetastase.";
    assert_eq!(
        section_names(text),
        [
            "body",
            "clinical",
            "indication",
            "technique",
            "comparison",
            "findings",
            "conclusion"
        ]
    );
    let secs = sections(text);
    assert_eq!(secs[1].1, "coloncarcinoom.");
    assert_eq!(secs[6].1, "Metastase.");
}

#[test]
fn nl_pathology_sections() {
    let text = "Klinische gegevens\nleverlaesie.\nMacroscopie\nBiopt van 1,5 cm.\nMicroscopie\nAdenocarcinoom.\nImmunohistochemie\nCK20 positief.\nAanvullend onderzoek\nKRAS.\nConclusie\nMetastase.";
    assert_eq!(
        section_names(text),
        [
            "clinical",
            "gross",
            "microscopy",
            "ihc",
            "ancillary",
            "conclusion"
        ]
    );
}

#[test]
fn nl_adjective_headers() {
    let text = "Macroscopisch: leverbiopt.\nMicroscopisch: tumor.\nSamenvatting: metastase.";
    assert_eq!(section_names(text), ["gross", "microscopy", "conclusion"]);
}

#[test]
fn nl_other_common_headers() {
    let text = "Onderzoek: echo bovenbuik.\nIndicatie: leverenzymen.\nBeschrijving: lever normaal.\nUitslag: geen afwijkingen.";
    assert_eq!(
        section_names(text),
        ["technique", "indication", "findings", "findings"]
    );
}

#[test]
fn en_radiology_sections() {
    let text = "CLINICAL HISTORY: colon cancer.\nINDICATION: staging.\nTECHNIQUE: portal venous phase.\nCOMPARISON: none.\nFINDINGS:\nLesion in segment 7.\nIMPRESSION:\nMetastasis.";
    assert_eq!(
        section_names(text),
        [
            "clinical",
            "indication",
            "technique",
            "comparison",
            "findings",
            "conclusion"
        ]
    );
}

#[test]
fn en_pathology_sections() {
    let text = "Clinical information: liver lesion.\nGross description: core.\nMicroscopic description: tumour.\nImmunohistochemistry: CK7 negative.\nFinal diagnosis: metastatic adenocarcinoma.\nAddendum: KRAS mutated.";
    assert_eq!(
        section_names(text),
        [
            "clinical",
            "gross",
            "microscopy",
            "ihc",
            "diagnosis",
            "addendum"
        ]
    );
}

#[test]
fn en_other_common_headers() {
    let text = "Clinical data: HCC.\nProcedure: MRI liver.\nResults: two lesions.\nReport: see above.\nOpinion: LR-5.\nSummary: HCC.\nDiagnosis: HCC.";
    assert_eq!(
        section_names(text),
        [
            "clinical",
            "technique",
            "findings",
            "findings",
            "conclusion",
            "conclusion",
            "diagnosis"
        ]
    );
}

#[test]
fn abbreviated_and_decorated_headers() {
    let text =
        "Concl.: metastase.\nImp: metastasis.\n-- CONCLUSIE --\nmetastase.\n**Findings**\nlesion.";
    assert_eq!(
        section_names(text),
        ["conclusion", "conclusion", "conclusion", "findings"]
    );
}

#[test]
fn combined_headers_take_their_first_part() {
    let text =
        "Conclusie/advies: metastase, MDO.\nFINDINGS / IMPRESSION:\nLesion.\nLever/milt: normaal.";
    assert_eq!(section_names(text), ["conclusion", "findings"]);
}

#[test]
fn headers_after_a_sentence_end_in_flattened_text() {
    let text =
        "Klinische gegevens: coloncarcinoom. Verslag: laesie in segment 7. Conclusie: metastase.";
    let secs = sections(text);
    let names: Vec<_> = secs.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["clinical", "findings", "conclusion"]);
    assert_eq!(secs[1].1, "laesie in segment 7.");
    assert_eq!(
        sentences(text),
        [
            "Klinische gegevens:",
            "coloncarcinoom.",
            "Verslag:",
            "laesie in segment 7.",
            "Conclusie:",
            "metastase."
        ]
    );
}

#[test]
fn a_preamble_line_does_not_swallow_the_findings() {
    let text = "CT abdomen\nKlinische gegevens: GIST maag. Evaluatie.\nVergelijking: CT voor start behandeling.\nLever: metastasen in segment 6\n(4,3 cm) en segment 3.\nConclusie: respons.";
    let secs = sections(text);
    let names: Vec<_> = secs.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        names,
        ["body", "clinical", "comparison", "body", "conclusion"]
    );
    assert_eq!(secs[2].1, "CT voor start behandeling.");
    assert_eq!(
        secs[3].1,
        "Lever: metastasen in segment 6\n(4,3 cm) en segment 3."
    );

    let text =
        "CT ABDOMEN\nIndication: flank pain.\n7 mm stone at the left UPJ. Right renal cyst 3 cm.";
    assert_eq!(section_names(text), ["body", "indication", "body"]);
}

#[test]
fn a_wrapped_preamble_line_stays_whole() {
    let text = "Klinische gegevens: bekend met coloncarcinoom, status na hemicolectomie rechts, nu\nstijgend CEA.\nLever: geen afwijkingen.";
    let secs = sections(text);
    assert_eq!(secs[0].0, "clinical");
    assert_eq!(
        secs[0].1,
        "bekend met coloncarcinoom, status na hemicolectomie rechts, nu\nstijgend CEA."
    );
    assert_eq!(secs[1].0, "body");
}

#[test]
fn a_preamble_under_its_own_header_line_ends_at_a_blank_line() {
    let text = "CLINICAL HISTORY\n\nColon cancer.\nRising CEA.\n\nThe liver shows two lesions.\nIMPRESSION\nMetastases.";
    let secs = sections(text);
    let names: Vec<_> = secs.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["clinical", "body", "conclusion"]);
    assert_eq!(secs[0].1, "Colon cancer.\nRising CEA.");
    assert_eq!(secs[1].1, "The liver shows two lesions.");
}

#[test]
fn words_that_are_not_headers() {
    // An organ label or a header word inside a sentence opens no section.
    let text = "Lever: twee laesies.\nDe conclusie van de vorige CT was: metastase.\nIn de verslag periode geen wijziging.";
    assert_eq!(section_names(text), ["body"]);
}

#[test]
fn header_alone_on_a_line_is_its_own_sentence() {
    assert_eq!(
        sentences("VERSLAG\nLaesie in segment 7.\nCONCLUSIE\nMetastase"),
        ["VERSLAG", "Laesie in segment 7.", "CONCLUSIE", "Metastase"]
    );
}

// ---- tokens ----------------------------------------------------------------------------

#[test]
fn tokens_keep_clinical_units_whole() {
    assert_eq!(
        tokens("HepPar-1 negatief, CK20 en CDX2 positief; LR-5 op T2, 2,3 cm en 2.3x1.8cm in S4a."),
        [
            "heppar-1",
            "negatief",
            ",",
            "ck20",
            "en",
            "cdx2",
            "positief",
            ";",
            "lr-5",
            "op",
            "t2",
            ",",
            "2,3",
            "cm",
            "en",
            "2.3x1.8cm",
            "in",
            "s4a",
            "."
        ]
    );
}

// ---- folding and offsets ---------------------------------------------------------------

#[test]
fn folded_offsets_map_back_on_real_text() {
    let text = "Echografie: hypoëchogene laesie  in   segment\tIVa, Ø 1,2 cm — CEA 212 µg/l.\r\nConclusie:  géén ascites.";
    let f = Folded::new(text);
    assert_eq!(
        f.text,
        "echografie: hypoechogene laesie in segment iva, o 1,2 cm - cea 212 ug/l. conclusie: geen ascites."
    );
    for (needle, original) in [
        ("hypoechogene", "hypoëchogene"),
        ("segment iva", "segment\tIVa"),
        ("o 1,2 cm - cea", "Ø 1,2 cm — CEA"),
        ("ug/l", "µg/l"),
        ("geen ascites", "géén ascites"),
        ("cea 212 ug/l. conclusie", "CEA 212 µg/l.\r\nConclusie"),
    ] {
        let s = f.text.find(needle).expect(needle);
        let (a, b) = f.to_original(s, s + needle.len());
        assert_eq!(&text[a..b], original);
        assert_eq!(f.to_folded(a), s);
    }
}

#[test]
fn every_folded_byte_maps_to_a_char_boundary() {
    let texts = [
        "Ærtsen: œdeem, Straße, ½ cm ≤ 2 cm, ‘HepPar‑1’ “positief” — 𝔘nicode 😀 test",
        "Leverbiopt: CK7−, CK20+, CDX2+ (zwak–matig).",
        "\u{FEFF}BOM at the start, then ﬁ ligature and İstanbul.",
    ];
    for text in texts {
        let f = Folded::new(text);
        for i in 0..f.text.len() {
            let (a, b) = f.to_original(i, i + 1);
            assert!(
                a < b && text.is_char_boundary(a) && text.is_char_boundary(b),
                "{text:?} at {i}"
            );
        }
        let (a, b) = f.to_original(0, f.text.len());
        assert!(a <= b && b <= text.len());
    }
}

#[test]
fn sentence_ranges_are_consistent_in_both_texts() {
    let text = "Verslag:\nIn segment VII een hypodense laesie van 2,3 cm.\nConclusie: géén andere afwijkingen.";
    let cfg = config();
    let doc = Document::new(text, &cfg);
    for s in &doc.sentences {
        let folded = &doc.folded.text[s.fstart..s.fend];
        let back = Folded::new(&text[s.start..s.end]).into_text();
        assert_eq!(folded.trim(), back.trim());
    }
}
