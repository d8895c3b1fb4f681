use super::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `# minicheck ignore=...` comment that suppresses nothing: the rule it names
    /// found nothing where the comment applies, or it names no rule at all.
    ///
    /// ## Why is this bad?
    /// Stale ignores hide the next real finding at that spot, and a misspelt code suppresses
    /// nothing while looking as if it did.
    ///
    /// ## Example
    /// ```dockerfile
    /// # minicheck ignore=MC004
    /// FROM reg.mini.dev/python:3.13.5
    /// ```
    ///
    /// ## How to fix
    /// Remove the comment, or the codes in it that no longer match.
    ///
    /// ## Configuration
    /// `disable-inline-ignores: true` turns all ignore comments off (and this rule with them).
    pub struct UnusedIgnore {
        code: "MC009",
        name: "unused-ignore",
        severity: Info,
        summary: "An inline ignore comment suppresses nothing",
    }
}
