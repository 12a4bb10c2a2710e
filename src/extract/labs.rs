//! Lab values: CEA, bilirubin, ALP, GGT, LDH, AFP, converted to the record's units.
//!
//! A lab name (`lab` lexicon) followed by a number, with an optional unit: "CEA 212 ng/ml",
//! "bilirubine: 2,4 mg/dl" (converted, 1 mg/dl = 17.1 µmol/l), "AF 150 U/l". A few
//! short words may stand between name and number ("CEA van 212", "CEA was 15"); without a
//! unit the number must follow the name directly. A name followed by a result word
//! ("AFP negatief") is a stain, not a lab value.

use std::sync::LazyLock;

use regex::Regex;

use super::{Ctx, Extraction};
use crate::record::Language;

/// Name, then up to two short words or a bracketed note, then a number and maybe a unit.
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<gap>\s*(?:\([^)]{0,25}\)\s*)?(?:[:=]\s*)?(?:-?[a-z]{1,9}\s+){0,2}?)\(?(?P<num>\d+(?:[.,]\d+)?)(?:\s*(?P<unit>ng/ml|ug/l|umol/l|mmol/l|mg/dl|mg/l|iu/ml|ku/l|u/l|iu/l|e/l|ie/l|u/ml))?",
    )
    .expect("lab value regex")
});

/// Adds what this module reads to `out`.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    let folded = ctx.folded();
    for (m, e) in ctx.of_kind("lab") {
        let Some(key) = e.attr("lab") else { continue };
        let Some(rest) = folded.get(m.end..) else {
            continue;
        };
        let Some(c) = VALUE.captures(rest) else {
            continue;
        };
        let (Some(gap), Some(num)) = (c.name("gap"), c.name("num")) else {
            continue;
        };
        let unit = c.name("unit").map(|u| u.as_str());
        let has_words = gap.as_str().chars().any(|ch| ch.is_ascii_alphabetic());
        if unit.is_none() && (has_words || e.attr("unit") == Some("required")) {
            continue;
        }
        if gap.as_str().contains('(') && unit.is_none() {
            continue;
        }
        // A number glued to a dimension ("2 x 3") or a date is no lab value.
        let after = rest.get(num.end()..).unwrap_or("");
        if unit.is_none()
            && (after.trim_start().starts_with(['x', '-', '/', '%'])
                || after.starts_with(['.', ','])
                    && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            continue;
        }
        // "2,340 ng/mL" in English is two thousand three hundred and forty.
        let text = num.as_str();
        // ... and "1.250 ug/l" in Dutch is twelve hundred and fifty.
        let sep = if ctx.lang == Language::En { b',' } else { b'.' };
        let thousands = text.len() >= 5 && text.as_bytes()[text.len() - 4] == sep;
        let text = if thousands {
            text.replace([',', '.'], "")
        } else {
            text.replace(',', ".")
        };
        let Ok(raw) = text.parse::<f64>() else {
            continue;
        };
        let Some(value) = convert(key, raw, unit, ctx.lang) else {
            continue;
        };
        let end = c.name("unit").map_or(num.end(), |u| u.end());
        out.facts.push(ctx.fact(
            "labs",
            serde_json::json!({ key: value }),
            m.start,
            m.end + end,
            format!("{} + lab:value", e.rule()),
        ));
        out.summary.labs.entry(key.to_string()).or_insert(value);
    }
}

/// Converts a value to the record's unit for `key`; None when the unit does not fit.
pub fn convert(key: &str, value: f64, unit: Option<&str>, lang: Language) -> Option<f64> {
    let v = match (key, unit) {
        ("cea_ng_ml", None | Some("ng/ml" | "ug/l")) => value,
        ("afp_ug_l", None | Some("ng/ml" | "ug/l")) => value,
        ("afp_ug_l", Some("iu/ml" | "ku/l")) => value * 1.21,
        ("bilirubin_umol_l", Some("umol/l")) => value,
        ("bilirubin_umol_l", Some("mg/dl")) => value * 17.1,
        // Without a unit: Dutch labs report µmol/l; small English values are mg/dl.
        ("bilirubin_umol_l", None) if lang == Language::En && value < 20.0 => value * 17.1,
        ("bilirubin_umol_l", None) => value,
        ("alp_u_l" | "ggt_u_l" | "ldh_u_l", None | Some("u/l" | "iu/l" | "e/l" | "ie/l")) => value,
        _ => return None,
    };
    Some((v * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use crate::extract::Extractor;
    use crate::lexicon::LexiconSet;
    use crate::record::Language;

    fn labs(text: &str, lang: Language) -> std::collections::BTreeMap<String, f64> {
        let ex = Extractor::new(LexiconSet::embedded().expect("lexicons"));
        ex.extract_text(text, Some(lang)).summary.labs
    }

    #[test]
    fn values_and_units() {
        let l = labs(
            "Lab: CEA 212 ng/ml, bilirubine 2,4 mg/dl, AF 150 U/l, gamma-GT 88 E/l, LDH 300.",
            Language::Nl,
        );
        assert_eq!(l.get("cea_ng_ml"), Some(&212.0));
        assert_eq!(l.get("bilirubin_umol_l"), Some(&41.04));
        assert_eq!(l.get("alp_u_l"), Some(&150.0));
        assert_eq!(l.get("ggt_u_l"), Some(&88.0));
        assert_eq!(l.get("ldh_u_l"), Some(&300.0));
    }

    #[test]
    fn stains_are_not_labs() {
        let l = labs(
            "AFP negatief. CEA: positief. Dat neemt af 15 keer.",
            Language::Nl,
        );
        assert!(l.is_empty(), "{l:?}");
        let l = labs("Serum AFP was 1250 ng/mL; CEA 4.1.", Language::En);
        assert_eq!(l.get("afp_ug_l"), Some(&1250.0));
        assert_eq!(l.get("cea_ng_ml"), Some(&4.1));
    }
}
