//! Extraction on arbitrary UTF-8 text: never panics, every evidence span is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    radpath_fuzz::extract_and_check(text);
});
