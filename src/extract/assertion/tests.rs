use std::sync::OnceLock;

use super::*;
use crate::lexicon::LexiconSet;
use crate::record::{Experiencer, Presence, Temporality};

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(LexiconSet::embedded().expect("embedded lexicons")))
}

/// Qualifies the first occurrence of `span` in `text`.
fn q(lang: Language, text: &str, span: &str) -> Qualified {
    let start = text
        .find(span)
        .unwrap_or_else(|| panic!("`{span}` not in `{text}`"));
    let (_, mut out) = qualify_text(
        extractor(),
        text,
        Some(lang),
        &[(start, start + span.len())],
    );
    out.remove(0)
}

fn nl(text: &str, span: &str) -> Qualified {
    q(Language::Nl, text, span)
}

fn en(text: &str, span: &str) -> Qualified {
    q(Language::En, text, span)
}

fn presence(q: &Qualified) -> Presence {
    q.assertion.presence
}

#[test]
fn negation_reaches_every_item_of_a_list() {
    let t = "Geen ascites, lymfadenopathie of levermetastasen.";
    for s in ["ascites", "lymfadenopathie", "levermetastasen"] {
        assert_eq!(presence(&nl(t, s)), Presence::Absent, "{s}");
    }
    let t = "No ascites, lymphadenopathy or hepatic metastases.";
    assert_eq!(presence(&en(t, "hepatic metastases")), Presence::Absent);
}

#[test]
fn terminators_end_the_scope() {
    assert_eq!(
        presence(&nl(
            "Geen ascites, maar wel een laesie in segment 7.",
            "laesie"
        )),
        Presence::Present
    );
    assert_eq!(
        presence(&nl(
            "Geen ascites, echter een laesie in segment 7.",
            "laesie"
        )),
        Presence::Present
    );
    assert_eq!(
        presence(&en("No ascites; however, a lesion in segment 7.", "lesion")),
        Presence::Present
    );
    assert_eq!(
        presence(&en(
            "No ascites, although there is a lesion in segment 7.",
            "lesion"
        )),
        Presence::Present
    );
}

#[test]
fn a_semicolon_ends_the_scope() {
    assert_eq!(
        presence(&nl("Geen ascites; metastase in segment 3.", "metastase")),
        Presence::Present
    );
}

#[test]
fn the_sentence_end_ends_the_scope() {
    assert_eq!(
        presence(&nl("Geen ascites. Metastase in segment 3.", "Metastase")),
        Presence::Present
    );
}

#[test]
fn pseudo_triggers_do_not_negate() {
    assert_eq!(
        presence(&nl(
            "Geen toename van de levermetastasen.",
            "levermetastasen"
        )),
        Presence::Present
    );
    assert_eq!(
        presence(&en(
            "No change in the liver metastases.",
            "liver metastases"
        )),
        Presence::Present
    );
    assert_eq!(
        presence(&en("No increase in size of the metastasis.", "metastasis")),
        Presence::Present
    );
    assert_eq!(
        presence(&en("Metastases not only in the right lobe.", "Metastases")),
        Presence::Present
    );
}

#[test]
fn double_negatives_are_uncertainty() {
    let r = nl("Metastasen zijn niet uit te sluiten.", "Metastasen");
    assert_eq!(presence(&r), Presence::Uncertain);
    assert_eq!(r.rules, ["niet uit te sluiten"]);
    assert_eq!(
        presence(&nl(
            "Een metastase kan niet worden uitgesloten.",
            "metastase"
        )),
        Presence::Uncertain
    );
    assert_eq!(
        presence(&en("Metastasis cannot be excluded.", "Metastasis")),
        Presence::Uncertain
    );
    assert_eq!(
        presence(&en("We cannot exclude a metastasis.", "metastasis")),
        Presence::Uncertain
    );
}

#[test]
fn a_new_clause_with_uncertainty_ends_a_negation() {
    assert_eq!(
        presence(&nl("Geen ascites, mogelijk een metastase.", "metastase")),
        Presence::Uncertain
    );
    assert_eq!(
        presence(&en(
            "No ascites, possible metastasis in segment 2.",
            "metastasis"
        )),
        Presence::Uncertain
    );
    // Inside the negated phrase an uncertainty word stays negated.
    assert_eq!(
        presence(&nl("Geen verdachte laesies.", "laesies")),
        Presence::Absent
    );
    assert_eq!(
        presence(&en("No suspicious lesions.", "lesions")),
        Presence::Absent
    );
    assert_eq!(
        presence(&nl("Geen ascites of verdachte laesies.", "laesies")),
        Presence::Absent
    );
}

#[test]
fn new_lesions_only() {
    let r = nl(
        "Bekende metastase in segment 7, geen nieuwe laesies.",
        "laesies",
    );
    assert_eq!(presence(&r), Presence::Absent);
    assert!(r.only_new);
    assert_eq!(r.rules, ["geen", "nieuwe"]);
    let known = nl(
        "Bekende metastase in segment 7, geen nieuwe laesies.",
        "metastase",
    );
    assert_eq!(presence(&known), Presence::Present);
    assert!(!known.only_new);
    let r = en("No new liver lesions.", "liver lesions");
    assert!(r.only_new && presence(&r) == Presence::Absent);
    let r = nl("Nieuwe laesies worden niet gezien.", "laesies");
    assert!(r.only_new && presence(&r) == Presence::Absent);
    assert!(!nl("Geen laesies.", "laesies").only_new);
    let t = "Geen nieuwe metastasen naast de bekende laesie in segment 8.";
    assert_eq!(presence(&nl(t, "laesie")), Presence::Present);
}

#[test]
fn backward_triggers() {
    assert_eq!(
        presence(&nl(
            "Levermetastasen worden niet gezien.",
            "Levermetastasen"
        )),
        Presence::Absent
    );
    assert_eq!(
        presence(&nl("De laesie in segment 6 is verdwenen.", "laesie")),
        Presence::Absent
    );
    assert_eq!(
        presence(&en("Metastases are not seen.", "Metastases")),
        Presence::Absent
    );
    assert_eq!(
        presence(&en("The lesion has resolved.", "lesion")),
        Presence::Absent
    );
    // A backward trigger does not reach past a new clause.
    let t = "Nieuwe metastase in segment 4, de laesie in segment 7 is verdwenen.";
    assert_eq!(presence(&nl(t, "metastase")), Presence::Present);
}

#[test]
fn max_scope_keeps_local_triggers_local() {
    // "niet" reaches one word: "niet scherp begrensde laesie" is a present lesion.
    assert_eq!(
        presence(&nl("Een niet scherp begrensde laesie.", "laesie")),
        Presence::Present
    );
    assert_eq!(
        presence(&nl("De laesie is niet scherp begrensd.", "laesie")),
        Presence::Present
    );
    // "prior" reaches a few words only.
    let t = "Prior hepatectomy. Compared to prior imaging the metastasis has grown.";
    assert_eq!(
        nl(t, "hepatectomy").assertion.temporality,
        Temporality::Current,
        "Dutch lexicon has no `prior`"
    );
    assert_eq!(
        en(t, "hepatectomy").assertion.temporality,
        Temporality::Historical
    );
    assert_eq!(
        en(t, "metastasis").assertion.temporality,
        Temporality::Current
    );
}

#[test]
fn temporality() {
    assert_eq!(
        nl("Status na resectie van levermetastasen.", "levermetastasen")
            .assertion
            .temporality,
        Temporality::Historical
    );
    assert_eq!(
        nl("Ter uitsluiting van metastasen.", "metastasen")
            .assertion
            .temporality,
        Temporality::Future
    );
    assert_eq!(
        nl("Bij twijfel over metastasen MRI.", "metastasen")
            .assertion
            .temporality,
        Temporality::Future
    );
    assert_eq!(
        en("History of colorectal cancer.", "colorectal cancer")
            .assertion
            .temporality,
        Temporality::Historical
    );
    assert_eq!(
        en("If metastases are confirmed, resect.", "metastases")
            .assertion
            .temporality,
        Temporality::Future
    );
    // "thans" (now) ends the past.
    let t = "Status na resectie van levermetastasen, thans geen recidief.";
    let r = nl(t, "recidief");
    assert_eq!(
        (r.assertion.presence, r.assertion.temporality),
        (Presence::Absent, Temporality::Current)
    );
}

#[test]
fn experiencer() {
    assert_eq!(
        nl("Moeder overleed aan levermetastasen.", "levermetastasen")
            .assertion
            .experiencer,
        Experiencer::Family
    );
    assert_eq!(
        en("Family history of colon cancer.", "colon cancer")
            .assertion
            .experiencer,
        Experiencer::Family
    );
    assert_eq!(
        en("Coloncancer in her father.", "Coloncancer")
            .assertion
            .experiencer,
        Experiencer::Family
    );
    assert_eq!(
        en("Living donor with a liver cyst.", "liver cyst")
            .assertion
            .experiencer,
        Experiencer::Other
    );
    assert_eq!(
        nl("Levermetastasen.", "Levermetastasen")
            .assertion
            .experiencer,
        Experiencer::Patient
    );
}

#[test]
fn question_marks_and_the_indication_section() {
    let r = nl(
        "Vraagstelling: levermetastasen?\nBevindingen: metastase in segment 7.",
        "levermetastasen",
    );
    assert_eq!(r.assertion.presence, Presence::Uncertain);
    assert_eq!(r.assertion.temporality, Temporality::Future);
    assert_eq!(r.rules, ["section:indication", "?"]);
    let r = nl(
        "Vraagstelling: levermetastasen?\nBevindingen: metastase in segment 7.",
        "metastase in",
    );
    assert_eq!(
        r.assertion,
        Assertion::default(),
        "the findings are not the question"
    );
    assert_eq!(
        presence(&en("?metastasis in segment 7", "metastasis")),
        Presence::Uncertain
    );
    // A question about something else further on does not make a span uncertain.
    let t = "Laesie in segment 7, metastase?";
    assert_eq!(presence(&nl(t, "Laesie")), Presence::Present);
    assert_eq!(presence(&nl(t, "metastase")), Presence::Uncertain);
}

#[test]
fn evidence_of_applied_triggers_maps_to_the_text() {
    let text = "Geen aanwijzingen voor levermetastasen.";
    let start = text.find("levermetastasen").unwrap_or(0);
    let doc = extractor().document(text);
    let ctx = Ctx::new(&doc, extractor().lexicons(), &[], Language::Nl);
    let (fs, fe) = doc
        .folded
        .range_to_folded(start, start + "levermetastasen".len());
    let r = qualify(&ctx, fs, fe);
    assert_eq!(r.applied.len(), 1);
    let ev = ctx.evidence(
        r.applied[0].fstart,
        r.applied[0].fend,
        r.applied[0].rule.clone(),
    );
    assert_eq!(ev.text, "Geen aanwijzingen voor");
    assert!(
        ev.rule.starts_with("lexicon:nl/context.tsv:"),
        "{}",
        ev.rule
    );
}

#[test]
fn document_triggers_answer_like_qualify() {
    let text = "Klinische gegevens: coloncarcinoom.\nVraagstelling: metastasen?\nBevindingen: Geen ascites, \
                maar wel een laesie in segment 7, verdacht voor metastase. Status na RFA van een metastase \
                in segment 8, thans geen recidief. Moeder had levermetastasen.";
    let doc = extractor().document(text);
    let ctx = Ctx::new(&doc, extractor().lexicons(), &[], Language::Nl);
    let all = DocTriggers::find(&ctx);
    assert!(all.triggers().len() >= 8);
    let folded = ctx.folded();
    let mut pos = 0;
    for word in folded.split(' ') {
        let (fs, fe) = (pos, pos + word.len());
        pos = fe + 1;
        if word.is_empty() {
            continue;
        }
        assert_eq!(
            all.qualify(&ctx, fs, fe),
            qualify(&ctx, fs, fe),
            "span `{word}`"
        );
    }
}

#[test]
fn any_span_of_any_text_is_answered() {
    let texts = [
        "",
        " ",
        "?",
        "geen",
        "Geen ascites, ; maar ? wel",
        "é́ geen ñ?",
        "no\n\n\nmetastasis?",
    ];
    for text in texts {
        let mut spans = Vec::new();
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for &s in &bounds {
            for &e in &bounds {
                spans.push((s, e));
            }
        }
        spans.push((text.len() + 5, text.len() + 9));
        let (_, out) = qualify_text(extractor(), text, None, &spans);
        assert_eq!(out.len(), spans.len());
    }
}

#[test]
fn a_dangling_negation_answers_what_came_before() {
    assert_eq!(
        presence(&nl("Levermetastasen: geen.", "Levermetastasen")),
        Presence::Absent
    );
    assert_eq!(
        presence(&nl("Levermetastasen: nee", "Levermetastasen")),
        Presence::Absent
    );
    assert_eq!(
        presence(&nl("Metastasen zijn hoogstwaarschijnlijk.", "Metastasen")),
        Presence::Uncertain
    );
    assert_eq!(
        presence(&en("Liver metastases: none.", "Liver metastases")),
        Presence::Absent
    );
    // Not when words follow the trigger, and not from far away.
    assert_eq!(
        presence(&nl("Metastasen in segment 7, geen ascites.", "Metastasen")),
        Presence::Present
    );
    let far = "Metastase in segment 7 met een diameter van ongeveer twee centimeter: geen.";
    assert_eq!(presence(&nl(far, "Metastase")), Presence::Present);
}

#[test]
fn a_new_clause_ends_the_reach_of_time_and_presence() {
    let t = "Verdenking op levermetastasen, ter uitsluiting van abces MRI.";
    let r = nl(t, "abces");
    assert_eq!(
        (r.assertion.presence, r.assertion.temporality),
        (Presence::Present, Temporality::Future)
    );
    assert_eq!(presence(&nl(t, "levermetastasen")), Presence::Uncertain);
    let r = nl(
        "Status na resectie van metastasen, mogelijk recidief in segment 7.",
        "recidief",
    );
    assert_eq!(
        (r.assertion.presence, r.assertion.temporality),
        (Presence::Uncertain, Temporality::Current)
    );
    // Family history reaches across clauses.
    let r = nl(
        "Vader: coloncarcinoom, mogelijk levermetastasen.",
        "levermetastasen",
    );
    assert_eq!(
        (r.assertion.presence, r.assertion.experiencer),
        (Presence::Uncertain, Experiencer::Family)
    );
}

#[test]
fn a_section_default_covers_only_what_its_header_introduces() {
    let t =
        "Vraagstelling: metastasen?\nLever: hypodense laesie in segment 7.\nConclusie: metastase.";
    let r = nl(t, "metastasen");
    assert_eq!(r.assertion.temporality, Temporality::Future);
    assert_eq!(
        nl(t, "laesie").assertion,
        Assertion::default(),
        "findings after an unknown header"
    );
    let t = "Klinische gegevens:\ncoloncarcinoom, levermetastasen gereseceerd 2019\nLever: metastase in segment 4.";
    assert_eq!(
        nl(t, "coloncarcinoom").assertion.temporality,
        Temporality::Historical
    );
    assert_eq!(
        nl(t, "metastase ").assertion.temporality,
        Temporality::Current
    );
    let t = "Comparison: CT 2022, metastasis in segment 6.\nThe liver shows two new metastases.";
    assert_eq!(
        en(t, "metastasis").assertion.temporality,
        Temporality::Historical
    );
    assert_eq!(
        en(t, "metastases").assertion.temporality,
        Temporality::Current
    );
}

fn when(q: &Qualified) -> Temporality {
    q.assertion.temporality
}

#[test]
fn a_date_that_opens_a_clause_puts_what_follows_in_the_past() {
    for (t, s) in [
        (
            "2018: hemihepatectomie wegens levermetastasen.",
            "levermetastasen",
        ),
        ("In 2019 RFA van een metastase in segment 8.", "metastase"),
        ("Maart 2021 wigexcisie wegens een metastase.", "metastase"),
        ("Op 12-03-2019 resectie van een metastase.", "metastase"),
        (
            "Klinische gegevens: 2017 hemicolectomie wegens coloncarcinoom.",
            "coloncarcinoom",
        ),
    ] {
        assert_eq!(when(&nl(t, s)), Temporality::Historical, "{t}");
    }
    for (t, s) in [
        ("2017: wedge resection of a metastasis.", "metastasis"),
        ("On 03/12/2019 ablation of a metastasis.", "metastasis"),
        (
            "In mid 2015 chemotherapy for liver metastases.",
            "liver metastases",
        ),
    ] {
        assert_eq!(when(&en(t, s)), Temporality::Historical, "{t}");
    }
    // The trigger names the date and the `<date>` entry.
    let r = nl("In 2019 RFA van een metastase.", "metastase");
    assert_eq!(r.rules, vec![trigger::DATE_TERM.to_string()]);
    assert_eq!(r.applied.len(), 1);
}

#[test]
fn a_date_inside_a_clause_or_after_sinds_is_no_trigger() {
    for (t, s) in [
        (
            "Vergeleken met de CT van 12-03-2019 toename van de metastasen.",
            "metastasen",
        ),
        ("Sinds 2019 bekend hemangioom in segment 4.", "hemangioom"),
        (
            "Ten opzichte van maart 2020 is de metastase kleiner.",
            "metastase",
        ),
        (
            "Metastase in segment 8, 25 mm (was 18 mm in 2021).",
            "Metastase",
        ),
        ("Metastase van 2019 mm.", "Metastase"),
    ] {
        assert_eq!(when(&nl(t, s)), Temporality::Current, "{t}");
    }
    for (t, s) in [
        (
            "Compared to the CT of March 3, 2019, the metastases have increased.",
            "metastases",
        ),
        ("Since 2019 known hemangioma.", "hemangioma"),
        ("Lesion of 12 mm at 1/3 of segment 2.", "Lesion"),
    ] {
        assert_eq!(when(&en(t, s)), Temporality::Current, "{t}");
    }
    // "nu"/"now" ends the past.
    let t = "In 2020 RFA van een metastase, nu een recidief ter plaatse.";
    assert_eq!(when(&nl(t, "recidief")), Temporality::Current);
}

#[test]
fn date_shapes() {
    for d in [
        "2019",
        "03-2019",
        "12-03-2019",
        "2019-03-12",
        "1/3/2019",
        "12.03.1999",
    ] {
        assert!(trigger::is_date(d), "{d}");
    }
    for d in [
        "1899",
        "2100",
        "19",
        "123-03-2019",
        "12-03-19",
        "2019-2020-1",
        "12",
    ] {
        assert!(!trigger::is_date(d), "{d}");
    }
}

#[test]
fn past_and_future_verbs_and_phrases() {
    for (t, s) in [
        ("Patiënt bekend met levercirrose.", "levercirrose"),
        (
            "Patiënte heeft in 2015 een hemihepatectomie gehad.",
            "hemihepatectomie",
        ),
        ("Als kind hepatitis A doorgemaakt.", "hepatitis A"),
        (
            "Drie jaar geleden resectie van een levermetastase.",
            "levermetastase",
        ),
    ] {
        assert_eq!(when(&nl(t, s)), Temporality::Historical, "{t}");
    }
    for (t, s) in [
        (
            "The patient underwent a left hepatectomy.",
            "left hepatectomy",
        ),
        (
            "Right hemicolectomy for colon cancer three years ago.",
            "colon cancer",
        ),
    ] {
        assert_eq!(when(&en(t, s)), Temporality::Historical, "{t}");
    }
    for (t, s) in [
        ("Hemihepatectomie rechts gepland.", "Hemihepatectomie"),
        ("Bij te verwachten progressie nieuwe CT.", "progressie"),
        ("Als de patiënt koorts krijgt, echo.", "koorts"),
    ] {
        assert_eq!(when(&nl(t, s)), Temporality::Future, "{t}");
    }
    for (t, s) in [
        ("Right hepatectomy is planned.", "Right hepatectomy"),
        ("If there is growth, biopsy is advised.", "growth"),
        (
            "The patient will undergo portal vein embolization.",
            "portal vein embolization",
        ),
    ] {
        assert_eq!(when(&en(t, s)), Temporality::Future, "{t}");
    }
    // A planned procedure does not make the lesion it treats hypothetical.
    let t = "Geplande resectie van de metastase in segment 6.";
    assert_eq!(when(&nl(t, "metastase")), Temporality::Current);
}

#[test]
fn a_relatives_finding_is_not_made_historical() {
    let r = nl("Moeder bekend met coloncarcinoom.", "coloncarcinoom");
    assert_eq!(
        (r.assertion.temporality, r.assertion.experiencer),
        (Temporality::Current, Experiencer::Family)
    );
    let r = en("Mother with a history of colon cancer.", "colon cancer");
    assert_eq!(
        (r.assertion.temporality, r.assertion.experiencer),
        (Temporality::Current, Experiencer::Family)
    );
    // The patient's own history stays historical.
    let r = en("History of colon cancer.", "colon cancer");
    assert_eq!(r.assertion.temporality, Temporality::Historical);
}

#[test]
fn a_year_of_a_citation_or_edition_opens_nothing() {
    for (t, s) in [
        (
            "Staging (AJCC 7th ed., 2010). Hepatocellular carcinoma, 2 cm.",
            "Hepatocellular carcinoma",
        ),
        (
            "Staging per AJCC (2010) : hepatocellular carcinoma pT1.",
            "hepatocellular carcinoma",
        ),
        (
            "See AJCC 7th ed. 2010 hepatocellular carcinoma staging parameters.",
            "hepatocellular carcinoma",
        ),
    ] {
        assert_eq!(when(&en(t, s)), Temporality::Current, "{t}");
    }
    // A line that starts with a year, or a year with a colon, still opens a clause.
    let t = "Clinical data:\n2016 liver transplant for primary sclerosing cholangitis.";
    assert_eq!(
        when(&en(t, "primary sclerosing cholangitis")),
        Temporality::Historical
    );
    let t = "No ascites. 2016: transplant for primary sclerosing cholangitis.";
    assert_eq!(
        when(&en(t, "primary sclerosing cholangitis")),
        Temporality::Historical
    );
}
