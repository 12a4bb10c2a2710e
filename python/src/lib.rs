//! `radpath._radpath`: the native part of the Python package, a thin layer over the radpath
//! library. Records cross into Python as JSON lines (the same bytes as the command line
//! writes), which the pure-Python part of the package turns into dicts.
//!
//! Extraction runs without the GIL, on a rayon pool of `jobs` threads; inputs are read from
//! Python objects (and outputs handed back) while holding it.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::{Map, Value};

use radpath::extract::assertion::protocol;
use radpath::io::decode::{decode, EncodingChoice};
use radpath::io::source::{Input, RawReport};
use radpath::lexicon::LexiconSet;
use radpath::pipeline::process;
use radpath::record::{ErrorInfo, ErrorKind, ErrorRecord, ErrorSource, Language, Output};

/// `provenance.source` of every record made from Python objects.
const SOURCE: &str = "python";
/// Reports larger than this many bytes become `too_large` error records, as on the
/// command line by default.
const MAX_RECORD_BYTES: usize = 10 * 1024 * 1024;
/// Deepest nesting of a `meta` value read from Python; deeper values are written as text.
const MAX_DEPTH: usize = 64;

/// A language argument: `None`, `"auto"` or `""` detect; `"nl"`, `"en"` (and their long
/// names) force.
fn parse_lang(lang: Option<&str>) -> Result<Option<Language>, String> {
    match lang.map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(s) => match s.as_str() {
            "" | "auto" => Ok(None),
            "nl" | "nld" | "dutch" => Ok(Some(Language::Nl)),
            "en" | "eng" | "english" => Ok(Some(Language::En)),
            other => Err(format!("lang `{other}` is not nl, en or auto")),
        },
    }
}

/// A Python value as JSON: `None`, bools, ints, floats, strings, lists, tuples and dicts
/// map to their JSON kind (dict keys as text); anything else is written as `str(value)`.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> Value {
    if obj.is_none() {
        return Value::Null;
    }
    if depth < MAX_DEPTH {
        if let Ok(b) = obj.downcast::<PyBool>() {
            return Value::Bool(b.is_true());
        }
        if obj.is_instance_of::<PyInt>() {
            if let Ok(i) = obj.extract::<i64>() {
                return Value::from(i);
            }
            if let Ok(u) = obj.extract::<u64>() {
                return Value::from(u);
            }
        }
        if let Ok(f) = obj.downcast::<PyFloat>() {
            return serde_json::Number::from_f64(f.value())
                .map(Value::Number)
                .unwrap_or(Value::Null);
        }
        if let Ok(s) = obj.downcast::<PyString>() {
            return Value::String(s.to_string_lossy().into_owned());
        }
        if let Ok(d) = obj.downcast::<PyDict>() {
            let mut map = Map::new();
            for (k, v) in d.iter() {
                map.insert(key_text(&k), to_json(&v, depth + 1));
            }
            return Value::Object(map);
        }
        if let Ok(l) = obj.downcast::<PyList>() {
            return Value::Array(l.iter().map(|v| to_json(&v, depth + 1)).collect());
        }
        if let Ok(t) = obj.downcast::<PyTuple>() {
            return Value::Array(t.iter().map(|v| to_json(&v, depth + 1)).collect());
        }
    }
    Value::String(display(obj))
}

/// `str(obj)`, or a placeholder when even that fails.
fn display(obj: &Bound<'_, PyAny>) -> String {
    obj.str()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "<unprintable>".to_string())
}

fn key_text(k: &Bound<'_, PyAny>) -> String {
    match k.downcast::<PyString>() {
        Ok(s) => s.to_string_lossy().into_owned(),
        Err(_) => display(k),
    }
}

/// An id read from a dict, the way a JSON Lines id is read: text as is, a number or other
/// value as its JSON text, `None` or missing as the item's position.
fn id_text(v: Option<Bound<'_, PyAny>>, index: usize) -> String {
    match v {
        None => index.to_string(),
        Some(v) if v.is_none() => index.to_string(),
        Some(v) => match to_json(&v, 0) {
            Value::String(s) => s,
            other => other.to_string(),
        },
    }
}

/// One input item and the language it asks for.
struct Item {
    input: Input,
    lang: Option<Language>,
}

/// The error record of item `index`.
fn failed(index: usize, id: Option<String>, kind: ErrorKind, message: impl Into<String>) -> Input {
    Input::Failed(ErrorRecord {
        id,
        error: ErrorInfo {
            kind,
            message: message.into(),
        },
        provenance: ErrorSource {
            source: SOURCE.to_string(),
            line: Some(index as u64 + 1),
            row: None,
            sheet: None,
        },
    })
}

/// The report of item `index`, or its error record (empty or too large).
fn report(
    index: usize,
    id: String,
    text: String,
    encoding: &'static str,
    meta: Map<String, Value>,
) -> Input {
    if text.len() > MAX_RECORD_BYTES {
        return failed(
            index,
            Some(id),
            ErrorKind::TooLarge,
            format!("report larger than {MAX_RECORD_BYTES} bytes"),
        );
    }
    if text.trim().is_empty() {
        return failed(
            index,
            Some(id),
            ErrorKind::EmptyText,
            "the report text is empty",
        );
    }
    Input::Report(RawReport {
        id,
        text,
        meta,
        source: SOURCE.to_string(),
        line: Some(index as u64 + 1),
        row: None,
        sheet: None,
        encoding,
    })
}

/// A text given as `str` (`bytes` are decoded as the command line does with
/// `--encoding auto`: UTF-8, else Windows-1252).
fn text_of(obj: &Bound<'_, PyAny>) -> Option<Result<(String, &'static str), String>> {
    if let Ok(s) = obj.downcast::<PyString>() {
        return Some(match s.to_str() {
            Ok(t) => Ok((t.to_owned(), "utf-8")),
            Err(_) => {
                Err("the text holds characters that are not valid Unicode (lone surrogates)".into())
            }
        });
    }
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Some(
            decode(b.as_bytes(), EncodingChoice::Auto)
                .map(|(t, enc)| (t.into_owned(), enc))
                .map_err(|e| e.0),
        );
    }
    None
}

/// Reads one item: a text (`str` or `bytes`), or a dict like a JSON Lines object
/// (`id`, `text`, optional `lang`; every other key goes to `meta`).
fn read_item(obj: &Bound<'_, PyAny>, index: usize, lang: Option<Language>) -> PyResult<Item> {
    if let Some(text) = text_of(obj) {
        let input = match text {
            Ok((text, enc)) => report(index, index.to_string(), text, enc, Map::new()),
            Err(msg) => failed(index, Some(index.to_string()), ErrorKind::Decode, msg),
        };
        return Ok(Item { input, lang });
    }
    let Ok(dict) = obj.downcast::<PyDict>() else {
        let input = failed(
            index,
            Some(index.to_string()),
            ErrorKind::NotObject,
            format!(
                "an input is a str, bytes or a dict with \"text\", not {}",
                obj.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ),
        );
        return Ok(Item { input, lang });
    };
    let id = id_text(dict.get_item("id")?, index);
    let mut item_lang = lang;
    let mut meta = Map::new();
    for (k, v) in dict.iter() {
        let key = key_text(&k);
        match key.as_str() {
            "id" | "text" => {}
            "lang" => match v.downcast::<PyString>() {
                Ok(s) => match parse_lang(Some(&s.to_string_lossy())) {
                    Ok(l) => item_lang = l.or(lang),
                    // Not a language radpath reads: detected, and the value kept in `meta`.
                    Err(_) => {
                        meta.insert(key, to_json(&v, 0));
                    }
                },
                Err(_) => {
                    if !v.is_none() {
                        meta.insert(key, to_json(&v, 0));
                    }
                }
            },
            _ => {
                meta.insert(key, to_json(&v, 0));
            }
        }
    }
    let input = match dict.get_item("text")? {
        None => failed(index, Some(id), ErrorKind::MissingText, "no field `text`"),
        Some(t) => match text_of(&t) {
            Some(Ok((text, enc))) => report(index, id, text, enc, meta),
            Some(Err(msg)) => failed(index, Some(id), ErrorKind::Decode, msg),
            None => failed(
                index,
                Some(id),
                ErrorKind::MissingText,
                "field `text` is not a string",
            ),
        },
    };
    Ok(Item {
        input,
        lang: item_lang,
    })
}

/// One item through the pipeline, as its JSON line (without the newline).
fn run_one(extractor: &radpath::extract::Extractor, item: Item) -> String {
    let out: Output = process(extractor, item.input, item.lang);
    serde_json::to_string(&out).unwrap_or_else(|_| {
        "{\"id\":null,\"error\":{\"kind\":\"internal\",\"message\":\"cannot serialise record\"}}"
            .to_string()
    })
}

/// The radpath extractor: the compiled lexicons, shared read-only by every thread.
///
/// `Extractor()` uses the lexicons embedded in the package; `Extractor(lexicons=DIR)`
/// adds or replaces lexicon files from `DIR`, as `--lexicons DIR` does.
#[pyclass(frozen, module = "radpath._radpath")]
struct Extractor {
    inner: Arc<radpath::extract::Extractor>,
}

#[pymethods]
impl Extractor {
    #[new]
    #[pyo3(signature = (lexicons=None))]
    fn new(py: Python<'_>, lexicons: Option<PathBuf>) -> PyResult<Self> {
        let set = py
            .allow_threads(|| match &lexicons {
                Some(dir) => LexiconSet::with_overrides(dir),
                None => LexiconSet::embedded(),
            })
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let inner = py.allow_threads(|| Arc::new(radpath::extract::Extractor::new(set)));
        Ok(Extractor { inner })
    }

    /// The version hash of the lexicons in use (as in `provenance.lexicons`).
    #[getter]
    fn lexicons_version(&self) -> String {
        self.inner.lexicons().version().to_string()
    }

    /// Extracts one report (a `str`, `bytes` or a dict like a JSON Lines object) and
    /// returns its record as a JSON line.
    #[pyo3(signature = (item, lang=None))]
    fn extract_json(
        &self,
        py: Python<'_>,
        item: &Bound<'_, PyAny>,
        lang: Option<&str>,
    ) -> PyResult<String> {
        let lang = parse_lang(lang).map_err(PyValueError::new_err)?;
        let item = read_item(item, 0, lang)?;
        let ex = Arc::clone(&self.inner);
        Ok(py.allow_threads(move || run_one(&ex, item)))
    }

    /// Extracts many reports on `jobs` threads (default: every core) without the GIL and
    /// returns their records as JSON lines, in input order; a bad item gives an error record.
    #[pyo3(signature = (items, lang=None, jobs=None))]
    fn extract_many_json(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        lang: Option<&str>,
        jobs: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let lang = parse_lang(lang).map_err(PyValueError::new_err)?;
        let jobs = match jobs {
            Some(0) => return Err(PyValueError::new_err("jobs must be at least 1")),
            Some(n) => n,
            None => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        };
        let mut batch = Vec::new();
        for (index, obj) in items.try_iter()?.enumerate() {
            batch.push(read_item(&obj?, index, lang)?);
        }
        let ex = Arc::clone(&self.inner);
        py.allow_threads(move || {
            if jobs == 1 || batch.len() < 2 {
                return Ok(batch.into_iter().map(|i| run_one(&ex, i)).collect());
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .map_err(|e| {
                    PyRuntimeError::new_err(format!("cannot start {jobs} threads: {e}"))
                })?;
            Ok(pool.install(|| {
                batch
                    .into_par_iter()
                    .with_max_len(16)
                    .map(|i| run_one(&ex, i))
                    .collect()
            }))
        })
    }

    /// Every lexicon entry matched in one text (what `radpath explain` marks), as a JSON
    /// list of `{"start", "end", "kind", "label", "rule"}` with UTF-8 byte offsets; `kind`
    /// is the lexicon kind (`ihc_marker`, `lesion`, ...), `label` its attributes as
    /// `key=value` pairs. `kinds` keeps only those kinds.
    #[pyo3(signature = (text, lang=None, kinds=None))]
    fn lexicon_matches_json(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        lang: Option<&str>,
        kinds: Option<Vec<String>>,
    ) -> PyResult<String> {
        let text = match text_of(text) {
            Some(Ok((t, _))) => t,
            Some(Err(msg)) => return Err(PyValueError::new_err(msg)),
            None => return Err(PyValueError::new_err("text must be a str")),
        };
        let lang = parse_lang(lang).map_err(PyValueError::new_err)?;
        let ex = Arc::clone(&self.inner);
        py.allow_threads(move || {
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                radpath::explain::explain(&ex, &text, lang)
            }));
            let explanation = caught
                .map_err(|_| PyRuntimeError::new_err("internal error while reading the text"))?;
            let mut out = Vec::new();
            for m in explanation.marks {
                if m.kind != radpath::explain::MarkKind::Lexicon {
                    continue;
                }
                let (kind, label) = match m.label.split_once(": ") {
                    Some((k, a)) => (k.to_string(), a.to_string()),
                    None => (m.label.clone(), String::new()),
                };
                if let Some(keep) = &kinds {
                    if !keep.contains(&kind) {
                        continue;
                    }
                }
                let mut o = Map::new();
                o.insert("start".into(), Value::from(m.start));
                o.insert("end".into(), Value::from(m.end));
                o.insert("kind".into(), Value::String(kind));
                o.insert("label".into(), Value::String(label));
                o.insert("rule".into(), Value::String(m.rule));
                out.push(Value::Object(o));
            }
            Ok(Value::Array(out).to_string())
        })
    }

    /// The qualifiers of given spans of one text, as the JSON answer line of
    /// `radpath qualify` (`{"id": null, "spans": [...]}` or a line error).
    #[pyo3(signature = (text, spans, lang=None, offsets="char"))]
    fn qualify_json(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        spans: &Bound<'_, PyAny>,
        lang: Option<&str>,
        offsets: &str,
    ) -> PyResult<(String, bool)> {
        let text = match text_of(text) {
            Some(Ok((t, _))) => t,
            Some(Err(msg)) => return Err(PyValueError::new_err(msg)),
            None => return Err(PyValueError::new_err("text must be a str")),
        };
        let mut spans_json = Vec::new();
        for s in spans.try_iter()? {
            spans_json.push(to_json(&s?, 0));
        }
        let lang = parse_lang(lang).map_err(PyValueError::new_err)?;
        let mut req = Map::new();
        req.insert("id".into(), Value::Null);
        req.insert("text".into(), Value::String(text));
        req.insert("spans".into(), Value::Array(spans_json));
        req.insert("offsets".into(), Value::String(offsets.to_string()));
        let line = Value::Object(req).to_string();
        let ex = Arc::clone(&self.inner);
        let answer = py.allow_threads(move || protocol::answer(&ex, &line, 1, lang));
        Ok((answer.json, answer.line_error))
    }
}

/// The JSON Schema of one output line (a record or an error record), as `radpath schema`.
#[pyfunction]
fn schema_json() -> PyResult<String> {
    let schema = schemars::schema_for!(Output);
    serde_json::to_string(&schema).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// The native part of the radpath package.
#[pymodule]
fn _radpath(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Extractor>()?;
    m.add_function(wrap_pyfunction!(schema_json, m)?)?;
    m.add("__version__", radpath::pipeline::VERSION)?;
    Ok(())
}
