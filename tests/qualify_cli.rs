//! `radpath qualify`: the JSONL protocol, offsets, order and errors.

mod util;

use serde_json::{json, Value};

fn qualify(input: &str, args: &[&str]) -> util::Run {
    let mut all = vec!["qualify"];
    all.extend_from_slice(args);
    util::run(&all, Some(input.as_bytes()))
}

fn line(v: Value) -> String {
    format!("{v}\n")
}

#[test]
fn answers_have_exactly_the_documented_shape() {
    let input = line(
        json!({"id": "r1", "text": "Geen aanwijzingen voor levermetastasen.", "spans": [[23, 38]]}),
    );
    let run = qualify(&input, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim_end(),
        r#"{"id":"r1","spans":[{"start":23,"end":38,"presence":"absent","temporality":"current","experiencer":"patient","rules":["geen aanwijzingen voor"]}]}"#
    );
}

#[test]
fn offsets_count_characters_by_default_and_bytes_on_request() {
    // "patiënte" has a two-byte character before the span.
    let text = "Bij patiënte geen levermetastasen.";
    let chars = text.chars().count();
    let byte_start = text.find("levermetastasen").unwrap_or(0);
    let char_start = text[..byte_start].chars().count();
    assert_eq!(byte_start, char_start + 1);
    let input = line(json!({"id": 1, "text": text, "spans": [[char_start, chars - 1]]}))
        + &line(
            json!({"id": 2, "text": text, "spans": [[byte_start, text.len() - 1]], "offsets": "byte"}),
        );
    let run = qualify(&input, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json_lines();
    assert_eq!(out[0]["spans"][0]["start"], json!(char_start));
    assert_eq!(out[0]["spans"][0]["presence"], "absent");
    assert_eq!(out[1]["spans"][0]["start"], json!(byte_start));
    assert_eq!(out[1]["spans"][0]["presence"], "absent");
    // A byte offset inside "ë" is refused, per span.
    let ë = text.find('ë').unwrap_or(0);
    let input = line(
        json!({"id": 3, "text": text, "spans": [[ë + 1, ë + 4], [byte_start, byte_start + 4]], "offsets": "byte"}),
    );
    let run = qualify(&input, &[]);
    assert_eq!(run.code, 1);
    let out = run.json_lines();
    assert_eq!(out[0]["spans"][0]["error"]["kind"], "invalid_span");
    assert!(out[0]["spans"][0]["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("inside a UTF-8 character"));
    assert_eq!(out[0]["spans"][1]["presence"], "absent");
}

#[test]
fn a_bad_line_gives_an_error_line_in_its_place() {
    let input = [
        line(json!({"id": "a", "text": "Geen ascites.", "spans": [[5, 12]]})),
        "this is not json\n".to_string(),
        "\n".to_string(),
        line(json!({"id": "b", "spans": [[0, 1]]})),
        line(json!({"id": "c", "text": "x", "spans": "0-1"})),
        line(json!({"id": "d", "text": "x", "spans": [[0, 1]], "lang": "fr"})),
        line(json!([1, 2])),
        line(json!({"id": "e", "text": "No metastases.", "spans": [[3, 13]]})),
    ]
    .concat();
    let run = qualify(&input, &[]);
    assert_eq!(run.code, 1);
    let out = run.json_lines();
    assert_eq!(out.len(), 8, "one output line per input line");
    assert_eq!(out[0]["spans"][0]["presence"], "absent");
    let kinds: Vec<&str> = out[1..7]
        .iter()
        .map(|o| o["error"]["kind"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        kinds,
        [
            "bad_json",
            "empty_line",
            "missing_field",
            "bad_field",
            "bad_field",
            "not_an_object"
        ]
    );
    assert_eq!(out[1]["line"], 2);
    assert_eq!(out[3]["id"], "b", "the id is kept when it can be read");
    assert_eq!(out[7]["id"], "e");
    assert_eq!(out[7]["spans"][0]["presence"], "absent");
    assert!(
        run.stderr.contains("read 8 lines (6 unreadable)"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_spans_get_a_clear_error_each() {
    let input = line(
        json!({"id": "s", "text": "Geen ascites.", "spans": [[5, 12], [7, 7], [9, 3], [0, 99], [-1, 2], [1], {"start": 0, "end": 4}]}),
    );
    let run = qualify(&input, &[]);
    assert_eq!(run.code, 1);
    let out = run.json_lines();
    let spans = out[0]["spans"].as_array().cloned().unwrap_or_default();
    assert_eq!(spans.len(), 7);
    assert_eq!(spans[0]["presence"], "absent");
    for s in &spans[1..6] {
        assert_eq!(s["error"]["kind"], "invalid_span", "{s}");
    }
    assert!(spans[3]["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("past the text (13 characters)"));
    assert_eq!(spans[6]["start"], 0, "a span may be an object");
    assert!(spans[6]["presence"].is_string());
}

#[test]
fn input_order_is_kept_and_files_work_like_stdin() {
    let mut input = String::new();
    for i in 0..50 {
        let text = if i % 2 == 0 {
            "Geen metastasen."
        } else {
            "Metastasen in segment 7."
        };
        let start = if i % 2 == 0 { 5 } else { 0 };
        input += &line(json!({"id": i, "text": text, "spans": [[start, start + 10]]}));
    }
    let dir = util::tempdir();
    let path = util::write(dir.path(), "req.jsonl", &input);
    let from_file = util::run(&["qualify", path.to_str().unwrap_or("")], None);
    let from_stdin = qualify(&input, &["-"]);
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    assert_eq!(from_file.stdout, from_stdin.stdout);
    for (i, o) in from_file.json_lines().iter().enumerate() {
        assert_eq!(o["id"], json!(i));
        let want = if i % 2 == 0 { "absent" } else { "present" };
        assert_eq!(o["spans"][0]["presence"], want);
    }
}

#[test]
fn language_comes_from_the_line_the_flag_or_detection() {
    // "no" is an English trigger only.
    let text = "No metastasis.";
    let input = line(json!({"id": 1, "text": text, "spans": [[3, 13]], "lang": "nl"}))
        + &line(json!({"id": 2, "text": text, "spans": [[3, 13]]}));
    let out = qualify(&input, &["--lang", "en"]).json_lines();
    assert_eq!(out[0]["spans"][0]["presence"], "present");
    assert_eq!(out[1]["spans"][0]["presence"], "absent");
}

#[test]
fn invalid_utf8_and_crlf_lines() {
    let mut input = b"{\"id\":1,\"text\":\"Geen ascites.\",\"spans\":[[5,12]]}\r\n".to_vec();
    input.extend_from_slice(b"{\"id\":2,\"text\":\"caf\xe9\",\"spans\":[[0,1]]}\n");
    let run = util::run(&["qualify"], Some(&input));
    let out = run.json_lines();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["spans"][0]["presence"], "absent");
    assert_eq!(out[1]["error"]["kind"], "invalid_utf8");
    assert_eq!(run.code, 1);
}

#[test]
fn lexicon_overrides_add_triggers() {
    let dir = util::tempdir();
    util::write(
        dir.path(),
        "lex/nl/context.tsv",
        "onwaarneembaar\tNEGATED_EXISTENCE\tbackward\n",
    );
    let lex = dir.path().join("lex");
    let input = line(
        json!({"id": 1, "text": "Metastasen onwaarneembaar.", "spans": [[0, 10]], "lang": "nl"}),
    );
    let out = qualify(&input, &["--lexicons", lex.to_str().unwrap_or("")]).json_lines();
    assert_eq!(out[0]["spans"][0]["presence"], "absent");
    assert_eq!(out[0]["spans"][0]["rules"], json!(["onwaarneembaar"]));
    let bad = util::write(
        dir.path(),
        "bad/nl/context.tsv",
        "iets\tNOT_A_CATEGORY\tforward\n",
    );
    let run = qualify(
        &input,
        &[
            "--lexicons",
            bad.parent()
                .and_then(|p| p.parent())
                .and_then(|p| p.to_str())
                .unwrap_or(""),
        ],
    );
    assert_eq!(run.code, 2, "a broken lexicon is a configuration error");
}

#[test]
fn answers_each_line_as_it_arrives_on_a_pipe() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(util::bin())
        .args(["qualify", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn radpath");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for (i, text) in ["Geen metastasen.", "Metastasen in segment 7."]
        .iter()
        .enumerate()
    {
        let start = if i == 0 { 5 } else { 0 };
        let req = line(json!({"id": i, "text": text, "spans": [[start, start + 10]]}));
        stdin.write_all(req.as_bytes()).expect("write request");
        stdin.flush().expect("flush");
        // The answer comes back while stdin is still open.
        let mut answer = String::new();
        stdout.read_line(&mut answer).expect("read answer");
        let v: Value = serde_json::from_str(&answer).expect("answer is JSON");
        assert_eq!(v["id"], json!(i));
    }
    drop(stdin);
    assert!(child.wait().expect("wait").success());
}

#[test]
fn one_worker_or_many_give_the_same_lines() {
    let mut input = String::new();
    for i in 0..200 {
        let text = format!("Geen ascites, mogelijk {i} metastasen, maar wel een laesie.");
        input += &line(
            json!({"id": i, "text": text, "spans": [[0, 4], [14, 22], [text.len() - 7, text.len() - 1]]}),
        );
    }
    let one = qualify(&input, &["--jobs", "1"]);
    let many = qualify(&input, &["--jobs", "4"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(qualify(&input, &["--jobs", "0"]).code, 2);
}
