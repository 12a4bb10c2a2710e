//! The JSON Lines reader on arbitrary bytes: never panics, at most one input per line,
//! and every input runs through the pipeline to exactly one output line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radpath::io::sink::{encode, OutputFormat};
use radpath::io::source::{jsonl_from_reader, SourceOptions};
use radpath::pipeline::process;

fuzz_target!(|bytes: &[u8]| {
    let opts = SourceOptions { max_record_bytes: 4096, ..SourceOptions::default() };
    let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    let inputs = jsonl_from_reader(Box::new(std::io::Cursor::new(bytes.to_vec())), "fuzz.jsonl", opts);
    let mut n = 0;
    for input in inputs {
        n += 1;
        assert!(n <= lines, "more inputs ({n}) than lines ({lines})");
        let out = process(radpath_fuzz::extractor(), input, None);
        let mut buf = Vec::new();
        encode(&out, OutputFormat::Jsonl, &mut buf);
        assert_eq!(buf.iter().filter(|&&b| b == b'\n').count(), 1, "one output line per input");
        let _: serde_json::Value = serde_json::from_slice(&buf).expect("the output line is JSON");
    }
});
