//! BuildKit's AST dump format (`Node.Dump`), one line per instruction, e.g.
//! `(copy ["--from=build"] "/app" "/app")`. The conformance tests compare it byte for byte with
//! the `result` files of BuildKit's own parser tests.

use super::{Dockerfile, Instruction};
use std::fmt::Write;

/// The dump of every instruction, each line ending in `\n`.
pub fn dump(dockerfile: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in &dockerfile.instructions {
        out.push('(');
        out.push_str(&dump_instruction(instruction));
        out.push_str(")\n");
    }
    out
}

fn dump_instruction(instruction: &Instruction) -> String {
    let mut out = instruction.keyword.clone();
    if !instruction.flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in instruction.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&go_quote(&flag.raw));
        }
        out.push(']');
    }
    if let Some(child) = &instruction.child {
        let _ = write!(out, " ({})", dump_instruction(child));
    } else if instruction.unknown {
        // BuildKit keeps an empty argument node for instructions it does not know.
        out.push_str(" \"\"");
    }
    for arg in &instruction.args {
        out.push(' ');
        out.push_str(&go_quote(&arg.value));
    }
    out.trim().to_string()
}

pub use crate::expand::go_quote;

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\t♥"), r#""\x00\t♥""#);
        assert_eq!(go_quote("\u{a0}"), r#""\u00a0""#);
    }
}
