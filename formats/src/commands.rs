//! The commands a code block shows, and the output the page shows for them.
//!
//! Two kinds of command blocks (guide-check/README.md "Conventions"):
//! - `sh`, `bash`, `shell`: only commands. Its output, when the page shows
//!   it, is the next code block if that one is marked `output`
//!   (```` ```text,output ````: checked, the same everywhere) or `example`
//!   (```` ```text,example ````: what a cluster prints, whose names, ages
//!   and addresses differ): the output of the whole block, in order.
//! - `console`: `$ command` lines, each followed by its own output lines.
//!
//! A command continues on the next line after a trailing `\`, and over the
//! lines of a `for`/`while`/`if`/`case` until its `done`/`fi`/`esac`.
//! Written by hand because what is needed is this line grouping only:
//! the command text itself is handed to a real shell (or to `shlex` for
//! kubectl's arguments).

use crate::markdown::{CodeBlock, code_blocks, line_of};

/// Languages of blocks that hold commands.
pub const COMMAND_LANGS: &[&str] = &["sh", "bash", "shell", "console"];

/// The attribute of a block that is the checked output of the command
/// block before it.
pub const OUTPUT: &str = "output";

/// The attribute of a block that shows what a cluster printed for the
/// command block before it (not the same on every cluster).
pub const EXAMPLE: &str = "example";

/// One command as the reader would type it (continuations joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub text: String,
    /// 1-based line in the page.
    pub line: usize,
    /// In a `console` block: the lines shown after it (possibly none).
    pub shown: Option<Vec<String>>,
}

/// A command block with its commands and, for `sh` blocks, the output
/// block that follows it: `output` (checked) or `example` (a cluster's).
#[derive(Debug, Clone)]
pub struct Session {
    pub block: CodeBlock,
    pub commands: Vec<Command>,
    pub output: Option<CodeBlock>,
    pub example: Option<CodeBlock>,
}

/// Every command block of the page at `path` (for messages) holding
/// `markdown`, in order, with its output block. A block marked `output`
/// that does not follow a command block is an error, as is one after a
/// `console` block (which shows its own output).
pub fn sessions(path: &str, markdown: &str) -> Result<Vec<Session>, String> {
    let mut sessions: Vec<Session> = Vec::new();
    let mut previous_was_sh = false;
    for block in code_blocks(markdown) {
        if block.has(EXAMPLE) {
            if let Some(session) = sessions.last_mut()
                && previous_was_sh
                && session.output.is_none()
            {
                session.example = Some(block);
            }
            previous_was_sh = false;
            continue;
        }
        if block.has(OUTPUT) {
            match sessions.last_mut() {
                Some(session) if previous_was_sh && session.output.is_none() => {
                    session.output = Some(block);
                }
                _ => {
                    return Err(format!(
                        "{path}:{}: a block marked `{OUTPUT}` must come right after the `sh` block whose output it is",
                        block.line
                    ));
                }
            }
            previous_was_sh = false;
            continue;
        }
        previous_was_sh = false;
        if COMMAND_LANGS.contains(&block.lang.as_str()) {
            let commands = if block.lang == "console" {
                console_commands(&block)
            } else {
                previous_was_sh = true;
                script_commands(&block)
            };
            sessions.push(Session {
                block,
                commands,
                output: None,
                example: None,
            });
        }
    }
    Ok(sessions)
}

/// The commands of a `sh`/`bash` block.
pub fn script_commands(block: &CodeBlock) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut current: Option<Command> = None;
    for (i, raw) in block.body.lines().enumerate() {
        let line = block.body_line + i;
        match current.as_mut() {
            Some(c) => {
                c.text.push('\n');
                c.text.push_str(raw);
            }
            None => {
                let trimmed = raw.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                current = Some(Command {
                    text: raw.to_owned(),
                    line,
                    shown: None,
                });
            }
        }
        if let Some(c) = current.take_if(|c| is_complete(&c.text)) {
            commands.push(c);
        }
    }
    commands.extend(current);
    commands
}

/// The `$ ` commands of a `console` block with the lines shown after each.
pub fn console_commands(block: &CodeBlock) -> Vec<Command> {
    let mut commands: Vec<Command> = Vec::new();
    let mut continuing = false;
    for (i, raw) in block.body.lines().enumerate() {
        let line = block.body_line + i;
        let trimmed = raw.trim_start();
        if continuing && let Some(last) = commands.last_mut() {
            last.text.push('\n');
            last.text.push_str(raw);
            continuing = !is_complete(&last.text);
            continue;
        }
        if let Some(text) = trimmed.strip_prefix("$ ") {
            commands.push(Command {
                text: text.to_owned(),
                line,
                shown: Some(Vec::new()),
            });
            continuing = !is_complete(text);
        } else if let Some(last) = commands.last_mut()
            && let Some(shown) = last.shown.as_mut()
        {
            shown.push(raw.to_owned());
        }
    }
    for c in &mut commands {
        if let Some(shown) = c.shown.as_mut() {
            while shown.last().is_some_and(|l| l.trim().is_empty()) {
                shown.pop();
            }
        }
    }
    commands
}

/// Is this the whole command: no trailing `\`, compound commands closed?
fn is_complete(text: &str) -> bool {
    if text.trim_end().ends_with('\\') {
        return false;
    }
    let mut depth = 0i32;
    for word in strip_comment(text).split(|c: char| c.is_whitespace() || c == ';') {
        match word {
            "do" | "then" | "case" => depth += 1,
            "done" | "fi" | "esac" => depth -= 1,
            _ => {}
        }
    }
    depth <= 0
}

/// The command without a trailing `# comment` (a `#` after whitespace,
/// outside quotes).
pub fn strip_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for line in text.split_inclusive('\n') {
        let mut skip = false;
        for c in line.chars() {
            if skip {
                if c == '\n' {
                    out.push('\n');
                }
                continue;
            }
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '\'' || c == '"' => quote = Some(c),
                None if c == '#' && previous.is_whitespace() => {
                    skip = true;
                    continue;
                }
                None => {}
            }
            out.push(c);
            previous = c;
        }
        previous = ' ';
    }
    out.trim_end().to_owned()
}

/// A command as one line: continuations (`\` + newline) joined.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in strip_comment(text).lines() {
        let line = line.trim();
        let line = line.strip_prefix("> ").unwrap_or(line);
        match line.strip_suffix('\\') {
            Some(rest) => {
                out.push_str(rest.trim_end());
                out.push(' ');
            }
            None => {
                out.push_str(line);
                out.push(' ');
            }
        }
    }
    out.trim().to_owned()
}

/// The 1-based lines `[start, end)` of the section titled `title` (its
/// heading included; up to the next heading of the same or a higher
/// level), or None: which blocks belong to a page's `## Try it`.
pub fn section_lines(markdown: &str, title: &str) -> Option<std::ops::Range<usize>> {
    let headings = crate::markdown::headings(markdown);
    let at = headings.iter().position(|h| h.text.trim() == title)?;
    let own = &headings[at];
    let end = headings[at + 1..]
        .iter()
        .find(|h| h.level <= own.level)
        .map_or(usize::MAX, |h| line_of(markdown, h.span.start));
    Some(line_of(markdown, own.span.start)..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(lang: &str, body: &str) -> CodeBlock {
        CodeBlock {
            lang: lang.into(),
            attrs: vec![],
            body: body.into(),
            line: 10,
            body_line: 11,
        }
    }

    #[test]
    fn continuations_loops_and_comments() {
        let b = block(
            "sh",
            "# set up\ncurl -s -X POST http://localhost/login \\\n  -d '{}'; echo\nwhile true; do\n  curl x & # bg\n  wait\ndone\nmake restart   # again\n",
        );
        let cmds = script_commands(&b);
        let texts: Vec<_> = cmds.iter().map(|c| one_line(&c.text)).collect();
        assert_eq!(
            texts,
            [
                "curl -s -X POST http://localhost/login -d '{}'; echo",
                "while true; do curl x & wait done",
                "make restart"
            ]
        );
        assert_eq!(cmds[1].line, 14);
    }

    #[test]
    fn console_output_belongs_to_its_command() {
        let b = block(
            "console",
            "$ curl -s http://localhost/visits\n{\"visits\":1}\n$ kubectl apply \\\n    -f a.yaml\njob created\n\n",
        );
        let cmds = console_commands(&b);
        assert_eq!(cmds.len(), 2);
        assert_eq!(
            cmds[0].shown.as_deref(),
            Some(&["{\"visits\":1}".to_string()][..])
        );
        assert_eq!(one_line(&cmds[1].text), "kubectl apply -f a.yaml");
        assert_eq!(
            cmds[1].shown.as_deref(),
            Some(&["job created".to_string()][..])
        );
    }

    #[test]
    fn output_and_example_blocks_belong_to_the_block_before() {
        let md = "# P\n\n## Try it\n\n```sh\ncurl -sS \"$APP/\"\n```\n\n```json,output\n{}\n```\n\n```sh\nkubectl get pods\n```\n\n```text,example\nNAME\n```\n\n## Next\n";
        let s = sessions("p.md", md).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].output.as_ref().map(|b| b.body.as_str()), Some("{}\n"));
        assert!(s[0].example.is_none());
        assert_eq!(
            s[1].example.as_ref().map(|b| b.body.as_str()),
            Some("NAME\n")
        );
        let lines = section_lines(md, "Try it").unwrap();
        assert!(lines.contains(&s[0].block.line) && lines.contains(&s[1].block.line));
        assert!(!lines.contains(&1));
        let stray = sessions("p.md", "text\n\n```text,output\n{}\n```\n").unwrap_err();
        assert!(stray.starts_with("p.md:3: "), "{stray}");
    }

    #[test]
    fn a_hash_inside_quotes_is_not_a_comment() {
        assert_eq!(
            strip_comment("grep '^# HELP' x # find help"),
            "grep '^# HELP' x"
        );
        assert_eq!(strip_comment("echo a#b"), "echo a#b");
    }
}
