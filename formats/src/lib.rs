//! One reader per file format that more than one of the kit's crates reads,
//! so that every check sees a file the way the tool that consumes it does.
//!
//! | module | format | read as |
//! |---|---|---|
//! | [`anchors`] | `ANCHOR: name` / `ANCHOR_END: name` markers | mdBook 0.5 reads them |
//! | [`include`] | `{{#include path[:anchor\|:start:end]}}` | mdBook 0.5 reads it |
//! | `dockerfile` (feature `dockerfile`, on by default) | `demo-app/Dockerfile` | BuildKit reads it (via `dockerfile-parser`) |
//! | [`commands`] | the commands of a page's `sh` blocks (grouped over `\\` and `for`…`done`) and the `output`/`example` block after each | the guide's own grammar (guide-check/README.md "Conventions") |
//! | [`expect`] | a shown output with `…` and `<placeholder>` wildcards, compared with a real one | the guide's own grammar |
//! | [`quiz`] | a ```` ```quiz ```` block's questions (TOML) and the rules they follow | the guide's own grammar (a page's "Check yourself" section) |
//! | [`markdown`] | headings, sections (read or replaced) and code blocks of Markdown | mdBook 0.5 parses it (via `mdbook-markdown`) |

pub mod anchors;
pub mod commands;
#[cfg(feature = "dockerfile")]
pub mod dockerfile;
pub mod expect;
pub mod include;
pub mod markdown;
pub mod quiz;
