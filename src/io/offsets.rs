//! Byte offsets into a report's text turned into character (Unicode scalar) offsets, as
//! FHIR, OMOP, Python and spaCy count them.

/// Converts byte offsets of one text into character offsets.
pub struct CharOffsets {
    /// Byte offset of every character, when the text is not ASCII (ASCII maps 1:1).
    starts: Option<Vec<usize>>,
}

impl CharOffsets {
    /// Prepares the conversion for `text`.
    pub fn new(text: &str) -> CharOffsets {
        let starts = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharOffsets { starts }
    }

    /// The character offset of byte offset `byte` (a byte inside a character counts as
    /// the next character boundary; the end of the text as the number of characters).
    pub fn char_of(&self, byte: usize) -> usize {
        match &self.starts {
            None => byte,
            Some(starts) => starts.binary_search(&byte).unwrap_or_else(|i| i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_to_chars() {
        let t = "één laesie";
        let c = CharOffsets::new(t);
        assert_eq!(c.char_of(0), 0);
        assert_eq!(c.char_of(2), 1);
        assert_eq!(c.char_of(5), 3);
        assert_eq!(c.char_of(t.len()), t.chars().count());
        assert_eq!(CharOffsets::new("abc").char_of(2), 2);
    }
}
