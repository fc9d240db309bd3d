//! The Dockerfile, read by one parser for every check that looks at it
//! (`dockerfile-parser`, a pest grammar of the Dockerfile syntax: stages,
//! continuation lines, exec and shell forms, `COPY --from` flags). Heredocs
//! (`RUN <<EOF`) are not in its grammar; a Dockerfile that uses one fails
//! to parse with a clear error rather than being half read.

use dockerfile_parser::{Instruction, ShellOrExecExpr};

/// A parsed Dockerfile and the facts the kit's checks ask of it.
pub struct Dockerfile(dockerfile_parser::Dockerfile);

/// One instruction as `NAME` (upper case) and its arguments on one line
/// (continuation lines joined, exec-form arrays as their elements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub args: String,
}

impl Dockerfile {
    /// Parses `text`; the error says where the grammar stopped.
    pub fn parse(text: &str) -> Result<Self, String> {
        dockerfile_parser::Dockerfile::parse(text)
            .map(Self)
            .map_err(|e| format!("the Dockerfile does not parse: {e}"))
    }

    /// Every instruction, in order.
    pub fn steps(&self) -> Vec<Step> {
        self.0.instructions.iter().map(step).collect()
    }

    /// The instructions of the final stage (from its `FROM` on): what the
    /// image that runs is made of.
    pub fn final_stage(&self) -> Vec<Step> {
        let steps = self.steps();
        let from = steps.iter().rposition(|s| s.name == "FROM").unwrap_or(0);
        steps[from..].to_vec()
    }

    /// The final stage's last `USER` as numbers `uid[:gid]`, or None when it
    /// sets none or names a user (Kubernetes cannot check `runAsNonRoot`
    /// against a name).
    pub fn numeric_user(&self) -> Option<(i64, Option<i64>)> {
        let stage = self.final_stage();
        let user = stage.iter().rev().find(|s| s.name == "USER")?;
        let (uid, gid) = match user.args.split_once(':') {
            Some((uid, gid)) => (uid, Some(gid)),
            None => (user.args.as_str(), None),
        };
        Some((uid.parse().ok()?, gid.map(str::parse).transpose().ok()?))
    }

    /// The source paths of every `COPY` from the build context (not
    /// `COPY --from=stage`), in order.
    pub fn context_sources(&self) -> Vec<String> {
        self.0
            .instructions
            .iter()
            .filter_map(Instruction::as_copy)
            .filter(|copy| !copy.flags.iter().any(|f| f.name.content == "from"))
            .flat_map(|copy| copy.sources.iter().map(|s| s.content.clone()))
            .collect()
    }
}

fn step(instruction: &Instruction) -> Step {
    let words = |parts: Vec<String>| parts.join(" ");
    let expr = |e: &ShellOrExecExpr| match e {
        ShellOrExecExpr::Shell(s) => s.to_string(),
        ShellOrExecExpr::Exec(a) => a.as_str_vec().join(" "),
    };
    let (name, args) = match instruction {
        Instruction::From(f) => (
            "FROM",
            words(
                [
                    Some(f.image.content.clone()),
                    f.alias.as_ref().map(|a| format!("AS {}", a.content)),
                ]
                .into_iter()
                .flatten()
                .collect(),
            ),
        ),
        Instruction::Arg(a) => (
            "ARG",
            match &a.value {
                Some(v) => format!("{}={}", a.name.content, v.content),
                None => a.name.content.clone(),
            },
        ),
        Instruction::Label(l) => (
            "LABEL",
            key_values(
                l.labels
                    .iter()
                    .map(|l| (&l.name.content, l.value.content.clone())),
            ),
        ),
        Instruction::Run(r) => ("RUN", expr(&r.expr)),
        Instruction::Entrypoint(e) => ("ENTRYPOINT", expr(&e.expr)),
        Instruction::Cmd(c) => ("CMD", expr(&c.expr)),
        Instruction::Copy(c) => (
            "COPY",
            words(
                c.flags
                    .iter()
                    .map(|f| format!("--{}={}", f.name.content, f.value.content))
                    .chain(c.sources.iter().map(|s| s.content.clone()))
                    .chain([c.destination.content.clone()])
                    .collect(),
            ),
        ),
        Instruction::Env(e) => (
            "ENV",
            key_values(e.vars.iter().map(|v| (&v.key.content, v.value.to_string()))),
        ),
        Instruction::Misc(m) => {
            return Step {
                name: m.instruction.content.to_uppercase(),
                args: m.arguments.to_string().trim().to_owned(),
            };
        }
    };
    Step {
        name: name.to_owned(),
        args: args.trim().to_owned(),
    }
}

/// `key=value key=value`, as LABEL and ENV take them.
fn key_values<'a>(pairs: impl Iterator<Item = (&'a String, String)>) -> String {
    pairs
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# syntax=docker/dockerfile:1\nARG V=1\nFROM a:${V} AS build\nCOPY Cargo.toml \\\n  Cargo.lock ./\nRUN make \\\n && make install\nUSER 1000\nFROM b\nCOPY --from=build /x /y\nUSER 65532:65532\nexpose 8000\nENTRYPOINT [\"/y\"]\n";

    #[test]
    fn continuation_lines_are_joined_and_names_upper_cased() {
        let file = Dockerfile::parse(TEXT).unwrap();
        let steps = file.steps();
        assert_eq!(steps[0].name, "ARG");
        assert_eq!(steps[0].args, "V=1");
        let run = steps.iter().find(|s| s.name == "RUN").unwrap();
        assert!(
            run.args.contains("make") && run.args.contains("&& make install"),
            "{run:?}"
        );
        assert!(steps.iter().any(|s| s.name == "EXPOSE" && s.args == "8000"));
        assert_eq!(file.context_sources(), ["Cargo.toml", "Cargo.lock"]);
    }

    #[test]
    fn the_final_stage_user_counts() {
        let user = |t: &str| Dockerfile::parse(t).unwrap().numeric_user();
        assert_eq!(user(TEXT), Some((65532, Some(65532))));
        assert_eq!(user("FROM a\nUSER 10001\n"), Some((10001, None)));
        assert_eq!(user("FROM a\nUSER nonroot\n"), None);
        assert_eq!(user("FROM a\nUSER 1\nFROM b\n"), None);
        let last = Dockerfile::parse(TEXT).unwrap().final_stage();
        assert_eq!(last[0].args, "b");
        assert_eq!(last.last().unwrap().args, "/y");
    }

    #[test]
    fn a_heredoc_is_an_error_not_a_half_read_file() {
        let err = Dockerfile::parse("FROM a\nRUN <<EOF\necho hi\nEOF\n")
            .err()
            .unwrap();
        assert!(err.contains("does not parse"), "{err}");
    }
}
