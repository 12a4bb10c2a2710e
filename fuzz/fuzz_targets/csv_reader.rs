//! The CSV reader on arbitrary bytes: never panics, never loops, and every input runs
//! through the pipeline to exactly one output row.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radpath::io::sink::{encode, OutputFormat};
use radpath::io::source::{csv_from_reader, SourceOptions};
use radpath::pipeline::process;

fuzz_target!(|bytes: &[u8]| {
    let opts = SourceOptions { max_record_bytes: 4096, ..SourceOptions::default() };
    // A CSV record ends at a line end, so there are never more records than line ends + 1
    // (plus the one "no header row" error of an empty input).
    let bound = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 2;
    let inputs = csv_from_reader(Box::new(std::io::Cursor::new(bytes.to_vec())), "fuzz.csv", opts);
    let mut n = 0;
    for input in inputs {
        n += 1;
        assert!(n <= bound, "more inputs ({n}) than lines ({bound})");
        let out = process(radpath_fuzz::extractor(), input, None);
        let mut buf = Vec::new();
        encode(&out, OutputFormat::Csv, &mut buf);
        assert!(!buf.is_empty(), "one output row per input");
        encode(&out, OutputFormat::Jsonl, &mut buf);
    }
});
