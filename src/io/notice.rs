//! Notices from the readers: things a user should know about how an input was read (a
//! separator other than a comma, a field that is not there, a folder without reports).
//! The library never prints; the command line hands in a callback that writes them to
//! stderr.

use std::fmt;
use std::sync::Arc;

/// Where the readers send their notices. The default drops them.
#[derive(Clone, Default)]
pub struct Notifier(Option<Arc<dyn Fn(&str) + Send + Sync>>);

impl Notifier {
    /// Notices go to `f`.
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Notifier {
        Notifier(Some(Arc::new(f)))
    }

    /// Sends one notice.
    pub fn notify(&self, message: &str) {
        if let Some(f) = &self.0 {
            f(message);
        }
    }
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Notifier(on)"
        } else {
            "Notifier(off)"
        })
    }
}

/// How many records are looked at before a field that none of them had is noticed.
pub const FIELD_WATCH_RECORDS: u64 = 20;

/// Watches the first records of a JSON Lines source for the id and text fields, and
/// notices once when none of them had one of the two.
#[derive(Debug, Default)]
pub struct FieldWatch {
    seen: u64,
    id: bool,
    text: bool,
    done: bool,
    keys: Vec<String>,
}

impl FieldWatch {
    /// Records one object: whether it had the id and the text field, and its keys.
    pub fn saw<'a>(&mut self, has_id: bool, has_text: bool, keys: impl Iterator<Item = &'a str>) {
        if self.done {
            return;
        }
        self.seen += 1;
        self.id |= has_id;
        self.text |= has_text;
        for k in keys {
            if self.keys.len() < 12 && !self.keys.iter().any(|s| s == k) {
                self.keys.push(k.to_string());
            }
        }
    }

    /// After `FIELD_WATCH_RECORDS` records, or at the end of the source: the notices
    /// for fields none of them had (once per source).
    pub fn check(
        &mut self,
        at_end: bool,
        source: &str,
        id_field: &str,
        text_field: &str,
        notifier: &Notifier,
    ) {
        if self.done || self.seen == 0 || (!at_end && self.seen < FIELD_WATCH_RECORDS) {
            return;
        }
        self.done = true;
        let fields = if self.keys.is_empty() {
            "none".to_string()
        } else {
            self.keys.join(", ")
        };
        for (field, had, flag) in [
            (text_field, self.text, "--text-field"),
            (id_field, self.id, "--id-field"),
        ] {
            if !had {
                notifier.notify(&format!(
                    "{source}: no field `{field}` in the first {} records (fields seen: {fields}); choose one with {flag}",
                    self.seen
                ));
            }
        }
    }
}

/// The notice for a header (CSV, workbook) that lacks the id or the text column.
pub fn check_header(
    headers: &[String],
    source: &str,
    id_field: &str,
    text_field: &str,
    notifier: &Notifier,
) {
    let columns = headers.join(", ");
    for (field, flag) in [(text_field, "--text-field"), (id_field, "--id-field")] {
        if !headers.iter().any(|h| h == field) {
            notifier.notify(&format!(
                "{source}: no column `{field}` in the header ({columns}); choose one with {flag}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn collect() -> (Notifier, Arc<Mutex<Vec<String>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        (
            Notifier::new(move |m| g.lock().unwrap().push(m.to_string())),
            got,
        )
    }

    #[test]
    fn a_missing_field_is_noticed_once() {
        let (n, got) = collect();
        let mut w = FieldWatch::default();
        for _ in 0..FIELD_WATCH_RECORDS + 5 {
            w.saw(true, false, ["id", "body"].into_iter());
            w.check(false, "a.jsonl", "id", "text", &n);
        }
        w.check(true, "a.jsonl", "id", "text", &n);
        let got = got.lock().unwrap();
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`text`") && got[0].contains("body"),
            "{got:?}"
        );
    }

    #[test]
    fn fields_present_in_one_early_record_are_not_noticed() {
        let (n, got) = collect();
        let mut w = FieldWatch::default();
        w.saw(false, false, std::iter::empty());
        w.saw(true, true, ["id", "text"].into_iter());
        w.check(true, "a.jsonl", "id", "text", &n);
        assert!(got.lock().unwrap().is_empty());
        check_header(&["id".into(), "tekst".into()], "a.csv", "id", "text", &n);
        assert_eq!(got.lock().unwrap().len(), 1);
    }
}
