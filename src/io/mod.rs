//! Input and output: readers and encodings, writers, the ordered parallel batch.

pub mod batch;
pub mod csv_rows;
pub mod decode;
pub mod live;
pub mod notice;
pub mod sink;
pub mod sniff;
pub mod source;
pub mod text_records;
pub mod xlsx;
