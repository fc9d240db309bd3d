//! The commands a code block shows, and the output the page shows for them:
//! the grammar is `kit_formats::commands` (one reader, shared with the
//! `make try` runner); this module reads it off a [`Page`].

pub use kit_formats::commands::{
    COMMAND_LANGS, Command, EXAMPLE, OUTPUT, Session, console_commands, one_line, script_commands,
    section_lines, strip_comment,
};

use crate::pages::Page;

/// Every command block of `page`, in order, with its output block
/// ([`kit_formats::commands::sessions`]).
pub fn sessions(page: &Page) -> Result<Vec<Session>, String> {
    kit_formats::commands::sessions(&page.path, &page.text)
}
