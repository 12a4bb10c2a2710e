//! Writers of output lines: JSON Lines, registry CSV (one row per report or per lesion),
//! FHIR R4 bundles and OMOP NOTE_NLP rows.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::csv_dialect::CsvDialect;
use super::{fhir, note_nlp, registry_csv};
use crate::record::Output;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// One CSV row per report: the summary flattened, a column per marker, lab, staging
    /// score and meta field, the same columns on every row.
    Csv(CsvDialect),
    /// One CSV row per lesion.
    LesionsCsv(CsvDialect),
    /// One FHIR R4 Bundle per report, as JSON Lines.
    Fhir,
    /// OMOP CDM v5.4 NOTE_NLP rows, one per fact.
    NoteNlp(CsvDialect),
}

impl OutputFormat {
    /// Whether encoding needs the report's text (for character offsets and snippets).
    pub fn needs_text(self) -> bool {
        matches!(self, OutputFormat::Fhir | OutputFormat::NoteNlp(_))
    }
}

/// Serialises one output as the bytes of its line(s), appended to `buf`. `text` is the
/// report's text, needed by the formats that write character offsets or snippets.
pub fn encode(out: &Output, format: OutputFormat, text: Option<&str>, buf: &mut Vec<u8>) {
    match format {
        OutputFormat::Jsonl => {
            let start = buf.len();
            // Serialising our own types into memory cannot fail.
            if serde_json::to_writer(&mut *buf, out).is_err() {
                buf.truncate(start);
                buf.extend_from_slice(b"{\"id\":null,\"error\":{\"kind\":\"internal\",\"message\":\"cannot serialise record\"}}");
            }
            buf.push(b'\n');
        }
        OutputFormat::Csv(_) => registry_csv::spool_line(out, buf),
        OutputFormat::LesionsCsv(d) => registry_csv::lesion_rows(out, d, buf),
        OutputFormat::Fhir => {
            let _ = serde_json::to_writer(&mut *buf, &fhir::bundle(out, text));
            buf.push(b'\n');
        }
        OutputFormat::NoteNlp(d) => note_nlp::rows(out, text, d, buf),
    }
}

/// Writes already-encoded lines to a writer: headers first, NOTE_NLP rows numbered, and the
/// report CSV spooled to a temporary file until its columns are known at the end of the run.
pub struct LineSink<W: Write> {
    writer: W,
    format: OutputFormat,
    spool: Option<io::BufWriter<std::fs::File>>,
    next_row: u64,
    row_start: bool,
}

impl<W: Write> LineSink<W> {
    /// Wraps a writer; CSV headers are written first (the report CSV's at the end).
    pub fn new(mut writer: W, format: OutputFormat) -> io::Result<LineSink<W>> {
        let mut header = Vec::new();
        let mut spool = None;
        match format {
            OutputFormat::Jsonl | OutputFormat::Fhir => {}
            OutputFormat::Csv(_) => spool = Some(io::BufWriter::new(tempfile::tempfile()?)),
            OutputFormat::LesionsCsv(d) => registry_csv::lesion_header(d, &mut header),
            OutputFormat::NoteNlp(d) => note_nlp::header(d, &mut header),
        }
        writer.write_all(&header)?;
        Ok(LineSink {
            writer,
            format,
            spool,
            next_row: 1,
            row_start: true,
        })
    }

    /// Writes encoded lines.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(spool) = &mut self.spool {
            return spool.write_all(bytes);
        }
        if let OutputFormat::NoteNlp(_) = self.format {
            // Every NOTE_NLP row is one line that starts with the separator: number it.
            for piece in bytes.split_inclusive(|b| *b == b'\n') {
                if self.row_start {
                    self.writer
                        .write_all(self.next_row.to_string().as_bytes())?;
                    self.next_row += 1;
                }
                self.writer.write_all(piece)?;
                self.row_start = piece.ends_with(b"\n");
            }
            return Ok(());
        }
        self.writer.write_all(bytes)
    }

    /// Flushes what was written so far (a pipe gets its answers at once; the report CSV
    /// is spooled until the end of the run).
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// Writes what was spooled, flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let (Some(spool), OutputFormat::Csv(dialect)) = (self.spool.take(), self.format) {
            let mut file = spool.into_inner().map_err(|e| e.into_error())?;
            registry_csv::write_from_spool(&mut file, dialect, &mut self.writer)?;
        }
        self.writer.flush()?;
        Ok(self.writer)
    }
}

/// Where `--output` writes, decided before any input is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Standard output (`--output -`).
    Stdout,
    /// A FIFO or a character device (`/dev/null`, a terminal): written through in place,
    /// never replaced.
    Through(PathBuf),
    /// A regular file, new or replaced at the end by an atomic rename; the path has its
    /// symbolic links resolved, so a link is written through, not replaced.
    Replace(PathBuf),
}

/// An `--output` that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path exists but is no place to write the output to.
    #[error("--output {path}: {reason}")]
    Refused {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
    },
    /// An I/O error on the path.
    #[error("--output {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
}

impl OutputError {
    fn refused(path: &Path, reason: impl Into<String>) -> OutputError {
        OutputError::Refused {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }

    fn io(path: &Path, source: io::Error) -> OutputError {
        OutputError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Decides where `--output PATH` writes: `-` is stdout; a FIFO or character device is
/// written through; a regular file (or a symbolic link to one) is replaced atomically; a
/// path that does not exist becomes a new file. A directory, a block device, a socket and
/// a symbolic link to nothing are refused, and so is an output that is one of `inputs`
/// (the same file, or a `*.txt` file inside an input directory) unless `force`.
pub fn output_target(
    path: &Path,
    inputs: &[&Path],
    force: bool,
) -> Result<OutputTarget, OutputError> {
    if path.as_os_str() == "-" {
        return Ok(OutputTarget::Stdout);
    }
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(OutputTarget::Replace(path.to_path_buf()))
        }
        Err(e) => return Err(OutputError::io(path, e)),
    };
    let md = if link.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(OutputError::refused(
                    path,
                    "a symbolic link to a file that does not exist",
                ))
            }
            Err(e) => return Err(OutputError::io(path, e)),
        }
    } else {
        link
    };
    if md.is_dir() {
        return Err(OutputError::refused(path, "is a directory"));
    }
    let resolved = std::fs::canonicalize(path).map_err(|e| OutputError::io(path, e))?;
    if !force {
        if let Some(input) = inputs.iter().find(|i| is_input(&resolved, &md, i)) {
            return Err(OutputError::refused(
                path,
                format!(
                    "is also an input ({}); writing it would replace what is being read (use --force to overwrite it)",
                    input.display()
                ),
            ));
        }
    }
    if md.is_file() {
        return Ok(OutputTarget::Replace(resolved));
    }
    if writable_in_place(&md) {
        return Ok(OutputTarget::Through(resolved));
    }
    Err(OutputError::refused(
        path,
        "not a regular file, FIFO or character device (radpath writes only to those)",
    ))
}

#[cfg(unix)]
fn writable_in_place(md: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    md.file_type().is_fifo() || md.file_type().is_char_device()
}

#[cfg(not(unix))]
fn writable_in_place(_md: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// True when the output (resolved path `out`, metadata `md`) is read as input `input`.
fn is_input(out: &Path, md: &std::fs::Metadata, input: &Path) -> bool {
    if input.as_os_str() == "-" {
        return false;
    }
    let Ok(im) = std::fs::metadata(input) else {
        return false;
    };
    if im.is_dir() {
        // A directory input reads every *.txt file below it.
        let txt = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        return txt && std::fs::canonicalize(input).is_ok_and(|dir| out.starts_with(dir));
    }
    same_file(&im, md) || std::fs::canonicalize(input).is_ok_and(|p| p == out)
}

/// The open output of a run: written to, then [`OutputFile::commit`]ed.
#[derive(Debug)]
pub struct OutputFile {
    inner: OutputInner,
}

#[derive(Debug)]
enum OutputInner {
    Stdout(io::StdoutLock<'static>),
    Through(std::fs::File, PathBuf),
    Replace {
        tmp: tempfile::NamedTempFile,
        dest: PathBuf,
    },
}

impl OutputTarget {
    /// Opens the target. A regular file is written to `.radpath-*.partial` beside it: a new
    /// file gets the mode 0666 less the umask, a replaced file keeps its mode (and its
    /// owner and group when the user may set them).
    pub fn create(&self) -> Result<OutputFile, OutputError> {
        let inner = match self {
            OutputTarget::Stdout => OutputInner::Stdout(io::stdout().lock()),
            OutputTarget::Through(p) => OutputInner::Through(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(|e| OutputError::io(p, e))?,
                p.clone(),
            ),
            OutputTarget::Replace(dest) => {
                let dir = dest
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let mut builder = tempfile::Builder::new();
                builder.prefix(".radpath-").suffix(".partial");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    // The mode of a new file; open(2) takes the umask off.
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let tmp = builder.tempfile_in(dir).map_err(|e| OutputError::Io {
                    path: dest.display().to_string(),
                    source: io::Error::new(
                        e.kind(),
                        format!("cannot create a temporary file in {}: {e}", dir.display()),
                    ),
                })?;
                if let Ok(old) = std::fs::metadata(dest) {
                    keep_owner(tmp.as_file(), &old);
                    tmp.as_file()
                        .set_permissions(old.permissions())
                        .map_err(|e| OutputError::io(dest, e))?;
                }
                OutputInner::Replace {
                    tmp,
                    dest: dest.clone(),
                }
            }
        };
        Ok(OutputFile { inner })
    }
}

/// Gives the new file the owner and group of the file it replaces, as far as allowed.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(new) = file.metadata() else { return };
    if new.uid() == old.uid() && new.gid() == old.gid() {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
        // Not root: the group may still be one of the user's own.
        let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _old: &std::fs::Metadata) {}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write(buf),
            OutputInner::Through(w, _) => w.write(buf),
            OutputInner::Replace { tmp, .. } => tmp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write_all(buf),
            OutputInner::Through(w, _) => w.write_all(buf),
            OutputInner::Replace { tmp, .. } => tmp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.flush(),
            OutputInner::Through(w, _) => w.flush(),
            OutputInner::Replace { tmp, .. } => tmp.flush(),
        }
    }
}

impl OutputFile {
    /// Finishes the output: flushes it, and renames a temporary file over its destination.
    /// Dropped without commit, a temporary file is removed and the destination untouched.
    pub fn commit(mut self) -> Result<(), OutputError> {
        match self.inner {
            OutputInner::Stdout(ref mut w) => {
                w.flush().map_err(|e| OutputError::io(Path::new("-"), e))
            }
            OutputInner::Through(ref mut f, ref p) => f.flush().map_err(|e| OutputError::io(p, e)),
            OutputInner::Replace { mut tmp, dest } => {
                tmp.flush().map_err(|e| OutputError::io(&dest, e))?;
                tmp.as_file().sync_all().ok();
                tmp.persist(&dest)
                    .map(|_| ())
                    .map_err(|e| OutputError::io(&dest, e.error))
            }
        }
    }
}
