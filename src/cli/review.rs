//! `radpath review ARCHIVE --sample N --seed S --out DIR`: a review pack.

use std::path::Path;

use anyhow::{Context, Result};

use radpath::explain::{explain, render_html};
use radpath::io::source::{self, Input, RawReport, SourceOptions};
use radpath::review::{
    csv_columns, index_html, key_values, page_name, sample_key, IndexRow, Sampler,
};

use super::args::ReviewArgs;

fn place(r: &RawReport) -> String {
    match (r.line, r.row) {
        (Some(l), _) => format!("{}:{l}", r.source),
        (_, Some(row)) => format!("{} row {row}", r.source),
        _ => r.source.clone(),
    }
}

pub fn run(a: ReviewArgs) -> Result<i32> {
    let extractor = match super::build_extractor(a.lexicons.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    if a.sample == 0 {
        eprintln!("radpath: --sample must be at least 1");
        return Ok(2);
    }
    let opts = super::source_options(&a.read, SourceOptions::default().max_record_bytes);
    let inputs = match source::open(&a.paths, &opts) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("radpath: {e}");
            return Ok(2);
        }
    };
    let mut sampler = Sampler::new(a.sample);
    let (mut read, mut failed) = (0u64, 0u64);
    for input in inputs {
        let position = read;
        read += 1;
        match input {
            Input::Report(r) => {
                let key = sample_key(a.seed, position, &r.id);
                sampler.offer(key, position, || r);
            }
            Input::Failed(_) => failed += 1,
        }
    }
    let sample = sampler.into_sorted();

    let out = &a.out;
    std::fs::create_dir_all(out.join("reports"))
        .with_context(|| format!("cannot create {}", out.join("reports").display()))?;
    let mut rows = Vec::with_capacity(sample.len());
    let mut csv_out = csv::Writer::from_path(out.join("review.csv"))
        .with_context(|| format!("cannot write {}", out.join("review.csv").display()))?;
    csv_out.write_record(csv_columns())?;
    let lang = super::language_choice(a.lang);
    for (n, (_, report)) in sample.iter().enumerate() {
        let page = page_name(n + 1, &report.id);
        let ex = explain(&extractor, &report.text, lang);
        let title = format!("{} ({})", report.id, place(report));
        write_file(&out.join(&page), &render_html(&ex, &report.text, &title))?;
        let values = key_values(&ex.extraction.summary);
        let mut record = vec![
            report.id.clone(),
            page.clone(),
            report.source.clone(),
            place(report),
        ];
        record.extend(values.iter().cloned());
        record.extend([String::new(), String::new()]);
        csv_out.write_record(&record)?;
        rows.push(IndexRow {
            id: report.id.clone(),
            page,
            place: place(report),
            values,
        });
    }
    csv_out.flush()?;
    let note = format!(
        "{} of {} readable reports sampled with seed {} ({} inputs could not be read). \
         Open a report, check its summary against the highlighted text, and write your \
         verdict in review.csv (reviewer_ok: yes/no, reviewer_note); `radpath eval \
         review.csv` scores it.",
        sample.len(),
        read - failed,
        a.seed,
        failed
    );
    write_file(
        &out.join("index.html"),
        &index_html(&rows, "radpath review pack", &note),
    )?;
    eprintln!(
        "radpath: review pack of {} reports in {} (index.html, review.csv)",
        sample.len(),
        out.display()
    );
    Ok(0)
}

fn write_file(path: &Path, contents: &str) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}
