//! A workbook of 100,000 rows is read with bounded memory: rows stream out one at a time
//! instead of the whole sheet being held. Alone in its test binary, so that the memory
//! of this process is the memory of this test.

use radpath::io::source::{self, Input, SourceOptions};
use rust_xlsxwriter::Workbook;

const ROWS: u32 = 100_000;

/// A `/proc/self/status` figure in KiB (Linux); `None` elsewhere.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_hundred_thousand_rows_stream_in_order_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("groot.xlsx");
    // Eight long reports used over and over: the sheet holds 100,000 reports of about
    // 2 KB (200 MB of text), the workbook only their eight shared strings.
    let texts: Vec<String> = (0..8)
        .map(|k| format!("Verslag {k}: lever met laesie in segment {}. ", k % 8 + 1).repeat(50))
        .collect();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "id").unwrap();
    ws.write_string(0, 1, "text").unwrap();
    ws.write_string(0, 2, "volgnummer").unwrap();
    for r in 1..=ROWS {
        ws.write_string(r, 0, format!("r{r}")).unwrap();
        ws.write_string(r, 1, &texts[r as usize % 8]).unwrap();
        ws.write_number(r, 2, f64::from(r)).unwrap();
    }
    wb.save(&path).unwrap();
    drop(wb);
    // The writer held every cell; the peak is measured from here (Linux: writing 5 to
    // clear_refs resets VmHWM to the current VmRSS).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = status_kib("VmRSS:").filter(|_| reset);

    let paths = [path.display().to_string()];
    let inputs = source::open(&paths, &SourceOptions::default()).unwrap();
    let (mut n, mut text_bytes) = (0u32, 0usize);
    for input in inputs {
        let Input::Report(r) = input else {
            panic!("row {} failed: {input:?}", n + 2);
        };
        n += 1;
        assert_eq!(r.id, format!("r{n}"));
        assert_eq!(r.row, Some(u64::from(n) + 1));
        assert_eq!(r.meta["volgnummer"], n.to_string());
        text_bytes += r.text.len();
    }
    assert_eq!(n, ROWS);
    assert!(text_bytes > 200_000_000, "{text_bytes}");
    if let (Some(before), Some(peak)) = (rss_before, status_kib("VmHWM:")) {
        let grown_mib = peak.saturating_sub(before) / 1024;
        assert!(
            grown_mib < 128,
            "peak memory grew by {grown_mib} MiB while reading {} MB of report text",
            text_bytes / 1_000_000
        );
    }
}
