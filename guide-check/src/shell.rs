//! A page's commands read the way the reader's shell reads them: which
//! variables a command assigns (`NAME=…`, `export NAME=…`, `for NAME in`,
//! `read NAME`) and which it expands (`$NAME`, `${NAME}` outside single
//! quotes). Hand-written: what is needed is word splitting and quoting
//! (single, double, `$(…)` nested in either), not a shell; the commands
//! themselves run in a real bash.

/// Variables the reader's shell has without the page setting them.
pub const ENVIRONMENT: &[&str] = &[
    "HOME",
    "PATH",
    "PWD",
    "OLDPWD",
    "USER",
    "LOGNAME",
    "SHELL",
    "TERM",
    "LANG",
    "TMPDIR",
    "HOSTNAME",
    "EDITOR",
    "KUBECONFIG",
    "RANDOM",
    "SECONDS",
    "LINENO",
    "UID",
    "EUID",
    "PPID",
    "IFS",
    "REPLY",
    "BASH_VERSION",
    "OSTYPE",
];

/// One token of a command line at its top level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A word, quotes and `$(…)` kept as written.
    Word(String),
    /// `;`, `&&`, `||`, `|`, `&`, `(`, `)` or a newline (as `;`).
    Op(String),
}

/// The top-level tokens of `text` (a `#` comment ends a line).
pub fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    // Open quotes and substitutions: '\'', '"', '(' (inside `$(`).
    let mut stack: Vec<char> = Vec::new();
    let mut i = 0;
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match stack.last().copied() {
            Some('\'') => {
                word.push(c);
                if c == '\'' {
                    stack.pop();
                }
            }
            Some(open) => {
                word.push(c);
                if c == '\\' {
                    if let Some(n) = next {
                        word.push(n);
                        i += 1;
                    }
                } else if c == '$' && next == Some('(') {
                    word.push('(');
                    stack.push('(');
                    i += 1;
                } else if open == '"' && c == '"' {
                    stack.pop();
                } else if open == '(' {
                    match c {
                        '\'' | '"' => stack.push(c),
                        '(' => stack.push('('),
                        ')' => {
                            stack.pop();
                        }
                        _ => {}
                    }
                }
            }
            None => match c {
                '\\' if next == Some('\n') => {
                    i += 1;
                }
                '\\' => {
                    word.push(c);
                    if let Some(n) = next {
                        word.push(n);
                        i += 1;
                    }
                }
                '\'' | '"' => {
                    word.push(c);
                    stack.push(c);
                }
                '$' if next == Some('(') => {
                    word.push_str("$(");
                    stack.push('(');
                    i += 1;
                }
                '#' if word.is_empty() => {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                    continue;
                }
                '&' if word.ends_with(['>', '<']) || next == Some('>') && word.is_empty() => {
                    word.push(c);
                }
                '\n' => {
                    flush(&mut word, &mut out);
                    out.push(Token::Op(";".into()));
                }
                ';' | '|' | '&' | '(' | ')' => {
                    flush(&mut word, &mut out);
                    let double = (c == '|' || c == '&' || c == ';') && next == Some(c);
                    if double {
                        i += 1;
                        out.push(Token::Op(format!("{c}{c}")));
                    } else {
                        out.push(Token::Op(c.to_string()));
                    }
                }
                c if c.is_whitespace() => flush(&mut word, &mut out),
                _ => word.push(c),
            },
        }
        i += 1;
    }
    flush(&mut word, &mut out);
    out
}

/// The value of a command's option, given as `NAME VALUE` or `NAME=VALUE`
/// for any of `names` (`-l`, `--selector`): the first one the words hold.
pub fn flag_value(words: &[String], names: &[&str]) -> Option<String> {
    words
        .iter()
        .zip(words.iter().skip(1))
        .find(|(flag, _)| names.contains(&flag.as_str()))
        .map(|(_, value)| value.clone())
        .or_else(|| {
            words.iter().find_map(|w| {
                names
                    .iter()
                    .find_map(|name| w.strip_prefix(name)?.strip_prefix('='))
                    .map(str::to_owned)
            })
        })
}

/// The simple commands of `text`: the words between operators.
pub fn simple_commands(text: &str) -> Vec<Vec<String>> {
    let mut commands = vec![Vec::new()];
    for token in tokens(text) {
        match token {
            Token::Word(w) => commands.last_mut().expect("one").push(w),
            Token::Op(_) => commands.push(Vec::new()),
        }
    }
    commands.retain(|c| !c.is_empty());
    commands
}

/// A variable a command sets in the reader's shell, and the value as
/// written (quotes kept; empty for `for NAME` and `read NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: String,
}

fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `NAME=value` → (NAME, value).
fn assignment_word(word: &str) -> Option<Assignment> {
    let (name, value) = word.split_once('=')?;
    is_name(name).then(|| Assignment {
        name: name.to_owned(),
        value: value.to_owned(),
    })
}

/// Words after which a new command starts.
const KEYWORDS: &[&str] = &[
    "do", "then", "else", "elif", "if", "while", "until", "!", "{", "}", "time", "done", "fi",
];

/// Every variable `text` assigns, in order.
pub fn assignments(text: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    for words in simple_commands(text) {
        let mut words = words.iter().map(String::as_str).peekable();
        // Prefix assignments and keywords, then the command word.
        let mut command = None;
        for word in words.by_ref() {
            if let Some(a) = assignment_word(word) {
                out.push(a);
            } else if !KEYWORDS.contains(&word) {
                command = Some(word);
                break;
            }
        }
        match command {
            Some("export" | "local" | "readonly" | "declare" | "typeset") => {
                out.extend(words.filter_map(assignment_word));
            }
            Some("for") => {
                if let Some(name) = words.next().filter(|w| is_name(w)) {
                    out.push(Assignment {
                        name: name.to_owned(),
                        value: String::new(),
                    });
                }
            }
            Some("read") => {
                while let Some(word) = words.next() {
                    if matches!(word, "-p" | "-t" | "-d" | "-n" | "-N" | "-u" | "-a") {
                        words.next();
                    } else if is_name(word) {
                        out.push(Assignment {
                            name: word.to_owned(),
                            value: String::new(),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Is `text` only assignments (`APP=$(make url)`, `KEY=greeting`)?
pub fn only_assigns(text: &str) -> bool {
    let commands = simple_commands(text);
    !commands.is_empty()
        && commands.iter().all(|words| {
            let mut words = words.iter().map(String::as_str);
            let first = words.next().unwrap_or_default();
            let rest: Vec<&str> = if first == "export" {
                words.collect()
            } else {
                std::iter::once(first).chain(words).collect()
            };
            !rest.is_empty() && rest.iter().all(|w| assignment_word(w).is_some())
        })
}

/// A variable a command expands, and where (a byte offset in `text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub name: String,
    pub at: usize,
}

/// Every named variable `text` expands in the reader's shell: `$NAME` and
/// `${NAME}` outside single quotes (`'$X'` is the pod's, not the reader's).
/// Positional and special ones (`$1`, `$?`, `$!`) and `${NAME:-default}`
/// (which needs no value) are left out.
pub fn uses(text: &str) -> Vec<Use> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let top = stack.last().copied();
        if top == Some(b'\'') {
            if c == b'\'' {
                stack.pop();
            }
            i += 1;
            continue;
        }
        match c {
            b'\\' => {
                i += 2;
                continue;
            }
            b'#' if top.is_none() && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' if top != Some(b'"') => stack.push(b'\''),
            b'"' if top == Some(b'"') => {
                stack.pop();
            }
            b'"' => stack.push(b'"'),
            b'(' if top == Some(b'(') => stack.push(b'('),
            b')' if top == Some(b'(') => {
                stack.pop();
            }
            b'$' => match bytes.get(i + 1) {
                Some(b'(') => {
                    stack.push(b'(');
                    i += 2;
                    continue;
                }
                Some(b'{') => {
                    let start = i + 2;
                    let end = start
                        + bytes[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                            .count();
                    let name = &text[start..end];
                    let defaulted = matches!(bytes.get(end), Some(b'-' | b'=' | b'+'))
                        || (bytes.get(end) == Some(&b':')
                            && matches!(bytes.get(end + 1), Some(b'-' | b'=' | b'+')));
                    if is_name(name) && !defaulted {
                        out.push(Use {
                            name: name.to_owned(),
                            at: i,
                        });
                    }
                    i = end;
                    continue;
                }
                Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {
                    let start = i + 1;
                    let end = start
                        + bytes[start..]
                            .iter()
                            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                            .count();
                    out.push(Use {
                        name: text[start..end].to_owned(),
                        at: i,
                    });
                    i = end;
                    continue;
                }
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    out
}

/// `$NAME` and `${NAME}` of `word` replaced by `value(NAME)` where it has
/// one (quotes are left to the caller).
pub fn substitute(word: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for u in uses(word) {
        let braced = word[u.at..].starts_with("${");
        let end = u.at + u.name.len() + if braced { 3 } else { 1 };
        if let Some(v) = value(&u.name) {
            out.push_str(&word[last..u.at]);
            out.push_str(&v);
            last = end;
        }
    }
    out.push_str(&word[last..]);
    out
}

/// The bodies of the `$(…)` substitutions of `text`, outermost first,
/// with their byte ranges (the whole `$(…)`).
pub fn substitutions(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (Some(b'\''), b'\'') => quote = None,
            (Some(b'\''), _) => {}
            (_, b'\\') => i += 1,
            (None, b'\'') => quote = Some(b'\''),
            (None, b'"') => quote = Some(b'"'),
            (Some(b'"'), b'"') => quote = None,
            (_, b'$') if bytes.get(i + 1) == Some(&b'(') => {
                if let Some(end) = closing(text, i + 2) {
                    out.push((i..end + 1, text[i + 2..end].to_owned()));
                    i = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The `)` that closes a `$(` whose body starts at `from`.
fn closing(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = vec![b'('];
    let mut i = from;
    while i < bytes.len() {
        let c = bytes[i];
        match (stack.last().copied(), c) {
            (Some(b'\''), b'\'') => {
                stack.pop();
            }
            (Some(b'\''), _) => {}
            (_, b'\\') => i += 1,
            (Some(b'"'), b'"') => {
                stack.pop();
            }
            (Some(b'('), b'\'') => stack.push(b'\''),
            (Some(b'('), b'"') => stack.push(b'"'),
            (Some(b'('), b'(') => stack.push(b'('),
            (Some(b'"'), b'$') if bytes.get(i + 1) == Some(&b'(') => {
                stack.push(b'(');
                i += 1;
            }
            (Some(b'('), b')') => {
                stack.pop();
                if stack.is_empty() {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        assignments(text).into_iter().map(|a| a.name).collect()
    }

    fn used(text: &str) -> Vec<String> {
        uses(text).into_iter().map(|u| u.name).collect()
    }

    #[test]
    fn what_a_command_assigns() {
        assert_eq!(names("APP=$(make url)"), ["APP"]);
        assert_eq!(
            names("POD=$(kubectl -n x get pods -o name | head -n 1); echo \"$POD\""),
            ["POD"]
        );
        assert_eq!(names("export KEY=greeting   # any key"), ["KEY"]);
        assert_eq!(names("for i in 1 2 3; do curl -sS \"$APP/\"; done"), ["i"]);
        assert_eq!(
            names("while read -r name ip; do echo; done"),
            ["name", "ip"]
        );
        assert_eq!(names("curl -sS -d 'A=b' \"$APP/x\""), Vec::<String>::new());
        assert_eq!(names("make scale N=2"), Vec::<String>::new());
        assert!(only_assigns("APP=$(make url)"));
        assert!(only_assigns(
            "APP=http://localhost:8081   # the port-forward"
        ));
        assert!(!only_assigns("APP=$(make url); curl -sS \"$APP/\""));
        assert!(!only_assigns("make url"));
    }

    #[test]
    fn what_a_command_expands() {
        assert_eq!(used("curl -sS \"$APP/kv/$KEY\""), ["APP", "KEY"]);
        assert_eq!(used("kubectl delete \"${POD}\""), ["POD"]);
        assert_eq!(used("sh -c 'echo $HOSTNAME'"), Vec::<String>::new());
        assert_eq!(used("echo \"it's $X\""), ["X"]);
        assert_eq!(
            used("echo \"$(kubectl get -o jsonpath='{$.a}' $Y)\" $1 $? ${Z:-z}"),
            ["Y"]
        );
        assert_eq!(used("echo \\$A # $B"), Vec::<String>::new());
    }

    #[test]
    fn substitutions_and_replacement() {
        let text = "P=$(kubectl get x -o jsonpath='{.a}' | base64 -d); echo \"$(make url)\"";
        let subs: Vec<String> = substitutions(text).into_iter().map(|s| s.1).collect();
        assert_eq!(
            subs,
            ["kubectl get x -o jsonpath='{.a}' | base64 -d", "make url"]
        );
        assert_eq!(
            substitute("pod/$POD:${NODE}-$X", |n| (n != "X")
                .then(|| n.to_lowercase())),
            "pod/pod:node-$X"
        );
    }
}
