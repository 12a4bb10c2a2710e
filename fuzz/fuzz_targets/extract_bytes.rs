//! Extraction on arbitrary bytes, decoded the way `radpath extract` decodes a text file
//! (`--encoding auto`, then strict UTF-8 and Windows-1252).
#![no_main]

use libfuzzer_sys::fuzz_target;
use radpath::io::decode::{decode, EncodingChoice};

fuzz_target!(|bytes: &[u8]| {
    for choice in [EncodingChoice::Auto, EncodingChoice::Utf8, EncodingChoice::Windows1252] {
        if let Ok((text, _encoding)) = decode(bytes, choice) {
            radpath_fuzz::extract_and_check(&text);
        }
    }
});
