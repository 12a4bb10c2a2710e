//! Measurements: sizes in mm from decimal-comma or -point values, multi-dimensional sizes, ranges and bounds.
