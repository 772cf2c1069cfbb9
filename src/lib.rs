//! policylint: checks policy texts for the errors that matter in them.
pub mod cli;
pub mod config;
pub mod hashing;
pub mod ide;
pub mod lexicon;
pub mod lint;
#[cfg(feature = "server")]
pub mod lsp;
pub mod report;
pub mod rules;
pub mod syntax;
