//! A small harness for running the built `radpath` binary in tests: temporary folders,
//! stdin, captured output and parsed JSON lines.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The path of the built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_radpath"))
}

/// A finished run.
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Every stdout line parsed as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"))
            })
            .collect()
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs radpath with `args` in `dir`, feeding `stdin` (empty when `None`).
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn radpath");
    let mut pipe = child.stdin.take().expect("stdin");
    let data = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for radpath");
    let _ = writer.join();
    finish(out)
}

/// Runs radpath with `args` in the current folder.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    run_in(Path::new("."), args, stdin)
}

/// A fresh temporary folder, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Writes `contents` to `dir/name`, creating parent folders.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&p, contents).expect("write file");
    p
}

/// Asserts that every evidence span in a record equals the slice of `text` it names.
pub fn assert_spans_match(record: &serde_json::Value, text: &str) {
    fn walk(v: &serde_json::Value, text: &str) {
        match v {
            serde_json::Value::Object(m) => {
                if let (Some(s), Some(e), Some(t)) = (m.get("start"), m.get("end"), m.get("text")) {
                    if let (Some(s), Some(e), Some(t)) = (s.as_u64(), e.as_u64(), t.as_str()) {
                        let (s, e) = (s as usize, e as usize);
                        assert!(
                            text.is_char_boundary(s) && text.is_char_boundary(e),
                            "span {s}..{e} not on char boundaries"
                        );
                        assert_eq!(&text[s..e], t, "span {s}..{e} does not match the text");
                    }
                }
                m.values().for_each(|x| walk(x, text));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, text)),
            _ => {}
        }
    }
    walk(record, text);
}

/// Runs radpath with `args` in `dir`, reads only the first line of its output and then
/// closes the pipe, like `radpath ... | head -1`. Returns that line and the finished run
/// (whose stdout is empty: it was consumed).
pub fn run_head_1(dir: &Path, args: &[&str]) -> (String, Run) {
    use std::io::BufRead;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn radpath");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    {
        let mut reader = std::io::BufReader::new(stdout);
        reader.read_line(&mut first).expect("read the first line");
        // Dropping the reader closes the pipe.
    }
    let out = child.wait_with_output().expect("wait for radpath");
    (first, finish(out))
}

/// The root of the crate (for files under `corpus/`).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
