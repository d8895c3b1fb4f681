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
