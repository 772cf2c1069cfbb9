//! policylint: checks policy texts for the errors that matter in them.
pub mod config;
pub mod lexicon;
pub mod lint;
pub mod rules;
pub mod syntax;
