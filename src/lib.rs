//! radpath reads free-text radiology and pathology reports, Dutch and English, and turns
//! each into one structured record for liver cancer staging and cancer registries.
//!
//! ```
//! use radpath::{extract::Extractor, lexicon::LexiconSet};
//! let extractor = Extractor::new(LexiconSet::embedded().expect("embedded lexicons"));
//! let out = extractor.extract_text("CT abdomen: geen afwijkingen.", None);
//! assert_eq!(out.summary.language, radpath::record::Language::Nl);
//! ```
//!
//! Data flows one way: [`io`] sources yield reports, [`text`] prepares them, [`lexicon`]
//! matchers find terms, [`extract`] reads facts, [`staging`] derives scores, [`record`]
//! holds the output, and [`io`] writes it in input order.

#![warn(missing_docs)]

pub mod eval;
pub mod explain;
pub mod extract;
pub mod io;
pub mod lexicon;
pub mod pipeline;
pub mod record;
pub mod record_names;
pub mod review;
pub mod shared_str;
pub mod staging;
pub mod text;
