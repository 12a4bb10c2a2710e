//! Where `--output` writes: through FIFOs, character devices and symbolic links (never
//! replacing them), atomically over regular files (keeping their mode and owner; new files
//! honour the umask), never over an input unless `--force`, and `-` is stdout. `--jobs`
//! far above the cores is capped with a warning.
//!
//! No test here names the machine's own `/dev/null`: the character device is a copy made
//! with `mknod` inside a temporary folder, so a regression cannot damage the machine.

mod util;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

const REPORT: &str = "{\"id\":\"r1\",\"text\":\"CT lever: twee metastasen in segment 7.\"}\n{\"id\":\"r2\",\"text\":\"Echo lever: geen laesies.\"}\n";

/// Runs radpath through `sh` with a umask.
fn run_with_umask(dir: &Path, umask: &str, args: &[&str]) -> util::Run {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "umask {umask}; exec \"{}\" {}",
        util::bin().display(),
        quoted.join(" ")
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .output()
        .expect("sh");
    util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o7777
}

#[test]
fn a_fifo_is_written_through_and_stays_a_fifo() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    let fifo = dir.path().join("out.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(&fifo)
                .expect("open the FIFO")
                .read_to_string(&mut s)
                .expect("read the FIFO");
            s
        })
    };
    let run = util::run_in(
        dir.path(),
        &["extract", "in.jsonl", "--output", "out.fifo"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = reader.join().expect("reader");
    assert_eq!(got.lines().count(), 2, "{got}");
    assert!(got.starts_with("{\"id\":\"r1\""), "{got}");
    let ft = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(ft.is_fifo(), "the FIFO was replaced");
}

#[test]
fn a_character_device_is_written_through_and_stays_a_device() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    let dev = dir.path().join("null");
    // A private copy of the null device (major 1, minor 3); making one needs root.
    let made = Command::new("mknod")
        .args([dev.to_str().expect("path"), "c", "1", "3"])
        .status();
    if !made.is_ok_and(|s| s.success())
        || std::fs::OpenOptions::new().write(true).open(&dev).is_err()
    {
        eprintln!("skipped: mknod needs root, and a file system that allows devices");
        return;
    }
    let before = std::fs::metadata(&dev).expect("device");
    for args in [
        &["extract", "in.jsonl", "--output", "null"][..],
        &["extract", "in.jsonl", "--format", "csv", "-o", "null"][..],
    ] {
        let run = util::run_in(dir.path(), args, None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let after = std::fs::symlink_metadata(&dev).expect("device");
    assert!(
        after.file_type().is_char_device(),
        "the device was replaced"
    );
    assert_eq!(after.rdev(), before.rdev());
    assert_eq!(after.mode(), before.mode());
    // A symbolic link to the device is written through as well.
    std::os::unix::fs::symlink("null", dir.path().join("link")).expect("symlink");
    let run = util::run_in(
        dir.path(),
        &["extract", "in.jsonl", "--output", "link"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::symlink_metadata(dir.path().join("link"))
        .expect("link")
        .file_type()
        .is_symlink());
    assert!(std::fs::symlink_metadata(&dev)
        .expect("device")
        .file_type()
        .is_char_device());
}

#[test]
fn a_symbolic_link_is_written_through_and_stays_a_link() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    std::fs::create_dir(dir.path().join("results")).expect("folder");
    util::write(dir.path(), "results/real.jsonl", "older\n");
    std::os::unix::fs::symlink("results/real.jsonl", dir.path().join("out.jsonl"))
        .expect("symlink");
    let run = util::run_in(
        dir.path(),
        &["extract", "in.jsonl", "--output", "out.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = dir.path().join("out.jsonl");
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(dir.path().join("results/real.jsonl")).expect("target");
    assert_eq!(written.lines().count(), 2, "{written}");
    // No temporary file is left beside the link or beside its target.
    for d in [dir.path().to_path_buf(), dir.path().join("results")] {
        let partial = std::fs::read_dir(&d)
            .expect("list")
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".partial"));
        assert!(!partial, "{}", d.display());
    }

    // A link to nothing, a folder and a socket are refused before anything is read.
    std::os::unix::fs::symlink("nowhere/x.jsonl", dir.path().join("dangling")).expect("symlink");
    let socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).expect("socket");
    for (out, says) in [
        ("dangling", "does not exist"),
        ("results", "is a directory"),
        ("sock", "not a regular file"),
    ] {
        let run = util::run_in(dir.path(), &["extract", "in.jsonl", "--output", out], None);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{out}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    drop(socket);
    assert!(std::fs::symlink_metadata(dir.path().join("dangling"))
        .expect("link")
        .file_type()
        .is_symlink());
}

#[test]
fn new_files_honour_the_umask_and_replaced_files_keep_mode_and_owner() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    let out = dir.path().join("out.jsonl");
    let run = run_with_umask(
        dir.path(),
        "022",
        &["extract", "in.jsonl", "-o", "out.jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&out), 0o644);
    std::fs::remove_file(&out).expect("remove");
    let run = run_with_umask(
        dir.path(),
        "077",
        &["extract", "in.jsonl", "-o", "out.jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&out), 0o600);

    // An existing file keeps its mode, whatever the umask.
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let run = run_with_umask(
        dir.path(),
        "077",
        &["extract", "in.jsonl", "-o", "out.jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(mode(&out), 0o640);
    assert_eq!(
        std::fs::read_to_string(&out).expect("out").lines().count(),
        2
    );

    // And its owner and group, when radpath may set them (as root).
    let owned = std::os::unix::fs::chown(&out, Some(4321), Some(4321)).is_ok();
    let run = util::run_in(
        dir.path(),
        &["extract", "in.jsonl", "-o", "out.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::metadata(&out).expect("out");
    if owned {
        assert_eq!((md.uid(), md.gid()), (4321, 4321));
    }
    assert_eq!(md.mode() & 0o7777, 0o640);
}

#[test]
fn an_output_that_is_an_input_is_refused_unless_forced() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    util::write(dir.path(), "reports/a.txt", "CT lever: geen laesies.");
    std::os::unix::fs::symlink("in.jsonl", dir.path().join("alias.jsonl")).expect("symlink");
    for args in [
        &["extract", "in.jsonl", "--output", "in.jsonl"][..],
        &["extract", "in.jsonl", "--output", "./alias.jsonl"][..],
        &[
            "extract",
            "reports",
            "in.jsonl",
            "--output",
            "reports/a.txt",
        ][..],
    ] {
        let run = util::run_in(dir.path(), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("is also an input"), "{}", run.stderr);
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("in.jsonl")).expect("input"),
        REPORT,
        "the input is untouched"
    );
    assert!(std::fs::symlink_metadata(dir.path().join("alias.jsonl"))
        .expect("alias")
        .file_type()
        .is_symlink());
    // With --force the input is read whole, then replaced by the output.
    let run = util::run_in(
        dir.path(),
        &["extract", "in.jsonl", "--force", "--output", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(dir.path().join("in.jsonl")).expect("output");
    assert_eq!(written.lines().count(), 2);
    assert!(written.contains("\"summary\""), "{written}");
}

#[test]
fn output_dash_is_stdout() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    let run = util::run_in(dir.path(), &["extract", "in.jsonl", "--output", "-"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json_lines().len(), 2);
    assert!(!dir.path().join("-").exists(), "no file named -");
    let run = util::run_in(
        dir.path(),
        &["qualify", "-o", "-"],
        Some(b"{\"id\":1,\"text\":\"geen metastasen\",\"spans\":[[5,15]]}\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"absent\""), "{}", run.stdout);
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[test]
fn jobs_far_above_the_cores_are_capped_with_a_warning() {
    let dir = util::tempdir();
    util::write(dir.path(), "in.jsonl", REPORT);
    let run = util::run_in(
        dir.path(),
        &["extract", "--jobs", "100000", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json_lines().len(), 2);
    assert!(
        run.stderr
            .contains("warning: --jobs 100000 is more than 4 per core"),
        "{}",
        run.stderr
    );
    // The warning names the number of threads used instead: four per core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        run.stderr
            .contains(&format!("using {} worker threads", 4 * cores)),
        "{}",
        run.stderr
    );
    // Up to four per core is taken as given, without a word.
    let n = (4 * cores).to_string();
    let run = util::run_in(dir.path(), &["extract", "--jobs", &n, "in.jsonl"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = util::run_in(
        dir.path(),
        &["qualify", "--jobs", "100000"],
        Some(b"{\"id\":1,\"text\":\"geen metastasen\",\"spans\":[[5,15]]}\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: --jobs 100000"),
        "{}",
        run.stderr
    );
}
