//! The follow-along rules: every command a page shows pastes as is on the
//! cluster `make cluster` made, from the state its Try it starts from.
//! Each rule reads a page and says, per fault, `page:line: what is wrong,
//! and what to write instead`. The grammar of each rule is in
//! guide-check/README.md ("Rules for commands").
//!
//! | rule | fault |
//! |---|---|
//! | [`prompts`] | a `console` block, or a `$ ` prompt in a command block |
//! | [`app_address`] | `http://localhost…` in a command (but `APP=…`), an app `curl` without `-S` |
//! | [`unset_variables`] | `$NAME` that no earlier command of the page assigns |
//! | [`placeholders`] | `<word>` in a command |
//! | [`cluster_names`] | another cluster's names; a pod name with a ReplicaSet hash typed in |
//! | [`starts_from`] | a `## Try it` that does not open with `**Starts from:**` |
//! | [`trailing_comments`] | a `# comment` after a command on the same line |

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use kit_formats::markdown::pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use kit_formats::markdown::{line_of, parser};
use regex::Regex;

use crate::clusters::KitClusters;
use crate::commands::{Command, console_commands, one_line, script_commands, strip_comment};
use crate::pages::{CodeBlock, Item, Page, items};
use crate::shell::{ENVIRONMENT, assignments, simple_commands, substitutions, uses};

/// Languages of command blocks (`console` only to be rejected).
const SCRIPT_LANGS: &[&str] = &["sh", "bash", "shell"];

/// The pages the rules read: the guide, the deck, and every README.md
/// that shows a command block.
pub fn pages(root: &Path) -> Vec<Page> {
    crate::pages::with_readmes(root)
        .into_iter()
        .filter(|p| {
            p.path.starts_with("docs/")
                || p.path == "slides/deck.md"
                || crate::pages::code_blocks(&p.text)
                    .iter()
                    .any(is_command_block)
        })
        .collect()
}

fn is_command_block(block: &CodeBlock) -> bool {
    SCRIPT_LANGS.contains(&block.lang.as_str()) || block.lang == "console"
}

/// The commands of a command block (a `console` block's `$ ` lines).
fn commands_of(block: &CodeBlock) -> Vec<Command> {
    if block.lang == "console" {
        console_commands(block)
    } else {
        script_commands(block)
    }
}

/// Every fault of `page`, in rule order.
pub fn check(page: &Page, kit: &KitClusters) -> Vec<String> {
    let mut faults = prompts(page);
    faults.extend(app_address(page));
    faults.extend(unset_variables(page));
    faults.extend(placeholders(page));
    faults.extend(cluster_names(page, kit));
    faults.extend(starts_from(page));
    faults.extend(trailing_comments(page));
    faults
}

/// The code blocks of a page, each with the prose just before it.
fn blocks_with_prose(page: &Page) -> Vec<(CodeBlock, String)> {
    let mut out = Vec::new();
    let mut prose = String::new();
    for item in items(&page.text) {
        match item {
            Item::Prose(text, _) => prose = text,
            Item::Code(block) => out.push((block, std::mem::take(&mut prose))),
            Item::InlineCode(..) => {}
        }
    }
    out
}

fn command_blocks(page: &Page) -> Vec<CodeBlock> {
    crate::pages::code_blocks(&page.text)
        .into_iter()
        .filter(is_command_block)
        .collect()
}

/// Rule: commands paste as they are. A `console` block mixes `$ ` prompts
/// with output (the copy button copies both); a `$ ` at the start of a
/// line of a `sh` block runs `$` as a command.
pub fn prompts(page: &Page) -> Vec<String> {
    let mut faults = Vec::new();
    for block in command_blocks(page) {
        if block.lang == "console" {
            faults.push(format!(
                "{}: a `console` block (prompts and output mixed; the copy button copies both): \
                 write the commands in a ```sh block without `$ `, and what they print in its own \
                 ```text,output (checked against the app) or ```text,example (a cluster's output) block right after it",
                page.at(block.line)
            ));
            continue;
        }
        for (i, line) in block.body.lines().enumerate() {
            if line.trim_start().starts_with("$ ") {
                faults.push(format!(
                    "{}: a `$ ` prompt in a command block (pasted, it runs `$` as a command): \
                     remove it, and put what the command prints in its own ```text,example block after the block",
                    page.at(block.body_line + i)
                ));
            }
        }
    }
    faults
}

/// `http://localhost…`, `localhost:PORT`, `127.0.0.1:PORT`.
static LOCAL_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://(localhost|127\.0\.0\.1)\b(:\d+)?|\b(localhost|127\.0\.0\.1):\d+")
        .unwrap()
});

/// The app's address as a variable (or `make url` itself).
static APP_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{?APP\b|\$\(make url\)").unwrap());

/// Words that start a command without being one.
const LEADING: &[&str] = &[
    "do", "then", "else", "if", "while", "until", "!", "{", "time", "watch",
];

/// The words of each simple command of `text` the reader's own machine
/// runs: leading keywords dropped; what follows `--` in `kubectl exec`,
/// `debug` and `run` (it runs in a pod), and `docker exec` / `minikube
/// ssh` commands (they run in a node) left out.
fn reader_commands(text: &str) -> Vec<Vec<String>> {
    reader_commands_of(pieces(&strip_comment(text)))
}

/// [`reader_commands`] of the top level only: a `$(…)` stays a word of
/// the command it is in.
fn top_level_commands(text: &str) -> Vec<Vec<String>> {
    reader_commands_of(vec![strip_comment(text)])
}

fn reader_commands_of(pieces: Vec<String>) -> Vec<Vec<String>> {
    pieces
        .iter()
        .flat_map(|piece| simple_commands(piece))
        .map(|words| {
            let start = words
                .iter()
                .position(|w| !LEADING.contains(&w.as_str()) && !w.starts_with('-'))
                .unwrap_or(words.len());
            words[start..].to_vec()
        })
        .filter_map(|words| {
            let has = |w: &str| words.iter().any(|x| x == w);
            match words.first().map(String::as_str) {
                Some("kubectl") if has("exec") || has("debug") || has("run") || has("attach") => {
                    Some(words.iter().take_while(|w| *w != "--").cloned().collect())
                }
                Some("docker") if has("exec") => None,
                Some("minikube") if has("ssh") => None,
                _ => Some(words),
            }
        })
        .filter(|w: &Vec<String>| !w.is_empty())
        .collect()
}

/// `text` with each `$(…)` (but `$(make url)`) emptied, then the bodies
/// of those substitutions, recursively: every command the line runs, once.
fn pieces(text: &str) -> Vec<String> {
    let mut outer = text.to_owned();
    let mut inner = Vec::new();
    for (range, body) in substitutions(text).into_iter().rev() {
        if body.trim() != "make url" {
            outer.replace_range(range, "$()");
            inner.extend(pieces(&body));
        }
    }
    std::iter::once(outer).chain(inner).collect()
}

/// Rule: the app is reached through `$APP`. A command that names
/// `http://localhost`, `localhost:PORT` or `127.0.0.1:PORT` (other than in
/// an `APP=` assignment) fails on the flavours where the app is elsewhere;
/// a `curl` against the app without `-S` (`-sS`) hides a failure.
pub fn app_address(page: &Page) -> Vec<String> {
    let mut faults = Vec::new();
    for block in command_blocks(page) {
        for command in commands_of(&block) {
            for words in reader_commands(&command.text) {
                let text: Vec<&str> = words
                    .iter()
                    .map(String::as_str)
                    .filter(|w| !w.starts_with("APP="))
                    .collect();
                let text = text.join(" ");
                if let Some(m) = LOCAL_URL.find(&text) {
                    faults.push(format!(
                        "{}: `{}` names the app's address, which differs by flavour \
                         (`make url`): set `APP=$(make url)` once in the Try it's first command block \
                         and write `curl -sS \"$APP/…\"` (after a port-forward: `APP=http://localhost:8081`)",
                        page.at(command.line),
                        m.as_str()
                    ));
                }
                let is_curl = words.first().is_some_and(|w| w == "curl");
                let to_app = APP_REF.is_match(&text) || LOCAL_URL.is_match(&text);
                let shows_errors = words.iter().any(|w| {
                    w == "--show-error"
                        || (w.starts_with('-')
                            && !w.starts_with("--")
                            && w[1..].chars().all(|c| c.is_ascii_alphabetic())
                            && w.contains('S'))
                });
                if is_curl && to_app && !shows_errors {
                    faults.push(format!(
                        "{}: a `curl` against the app without `-S`: a failed request prints nothing \
                         (an empty line the reader cannot tell from an answer): write `curl -sS …`",
                        page.at(command.line)
                    ));
                }
            }
        }
    }
    faults
}

/// How to assign a well-known variable.
fn how_to_assign(name: &str) -> String {
    match name {
        "APP" => "`APP=$(make url)`".to_owned(),
        "POD" => "`POD=$(kubectl -n … get pods -l app.kubernetes.io/name=… -o name | head -n 1)`"
            .to_owned(),
        "NODE" => "`NODE=$(kubectl get nodes -o name | head -n 1)`".to_owned(),
        other => format!(
            "`{other}=$(kubectl … -o jsonpath=…)` when the cluster decides it, \
             `{other}=value` under a comment line `# any value you like` when the reader chooses it"
        ),
    }
}

/// Rule: every variable a command expands is assigned by a command before
/// it on the page (or by the same command), so the page pastes from the top
/// of its Try it. The environment's own variables ([`ENVIRONMENT`]),
/// positional and special ones (`$1`, `$?`, `$!`) and `${NAME:-default}`
/// need none. Each name is reported at its first unassigned use.
pub fn unset_variables(page: &Page) -> Vec<String> {
    let mut assigned: BTreeSet<String> = ENVIRONMENT.iter().map(|s| s.to_string()).collect();
    let mut reported = BTreeSet::new();
    let mut faults = Vec::new();
    for block in command_blocks(page) {
        for command in commands_of(&block) {
            let own: Vec<String> = assignments(&command.text)
                .into_iter()
                .map(|a| a.name)
                .collect();
            for u in uses(&command.text) {
                if assigned.contains(&u.name)
                    || own.contains(&u.name)
                    || !reported.insert(u.name.clone())
                {
                    continue;
                }
                faults.push(format!(
                    "{}: `${}` is not set by any command before it on this page (a reader pasting \
                     the page from its Try it has no value for it): assign it in an earlier command block, \
                     e.g. {}",
                    page.at(command.line),
                    u.name,
                    how_to_assign(&u.name)
                ));
            }
            assigned.extend(own);
        }
    }
    faults
}

/// `<word>` (not `<<` or `<(`).
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^<\w])(<[A-Za-z][A-Za-z0-9_. -]*>)").unwrap());

/// Rule: no `<placeholder>` in a command: pasted, `<pod-name>` is a
/// redirection from a file that does not exist.
pub fn placeholders(page: &Page) -> Vec<String> {
    let mut faults = Vec::new();
    for block in command_blocks(page) {
        for command in commands_of(&block) {
            for c in PLACEHOLDER.captures_iter(&strip_comment(&command.text)) {
                faults.push(format!(
                    "{}: `{}` is a placeholder (pasted, `<` is a redirection): take the value from \
                     a command into a variable (`POD=$(kubectl … -o name | head -n 1)`, then `\"$POD\"`), \
                     or, for a value the reader chooses, a variable with a default and a comment \
                     (`# any key you like` on the line above `KEY=greeting`)",
                    page.at(command.line),
                    &c[1]
                ));
            }
        }
    }
    faults
}

/// A pod name with a ReplicaSet's pod-template hash and a random suffix
/// (`demo-app-7c9d5b6f4d-x2k8p`).
static HASHED_POD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-([a-z0-9]{6,10})-[a-z0-9]{5}\b").unwrap()
});

static DOCKER_DESKTOP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bdocker-desktop\b").unwrap());

static DESKTOP_CONTEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"context[ =]docker-desktop").unwrap());

static MINIKUBE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w/.-])(minikube(?:-m\d+)?)\b").unwrap());

/// Rule: names are the kit's clusters' (`k8s/flavours.mk`), never another
/// cluster's defaults, in a command block or any other code block (an
/// output). `docker-desktop` only where the line (or, in an output, the
/// prose before it) is about Docker Desktop; `minikube` in a command only
/// on a minikube line (`minikube …`, `FLAVOUR=minikube`, a `# minikube`
/// comment); `kind` commands name the kit's cluster. In commands, no pod
/// name with a ReplicaSet hash: it is one cluster's, the reader's differs.
pub fn cluster_names(page: &Page, kit: &KitClusters) -> Vec<String> {
    let foreign = kit.foreign_names();
    let mut faults = Vec::new();
    for (block, prose) in blocks_with_prose(page) {
        let command_block = is_command_block(&block);
        for (i, line) in block.body.lines().enumerate() {
            let at = page.at(block.body_line + i);
            for (pattern, what, instead) in &foreign {
                if let Some(m) = pattern.find(line) {
                    faults.push(format!(
                        "{at}: `{}` is a name of {what}, which `make cluster` does not create: {instead}",
                        m.as_str()
                    ));
                }
            }
            // A command's comment may name Docker Desktop's flavour or
            // context; its command only on a Docker Desktop line.
            let named = if command_block {
                strip_comment(line)
            } else {
                line.to_owned()
            };
            let about_desktop = if command_block {
                named.contains("FLAVOUR=docker-desktop") || DESKTOP_CONTEXT.is_match(&named)
            } else if block.lang == kit_formats::quiz::LANG {
                // A quiz is prose: the line itself says Docker Desktop.
                line.contains("Docker Desktop")
            } else {
                prose.contains("Docker Desktop")
            };
            if !about_desktop && DOCKER_DESKTOP.is_match(&named) {
                faults.push(format!(
                    "{at}: `docker-desktop` is Docker Desktop's node and context, not one of the kit's clusters': \
                     show what a cluster `make cluster` made prints (kind's `{}`, `{}`) and say in a sentence \
                     where Docker Desktop differs; in a command take the node from `NODE=$(kubectl get nodes -o name | head -n 1)`",
                    kit.kind_control_plane(),
                    kit.kind_worker()
                ));
            }
        }
        if !command_block {
            continue;
        }
        for command in commands_of(&block) {
            let line = one_line(&command.text);
            let comment = comment_above(&block, &command).to_lowercase();
            for words in top_level_commands(&command.text) {
                let first = words.first().map(String::as_str).unwrap_or_default();
                let joined = words.join(" ");
                if first != "minikube"
                    && !joined.contains("FLAVOUR=minikube")
                    && !comment.contains("minikube")
                    && let Some(c) = MINIKUBE_NAME.captures(&joined)
                {
                    let runs = c.get(0).is_some_and(|m| m.as_str().starts_with('('));
                    let what = if runs {
                        "runs minikube, which kind and k3d do not have: use a command every flavour has"
                    } else {
                        "is minikube's node or context, which kind and k3d do not have: take the name \
                         from a command (`NODE=$(kubectl get nodes -o name | head -n 1)`)"
                    };
                    faults.push(format!(
                        "{}: `{}` {what}, or mark a minikube-only command with a comment line above it (`# minikube only`)",
                        page.at(command.line),
                        if runs { format!("$({} …)", &c[1]) } else { c[1].to_owned() }
                    ));
                }
                if first == "kind" {
                    faults.extend(
                        kind_cluster(&words, kit)
                            .map(|f| format!("{}: {f}", page.at(command.line))),
                    );
                }
            }
            for c in HASHED_POD.captures_iter(&strip_comment(&line)) {
                if c[1].chars().any(|ch| ch.is_ascii_digit()) {
                    faults.push(format!(
                        "{}: `{}` is one cluster's pod name (ReplicaSet hash and random suffix; the reader's differ): \
                         take it from a command, `POD=$(kubectl -n … get pods -l app.kubernetes.io/name=… -o name | head -n 1)`, \
                         and write `\"$POD\"`",
                        page.at(command.line),
                        &c[0]
                    ));
                }
            }
        }
    }
    faults
}

/// A `kind` command that acts on a cluster must name the kit's (kind's
/// default is `kind`).
fn kind_cluster(words: &[String], kit: &KitClusters) -> Option<String> {
    let acts = ["create", "delete", "load", "export"]
        .iter()
        .any(|verb| words.get(1).is_some_and(|w| w == verb))
        || (words.get(1).is_some_and(|w| w == "get")
            && words
                .get(2)
                .is_some_and(|w| w == "nodes" || w == "kubeconfig"));
    if !acts {
        return None;
    }
    let name = crate::shell::flag_value(words, &["--name", "-n"]);
    match name {
        Some(n) if n == kit.cluster => None,
        Some(n) => Some(format!(
            "`kind … --name {n}` acts on a cluster `make cluster` does not create: the kit's is `--name {}`",
            kit.cluster
        )),
        None => Some(format!(
            "`{}` without `--name` acts on kind's default cluster `kind`, which `make cluster` does not create: \
             add `--name {}`",
            words.join(" "),
            kit.cluster
        )),
    }
}

/// Rule: every `## Try it…` section opens with a paragraph that begins
/// `**Starts from:**`, saying the state it expects.
pub fn starts_from(page: &Page) -> Vec<String> {
    let mut faults = Vec::new();
    let events: Vec<(Event, std::ops::Range<usize>)> =
        parser(&page.text).into_offset_iter().collect();
    let mut i = 0;
    while i < events.len() {
        let (event, span) = &events[i];
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H2,
            ..
        }) = event
        {
            let line = line_of(&page.text, span.start);
            let mut title = String::new();
            i += 1;
            while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[i].0 {
                    title.push_str(t);
                }
                i += 1;
            }
            if title.trim_start().starts_with("Try it") {
                let opens = matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _)))
                    && matches!(events.get(i + 2), Some((Event::Start(Tag::Strong), _)))
                    && matches!(events.get(i + 3), Some((Event::Text(t), _)) if t.trim() == "Starts from:");
                if !opens {
                    faults.push(format!(
                        "{}: `## {}` does not say what it starts from: open the section with a paragraph \
                         `**Starts from:** …`, e.g. \"**Starts from:** the kit deployed and reset: `make deploy` once, \
                         then `make reset`.\"",
                        page.at(line),
                        title.trim()
                    ));
                }
            }
        }
        i += 1;
    }
    faults
}

/// The `#` comment lines right above `command` in `block` (the comment
/// that belongs to it), joined.
fn comment_above(block: &CodeBlock, command: &Command) -> String {
    let lines: Vec<&str> = block.body.lines().collect();
    let index = command.line - block.body_line;
    lines[..index]
        .iter()
        .rev()
        .take_while(|l| l.trim_start().starts_with('#'))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rule: a comment goes on its own line, above the command, or into the
/// prose. In zsh (macOS's shell) `interactivecomments` is off by default, so
/// `make cluster   # small laptop` runs make with the targets `#`, `small`,
/// `laptop`: no `# comment` after a command on the same line.
pub fn trailing_comments(page: &Page) -> Vec<String> {
    let mut faults = Vec::new();
    for block in command_blocks(page) {
        if block.lang == "console" {
            continue;
        }
        for command in commands_of(&block) {
            let stripped = strip_comment(&command.text);
            for (i, (raw, kept)) in command.text.lines().zip(stripped.lines()).enumerate() {
                if raw.trim_start().starts_with('#') || raw.trim_end() == kept.trim_end() {
                    continue;
                }
                let comment = raw[kept.trim_end().len()..].trim();
                faults.push(format!(
                    "{}: `{comment}` follows a command on its line: zsh (macOS) without \
                     `setopt interactivecomments` passes `#` and every word after it to the command: \
                     put the comment on its own line above the command, or into the prose",
                    page.at(command.line + i)
                ));
            }
        }
    }
    faults
}
