//! Input and output: readers and encodings, writers, the ordered parallel batch.

pub mod batch;
pub mod csv_dialect;
pub mod csv_rows;
pub mod decode;
pub mod fhir;
pub mod live;
pub mod note_nlp;
pub mod notice;
pub mod offsets;
pub mod registry_csv;
pub mod sink;
pub mod sniff;
pub mod source;
pub mod text_records;
pub mod xlsx;
