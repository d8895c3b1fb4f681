use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports what BuildKit would reject before building anything: parse errors (a heredoc
    /// that never ends, an `ENV` without a value, a JSON array of non-strings), unknown
    /// instructions and flags, `FROM` lines with the wrong number of words, invalid stage names,
    /// image references that are not valid after ARG expansion, and a `--target` stage that
    /// does not exist.
    ///
    /// ## Why is this bad?
    /// `docker build` stops on these. Every other rule also needs a Dockerfile it can read:
    /// minicheck goes on after an error, but the instruction in error is not checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --chmodd=644 app.py /app/
    /// ```
    ///
    /// ## How to fix
    /// Correct the instruction as the message says:
    /// ```dockerfile
    /// FROM reg.mini.dev/python:3.13.5
    /// COPY --chmod=644 app.py /app/
    /// ```
    pub struct SyntaxError {
        code: "MC000",
        name: "syntax-error",
        severity: Error,
        summary: "The Dockerfile has an error BuildKit would stop on",
    }
}

use super::Context;
use crate::report::Finding;

/// Parse errors and the errors found while resolving the stage graph.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for e in &ctx.dockerfile.errors {
        out.push(SyntaxError::META.finding(&e.message, e.span));
    }
    for e in &ctx.graph.errors {
        out.push(SyntaxError::META.finding(&e.message, e.span));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, findings};

    #[test]
    fn bad() {
        let f = findings("MC000", "FROM alpine\nENV PATH\nCOPY --chmodd=1 a b\n");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].message, "ENV must have two arguments");
        assert_eq!(f[1].message, "unknown flag: chmodd");
        assert_eq!((f[1].span.start.line, f[1].span.start.column), (3, 6));
    }

    #[test]
    fn good() {
        assert_clean("MC000", "FROM alpine\nENV PATH=/x\nCOPY --chmod=1 a b\n");
    }
}
