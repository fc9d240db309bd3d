//! Does what the app really printed match what the page shows? The shown
//! output's wildcards (`…`, `<pod-name>`) are `kit_formats::expect`'s, one
//! reader shared with the `make try` runner.

pub use kit_formats::expect::*;
