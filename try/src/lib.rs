//! `make try CHAPTER=<page>`: runs a chapter's Try it on the reader's
//! cluster, command by command as the page writes it, shows each output
//! beside what the page expects, and ends with a verdict per step.
//!
//! | module | job |
//! |---|---|
//! | [`chapters`] | the guide's chapters, which have a Try it, which one `CHAPTER=` names |
//! | [`shell`] | the one bash every command runs in (variables persist), timeouts, background commands |
//! | [`judge`] | what a step's output is held to: `output` blocks exactly (wildcards), `example` blocks loosely |
//! | [`run`] | the run: the cluster check, the steps, the verdict table, what is left at the end |
//!
//! The page is the only source: its commands, their grouping and the output
//! blocks are read by `kit_formats::commands`, the reader the guide's
//! checks use.

pub mod chapters;
pub mod judge;
pub mod run;
pub mod shell;
