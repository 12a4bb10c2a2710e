//! Patterns: enhancement, density, echogenicity, signal and uptake codes.
