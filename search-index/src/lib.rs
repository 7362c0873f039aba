//! Search index for tsunagu. The index, its static export and the browser reader arrive with the
//! search issue; this crate is the workspace slot they will fill.
