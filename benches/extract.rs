//! Per-stage benchmarks: start-up, folding and segmentation, lexicon matching, each
//! extractor, the whole extraction of one report and one finished output line.
//!
//! Reports: `benches/data/*.txt` (short and long, Dutch and English, radiology and
//! pathology) plus an extra-long one made of a long report repeated, which shows any cost
//! that grows faster than the text; and the `linear` group, phrases repeated 50, 500 and
//! 5,000 times in one report. Run with `cargo bench --bench extract`; a single group
//! with e.g. `cargo bench --bench extract -- lexicon/`.

use std::time::Duration;

use criterion::{
    black_box, criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput,
};

use radpath::extract::{self, Ctx, Extraction, Extractor};
use radpath::io::sink::{encode, OutputFormat};
use radpath::io::source::{Input, RawReport};
use radpath::lexicon::LexiconSet;
use radpath::pipeline::process;
use radpath::record::Language;
use radpath::text::{sections, sentences, tokens, Folded};

/// A named report text with its language.
struct Case {
    name: &'static str,
    lang: Language,
    text: String,
}

fn cases() -> Vec<Case> {
    let nl_long = include_str!("data/nl-rad-long.txt");
    let en_long = include_str!("data/en-rad-long.txt");
    vec![
        Case {
            name: "nl-rad-short",
            lang: Language::Nl,
            text: include_str!("data/nl-rad-short.txt").into(),
        },
        Case {
            name: "en-rad-short",
            lang: Language::En,
            text: include_str!("data/en-rad-short.txt").into(),
        },
        Case {
            name: "nl-rad-long",
            lang: Language::Nl,
            text: nl_long.into(),
        },
        Case {
            name: "en-rad-long",
            lang: Language::En,
            text: en_long.into(),
        },
        Case {
            name: "nl-path-long",
            lang: Language::Nl,
            text: include_str!("data/nl-path-long.txt").into(),
        },
        Case {
            name: "en-path-long",
            lang: Language::En,
            text: include_str!("data/en-path-long.txt").into(),
        },
        Case {
            name: "nl-rad-xl",
            lang: Language::Nl,
            text: nl_long.repeat(6),
        },
        Case {
            name: "en-rad-xl",
            lang: Language::En,
            text: en_long.repeat(6),
        },
    ]
}

fn extractor() -> Extractor {
    Extractor::new(LexiconSet::embedded().expect("embedded lexicons load"))
}

/// Short runs: the machine is shared, and the figures are compared between runs, not read
/// to the nanosecond.
fn configure() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

/// Process start-up work: parsing the embedded lexicons and compiling both matchers.
fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("lexicons+matchers", |b| b.iter(|| black_box(extractor())));
    g.finish();
}

/// Folding, sections, sentences, tokens, and the whole `Document`.
fn text(c: &mut Criterion) {
    let ex = extractor();
    let config = ex.lexicons().text_config();
    let mut g = c.benchmark_group("text");
    for case in cases() {
        let t = case.text.as_str();
        g.throughput(Throughput::Bytes(t.len() as u64));
        g.bench_with_input(BenchmarkId::new("fold", case.name), t, |b, t| {
            b.iter(|| black_box(Folded::new(t)))
        });
        g.bench_with_input(BenchmarkId::new("sections", case.name), t, |b, t| {
            b.iter(|| black_box(sections::find_sections(t, &config.headers, &config.joiners)))
        });
        let secs = sections::find_sections(t, &config.headers, &config.joiners);
        g.bench_with_input(BenchmarkId::new("sentences", case.name), t, |b, t| {
            b.iter(|| {
                black_box(sentences::split_sentences(
                    t,
                    &secs,
                    &config.abbreviations,
                    &config.joiners,
                ))
            })
        });
        let folded = Folded::new(t);
        g.bench_with_input(
            BenchmarkId::new("tokens", case.name),
            &folded.text,
            |b, f| b.iter(|| black_box(tokens::tokenize(f))),
        );
        g.bench_with_input(BenchmarkId::new("document", case.name), t, |b, t| {
            b.iter(|| black_box(ex.document(t)))
        });
        let doc = ex.document(t);
        g.bench_with_input(BenchmarkId::new("language", case.name), &doc, |b, d| {
            b.iter(|| black_box(ex.detect_language(d)))
        });
    }
    g.finish();
}

/// One leftmost-longest automaton pass with word-boundary checks over the folded text.
fn lexicon(c: &mut Criterion) {
    let ex = extractor();
    let mut g = c.benchmark_group("lexicon");
    for case in cases() {
        let doc = ex.document(&case.text);
        let matcher = ex.lexicons().matcher(case.lang.into());
        g.throughput(Throughput::Bytes(case.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("find_all", case.name),
            &doc.folded.text,
            |b, f| b.iter(|| black_box(matcher.find_all(f))),
        );
    }
    g.finish();
}

/// An extractor step: reads the context, adds to the extraction.
type Step = fn(&Ctx, &mut Extraction);

/// The extractor steps over the shared matches, in the order [`Extractor::extract_text`]
/// runs them (ihc, pathology and labs read their own lexicon set, which is private to the
/// extractor: their cost shows in `whole/extract_text`).
const STEPS: &[(&str, Step)] = &[
    ("report", extract::report::extract),
    ("lesion", extract::lesion::extract),
    ("clinical", extract::clinical::extract),
    ("summary", extract::summary::finish),
];

/// Each extractor on its own, starting from what the steps before it produced (the
/// clone of that state is made outside the timed part).
fn extractors(c: &mut Criterion) {
    let ex = extractor();
    let mut g = c.benchmark_group("extractor");
    for case in cases() {
        let doc = ex.document(&case.text);
        let matches = ex
            .lexicons()
            .matcher(case.lang.into())
            .find_all(&doc.folded.text);
        let mut ctx = Ctx::new(&doc, ex.lexicons(), &matches, case.lang);
        let triggers = extract::assertion::DocTriggers::find(&ctx);
        ctx.triggers = Some(&triggers);
        let mut before = Extraction::default();
        before.summary.language = case.lang;
        g.throughput(Throughput::Bytes(case.text.len() as u64));
        for (name, step) in STEPS {
            g.bench_function(BenchmarkId::new(*name, case.name), |b| {
                b.iter_batched_ref(
                    || before.clone(),
                    |out| step(&ctx, out),
                    BatchSize::SmallInput,
                )
            });
            step(&ctx, &mut before);
        }
    }
    g.finish();
}

/// The whole extraction of one report (language detected), and one finished JSONL line:
/// extraction, provenance (SHA-256) and serialisation.
fn whole(c: &mut Criterion) {
    let ex = extractor();
    let mut g = c.benchmark_group("whole");
    for case in cases() {
        g.throughput(Throughput::Bytes(case.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("extract_text", case.name),
            &case.text,
            |b, t| b.iter(|| black_box(ex.extract_text(t, None))),
        );
        let raw = RawReport {
            id: "bench".into(),
            text: case.text.clone(),
            meta: Default::default(),
            source: "bench.jsonl".into(),
            line: Some(1),
            row: None,
            sheet: None,
            encoding: "utf-8",
        };
        let mut buf = Vec::with_capacity(8192);
        g.bench_function(BenchmarkId::new("jsonl_line", case.name), |b| {
            b.iter_batched(
                || Input::Report(raw.clone()),
                |input| {
                    buf.clear();
                    let out = process(&ex, input, None);
                    encode(&out, OutputFormat::Jsonl, None, &mut buf);
                    black_box(buf.len())
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

/// The shapes that were once quadratic in one report, at 1x, 10x and 100x a base number
/// of repetitions: the time per byte stays flat when extraction is linear. The steps of
/// work (`extract::work`) are printed beside, once per size.
fn linear(c: &mut Criterion) {
    let ex = extractor();
    let shapes: &[(&str, &str, &str)] = &[
        ("segment-chain", "CT lever: ", "segment 7 en 8 en "),
        ("s-notation", "", "S7\n"),
        ("geen", "", "geen "),
        ("ihc-panel", "", "HepPar-1 positief, CK7 negatief, "),
        ("lesion-words", "", "metastase "),
        ("sized-lesions", "", "laesie van 2 x 3 cm. "),
        ("placed-lesions", "", "Metastase in segment 4. "),
    ];
    let mut g = c.benchmark_group("linear");
    g.sample_size(10);
    for (name, prefix, unit) in shapes {
        for n in [50, 500, 5000] {
            let text = format!("{prefix}{}", unit.repeat(n));
            let (_, steps) = extract::work::measure(|| ex.extract_text(&text, None));
            eprintln!(
                "linear/{name}/{n}: {} bytes, {steps} steps ({:.1} per byte)",
                text.len(),
                steps as f64 / text.len() as f64
            );
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(*name, n), &text, |b, t| {
                b.iter(|| black_box(ex.extract_text(t, None)))
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = configure();
    targets = startup, text, lexicon, extractors, whole, linear
}
criterion_main!(benches);
