//! Checks the guide (`docs/**/*.md`) and the deck (`slides/deck.md`)
//! against the real kit, so what the pages show cannot drift from it.
//! The pages stay the source: every check reads them with the same
//! Markdown parser as the site (`kit_formats::markdown`: mdBook's own).
//!
//! | module | job |
//! |---|---|
//! | [`pages`] | which Markdown files are checked, and their code blocks |
//! | [`commands`] | a code block → the commands it shows and their shown output |
//! | [`expect`] | does a real output match a shown one (with `…` / `<placeholder>`)? |
//! | [`replay`] | what a command means on one machine: run it, replay it, or skip it |
//! | [`kit`] | the local kit: a real redis-server (testkit's) and the real demo-app binary |
//! | [`shell`] | which variables a command assigns and expands, read as the reader's shell reads it |
//! | [`reader_shell`] | the variables a page has set, with local answers for `$(make url)` and cluster lookups |
//! | [`clusters`] | the kit's cluster names (from `k8s/flavours.mk`), other clusters' default names, what a lookup stands for |
//! | [`statuses`] | status codes stated in prose and tables against the statuses the replay saw |
//! | [`answers`] | runs a page's commands in order and compares the answers |
//! | [`paste`] | the follow-along rules: prompts, the app's address, unset variables, placeholders, cluster names, starting states |
//! | [`kubectl`] | runs every kubectl command through kubectl's own parser, offline |
//! | [`make_targets`] | every `make X` the pages name is a target `make help` lists |
//! | [`names`] | env vars, routes and file paths named in prose exist |
//! | [`values`] | every numeric value of the kit, derived from the manifests and the settings table |
//! | [`facts`] | numbers in prose next to a kit term, compared with those values |
//! | [`quiz`] | the answers of self-check questions about the kit, compared with those values |
//!
//! The repository root, the Redis fixture, finding tools and the skip
//! policy come from the shared test crate `testkit`.
//!
//! The conventions the pages follow are in `guide-check/README.md`.

pub mod answers;
pub mod clusters;
pub mod commands;
pub mod expect;
pub mod facts;
pub mod kit;
pub mod kubectl;
pub mod make_targets;
pub mod names;
pub mod pages;
pub mod paste;
pub mod quiz;
pub mod reader_shell;
pub mod replay;
pub mod shell;
pub mod statuses;
pub mod values;
