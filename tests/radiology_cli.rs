//! Radiology extraction from the command line: the summary fields of a Dutch and an
//! English report, the lesions with their evidence, and the hard negatives.

mod util;

use serde_json::{json, Value};

fn extract(text: &str) -> Value {
    let run = util::run(&["extract", "-"], Some(text.as_bytes()));
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    util::assert_spans_match(&lines[0], text);
    lines[0].clone()
}

#[test]
fn dutch_ct_with_findings_and_conclusion() {
    let text = "CT abdomen met iv contrast.\n\
                Vergelijking: MRI 2022.\n\
                Verslag:\n\
                Lever: in segment 7 een hypodense laesie van 2,3 x 1,8 cm met ringvormige aankleuring \
                (serie 4 beeld 112). Tweede laesie in seg. IVb van 9 mm (voorheen 6 mm).\n\
                Milt 11 cm. Cyste in de linker nier van 3 cm.\n\
                Conclusie:\n\
                Twee levermetastasen (seg. VII en IVb).";
    let r = extract(text);
    let s = &r["summary"];
    assert_eq!(s["report_type"], "radiology");
    assert_eq!(s["modality"], json!(["CT"]));
    assert_eq!(s["liver_metastasis"], "present");
    assert_eq!(s["lesion_count"], json!({"value": 2}));
    assert_eq!(s["largest_lesion_mm"], json!(23));
    assert_eq!(s["segments"], json!(["IVb", "VII"]));
    assert_eq!(s["lobes"], json!(["left", "right"]));
    assert_eq!(s["bilobar"], json!(true));
    assert_eq!(s["patterns"], json!(["rim_enhancement", "hypoattenuating"]));
    let lesions = r["lesions"].as_array().expect("lesions");
    assert_eq!(lesions.len(), 1, "{lesions:?}");
    assert_eq!(lesions[0]["kind"], "metastasis");
    assert_eq!(lesions[0]["size_mm"], json!({"dims": [23, 18], "max": 23}));
    let rules: Vec<&str> = lesions[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["rule"].as_str())
        .collect();
    assert!(rules.iter().any(|r| r.starts_with("segment:")), "{rules:?}");
    assert!(
        rules.iter().any(|r| r.contains("nl/lesion.tsv")),
        "{rules:?}"
    );
}

#[test]
fn english_mri_with_hedged_metastasis() {
    let text = "MRI liver.\nFindings: A 15 x 12 mm lesion in segments II/III, hypointense in the \
                hepatobiliary phase with restricted diffusion. No washout.\n\
                Impression: the above lesion is suspicious for metastasis.";
    let s = extract(text)["summary"].clone();
    assert_eq!(s["language"], "en");
    assert_eq!(s["modality"], json!(["MRI"]));
    assert_eq!(s["liver_metastasis"], "suspected");
    assert_eq!(s["lesion_count"], json!({"value": 1}));
    assert_eq!(s["largest_lesion_mm"], json!(15));
    assert_eq!(s["segments"], json!(["II", "III"]));
    assert_eq!(
        s["patterns"],
        json!(["diffusion_restriction", "hbp_hypointense"])
    );
}

#[test]
fn negatives_and_other_organs() {
    let s =
        extract("Echo bovenbuik: lever 18 cm craniocaudaal, geen focale leverlaesies. Milt 11 cm.")
            ["summary"]
            .clone();
    assert_eq!(s["liver_metastasis"], "absent");
    assert_eq!(s["lesion_count"], Value::Null);
    assert_eq!(s["largest_lesion_mm"], Value::Null);

    let s =
        extract("CT thorax: enkele longnoduli tot 4 mm. Lever zonder afwijkingen in de opnamen.")
            ["summary"]
            .clone();
    assert_eq!(s["largest_lesion_mm"], Value::Null);
    assert_eq!(s["lesion_count"], Value::Null);

    let s = extract("MRI lever: cyste in segment 2 van 8 mm en een hemangioom in segment 6.")
        ["summary"]
        .clone();
    assert_eq!(s["lesion_count"], Value::Null);
    assert_eq!(s["liver_metastasis"], "not_mentioned");
}

#[test]
fn primary_liver_tumour_is_not_a_metastasis() {
    let s = extract("MRI lever: laesie in segment VIII van 28 mm met arteriële aankleuring en wash-out. LI-RADS 5, passend bij HCC.")["summary"].clone();
    assert_eq!(s["liver_metastasis"], "not_mentioned");
    assert_eq!(s["lesion_count"], json!({"value": 1}));
    assert_eq!(s["lirads_stated"], "LR-5");
    assert_eq!(
        s["patterns"],
        json!(["arterial_hyperenhancement", "washout"])
    );
}

#[test]
fn a_report_about_another_organ_has_no_liver_findings() {
    // Brain MRI: the metastases are in the brain; the liver is never named.
    let brain = "mri hersenen met gadolinium\nvg: melanoom\ntwee aankleurende laesies, rechts \
                 frontaal 8 mm en links cerebellair 5 mm, passend bij metastasen.\nconclusie: \
                 twee hersenmetastasen.";
    let s = &extract(brain)["summary"];
    assert_eq!(s["report_type"], "radiology");
    assert_eq!(s["modality"], json!(["MRI"]));
    assert_eq!(s["liver_metastasis"], "not_mentioned");
    assert_eq!(s["lesion_count"], Value::Null);
    assert_eq!(s["largest_lesion_mm"], Value::Null);
    // The same lesions in an abdominal exam are liver findings.
    let abdomen = "ct abdomen\ntwee hypodense laesies van 8 en 14 mm, passend bij metastasen.";
    let s = &extract(abdomen)["summary"];
    assert_eq!(s["liver_metastasis"], "present");
    assert_eq!(s["lesion_count"], json!({"value": 2}));
}

#[test]
fn the_exam_line_outweighs_the_operations_of_the_history() {
    let text = "mri-abdomen\nklinische vraagstelling\nstatus na hemihepatectomie rechts ivm \
                levermetastasen, stijgend cea.\nverslag\naan het resectievlak een nieuwe laesie \
                van 17 mm met diffusierestrictie, verdacht voor recidief.";
    let s = &extract(text)["summary"];
    assert_eq!(s["report_type"], "radiology");
    assert_eq!(s["modality"], json!(["MRI"]));
    // An exam line alone gives the type and the modality.
    let s = &extract("x-bekken\ngeen fractuur.")["summary"];
    assert_eq!(s["report_type"], "radiology");
    assert_eq!(s["modality"], json!(["XR"]));
}
