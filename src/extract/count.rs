//! Counts: digits, number words and quantifiers, as exact values or lower bounds.
