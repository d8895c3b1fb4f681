//! Conformance with BuildKit's own parser fixtures, and the behaviours they do not cover.

use super::*;
use std::path::{Path, PathBuf};

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/dockerfiles")
        .join(rel)
}

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn buildkit_testfiles_dump_byte_for_byte() {
    let dir = corpus("buildkit-parser/testfiles");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus present")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 33, "the 33 BuildKit parser cases");
    let mut failures = Vec::new();
    for case in &cases {
        let parsed = parse(&read(&case.join("Dockerfile")));
        let expected = read(&case.join("result"));
        let got = dump(&parsed);
        if !parsed.errors.is_empty() || got.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{}\nerrors: {:?}\n--- expected\n{expected}\n--- got\n{got}",
                case.display(),
                parsed.errors
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn buildkit_negative_files_are_rejected() {
    let expected = [
        ("empty_dockerfile", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("only_comments", "file with no instructions"),
        (
            "shykes-nested-json",
            "when using JSON array syntax, arrays must be comprised of strings only",
        ),
    ];
    for (case, message) in expected {
        let path = corpus("buildkit-parser/testfiles-negative")
            .join(case)
            .join("Dockerfile");
        let parsed = parse(&read(&path));
        let messages: Vec<_> = parsed.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, [message], "{case}");
    }
}

#[test]
fn buildkit_line_numbers() {
    // BuildKit's parser_test.go expects these (start, end) lines for testfile-line.
    let parsed = parse(&read(&corpus("buildkit-parser/testfile-line/Dockerfile")));
    let lines: Vec<_> = parsed
        .instructions
        .iter()
        .map(|i| (i.span.start.line, i.span.end.line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
    assert!(parsed.errors.is_empty());
    assert_eq!(parsed.directives[0].name, "escape");
}

#[test]
fn every_corpus_dockerfile_parses() {
    let mut files = Vec::new();
    collect(&corpus("official"), &mut files);
    collect(&corpus("multistage"), &mut files);
    assert!(files.len() > 400, "found only {} files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let parsed = parse(&read(file));
        if !parsed.errors.is_empty() || parsed.instructions.is_empty() {
            failures.push(format!("{}: {:?}", file.display(), parsed.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("Dockerfile") || n.ends_with(".Dockerfile"))
        {
            out.push(path);
        }
    }
}

fn one(text: &str) -> Instruction {
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed
        .instructions
        .into_iter()
        .next()
        .expect("an instruction")
}

#[test]
fn spans_point_at_the_image_and_flag_values() {
    let text = "FROM python AS b\nFROM --platform=$BUILDPLATFORM \\\n    reg.mini.dev/python:3.13-dev AS build\n";
    let parsed = parse(text);
    let from = &parsed.instructions[1];
    let platform = from.flag("platform").expect("platform flag");
    assert_eq!(platform.value.as_deref(), Some("$BUILDPLATFORM"));
    let vs = platform.value_span.expect("value span");
    assert_eq!((vs.start.line, vs.start.column, vs.end.column), (2, 17, 31));
    let image = &from.args[0];
    assert_eq!(image.value, "reg.mini.dev/python:3.13-dev");
    assert_eq!(
        (
            image.span.start.line,
            image.span.start.column,
            image.span.end.column
        ),
        (3, 5, 33)
    );
    assert_eq!((from.span.start.line, from.span.end.line), (2, 3));
}

#[test]
fn crlf_and_byte_order_mark() {
    let parsed = parse("\u{FEFF}FROM a\r\nRUN b \\\r\n  c\r\n");
    assert!(parsed.errors.is_empty());
    assert_eq!(dump(&parsed), "(from \"a\")\n(run \"b   c\")\n");
    assert_eq!(parsed.instructions[0].keyword_span.start.column, 1);
}

#[test]
fn case_insensitive_keywords_and_onbuild() {
    let parsed = parse("from a\nOnBuild Run echo hi\n");
    assert_eq!(dump(&parsed), "(from \"a\")\n(onbuild (run \"echo hi\"))\n");
}

#[test]
fn a_bad_instruction_does_not_hide_the_rest() {
    let parsed = parse("FROM a\nENV PATH\nCMD [1]\nFROM b AS final\n");
    assert_eq!(parsed.errors.len(), 2);
    assert_eq!(parsed.errors[0].span.start.line, 2);
    assert_eq!(parsed.errors[1].span.start.line, 3);
    assert_eq!(parsed.instructions.len(), 2);
    assert_eq!(parsed.instructions[1].args[2].value, "final");
}

#[test]
fn comments_and_blank_lines_inside_continuations() {
    let parsed = parse("RUN a \\\n# note\n\n  b\n");
    assert_eq!(dump(&parsed), "(run \"a   b\")\n");
    assert_eq!(parsed.warnings.len(), 1, "empty continuation line");
    assert_eq!(parsed.comments.len(), 1);
}

#[test]
fn backtick_escape_directive() {
    let parsed = parse("# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  C:\\\n");
    assert_eq!(parsed.escape, '`');
    assert_eq!(parsed.instructions[1].args[0].value, "dir   C:\\");
}

#[test]
fn heredoc_as_the_whole_command() {
    let run = one("RUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n");
    assert_eq!(run.heredocs.len(), 1);
    let doc = &run.heredocs[0];
    assert_eq!(doc.name, "EOF");
    assert!(doc.expand && !doc.chomp);
    assert_eq!(doc.content, "apt-get update\napt-get install -y curl\n");
    assert_eq!((doc.span.start.line, doc.span.end.line), (2, 4));
    assert_eq!((run.span.start.line, run.span.end.line), (1, 4));
}

#[test]
fn heredoc_mid_line_quoted_and_chomped() {
    let parsed = parse(
        "FROM a\nRUN cat <<'EOT' > /x && cat <<-\"END\" >> /x\n$HOME stays\nEOT\n\t\tindented\n\tEND\nRUN after\n",
    );
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let run = &parsed.instructions[1];
    let names: Vec<_> = run.heredocs.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["EOT", "END"]);
    assert!(!run.heredocs[0].expand, "quoted delimiter: no expansion");
    assert!(!run.heredocs[1].expand);
    assert!(run.heredocs[1].chomp);
    assert_eq!(run.heredocs[1].content, "\t\tindented\n");
    assert_eq!(parsed.instructions[2].args[0].value, "after");
    assert_eq!(parsed.instructions[2].span.start.line, 7);
}

#[test]
fn heredoc_in_copy_with_file_descriptor_and_onbuild() {
    let parsed = parse(
        "FROM a\nCOPY <<one.txt <<two.txt /dst/\n1\none.txt\n2\ntwo.txt\nRUN 3<<X cat /dev/fd/3\nx\nX\nONBUILD RUN <<Y\ny\nY\n",
    );
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.instructions.len(), 4);
    assert_eq!(parsed.instructions[1].heredocs.len(), 2);
    assert_eq!(parsed.instructions[1].heredocs[1].content, "2\n");
    assert_eq!(parsed.instructions[2].heredocs[0].file_descriptor, 3);
    assert_eq!(parsed.instructions[3].heredocs[0].content, "y\n");
}

#[test]
fn heredocs_only_where_buildkit_reads_them() {
    // Exec form and other instructions do not take heredocs.
    let parsed = parse("FROM a\nRUN [\"echo\", \"<<EOF\"]\nENV A=<<EOF\nCMD cat <<EOF\n");
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.instructions.len(), 4);
    assert!(parsed.instructions.iter().all(|i| i.heredocs.is_empty()));
}

#[test]
fn unterminated_heredoc_is_an_error_with_its_lines() {
    let parsed = parse("FROM a\nRUN <<EOF\necho hi\n");
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].message, "unterminated heredoc EOF");
    assert_eq!(
        (
            parsed.errors[0].span.start.line,
            parsed.errors[0].span.end.line
        ),
        (2, 3)
    );
}

#[test]
fn continuation_at_end_of_file_and_json_flags() {
    let parsed = parse("FROM a\nCOPY --from=b --chmod=755 [\"x y\", \"/z\"]\nRUN echo \\");
    assert!(parsed.errors.is_empty());
    let copy = &parsed.instructions[1];
    assert!(copy.json);
    assert_eq!(
        copy.flag("chmod").and_then(|f| f.value.as_deref()),
        Some("755")
    );
    assert_eq!(copy.args[0].value, "x y");
    assert_eq!(copy.args[0].span.start.column, 28, "the opening quote");
    assert_eq!(parsed.instructions[2].args[0].value, "echo");
}

#[test]
fn never_panics_on_arbitrary_input() {
    // A deterministic walk over short strings of the characters that matter to the parser.
    let alphabet = [
        "FROM ", "RUN ", "\\", "`", "\n", "\r\n", "<<", "EOF", "\"", "'", "[", "]", "$", "{", "}",
        "#", " ", "--", "=", "\u{FEFF}", "ONBUILD ", "-", "\t", "♥",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let parsed = parse(&text);
        // Every span lies inside the text.
        for i in &parsed.instructions {
            assert!(i.span.end.offset <= text.len(), "{text:?}");
        }
        let _ = dump(&parsed);
    }
}
