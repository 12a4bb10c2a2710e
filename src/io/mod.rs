//! Input and output: readers and encodings, writers, the ordered parallel batch.

pub mod batch;
pub mod csv_rows;
pub mod decode;
pub mod sink;
pub mod source;
